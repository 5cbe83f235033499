#!/usr/bin/env bash
# Backs up the local-mode stack while it runs: what Redis holds that PostgreSQL may not (the shard streams' buffered
# entries and the dead letters) first, then a consistent PostgreSQL dump (pg_dump -Fc: one snapshot). Anything
# accepted after the Redis export and missing from the dump is what collectors resend after a restore.
# Usage: bash scripts/backup.sh BACKUP_DIR     (see README, "Operations: backup and restore")
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BACKUP_DIR" >&2; exit 2; }
source "$(dirname "$0")/lib/stack-connection.sh"
out="$1"
mkdir -p "$out"
python3 "$REPO_ROOT/scripts/lib/redis_entries.py" export "$out/redis-entries.jsonl" "${REDIS_CLI[@]}"
pg_dump -Fc -d "$CATSYPHON_DATABASE" -f "$out/catsyphon.dump"
echo "Backed up $CATSYPHON_DATABASE to $out/catsyphon.dump and $(wc -l < "$out/redis-entries.jsonl") unpersisted Redis entries to $out/redis-entries.jsonl."
