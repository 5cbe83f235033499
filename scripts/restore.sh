#!/usr/bin/env bash
# Restores a backup of scripts/backup.sh into the running local-mode stack: the dump goes into a new database that
# then replaces the live one (services reconnect by themselves), the migration step brings its schema up to date and
# drops the Redis session states if they claim more than the restored PostgreSQL holds (the server would also
# notice by itself), and the saved unpersisted entries go back on their streams (persisting is idempotent).
# Collectors then resend whatever else the restore lost.
# Usage: bash scripts/restore.sh BACKUP_DIR    (CATSYPHON_CONFIGURATION=Release when the stack runs a Release build)
set -euo pipefail
[[ $# -eq 1 ]] || { echo "usage: $0 BACKUP_DIR" >&2; exit 2; }
source "$(dirname "$0")/lib/stack-connection.sh"
backup="$1"
[[ -f "$backup/catsyphon.dump" ]] || fail "$backup/catsyphon.dump does not exist."

staging="${CATSYPHON_DATABASE}_restoring"
psql -d postgres -qc "DROP DATABASE IF EXISTS $staging" -c "CREATE DATABASE $staging"
pg_restore --no-owner -d "$staging" "$backup/catsyphon.dump"
psql -d postgres -qc "DROP DATABASE $CATSYPHON_DATABASE WITH (FORCE)" -c "ALTER DATABASE $staging RENAME TO $CATSYPHON_DATABASE"
echo "Restored $backup/catsyphon.dump into $CATSYPHON_DATABASE."

configuration="${CATSYPHON_CONFIGURATION:-Debug}"
migrator="$REPO_ROOT/CatSyphon.MigrationService/bin/$configuration/net10.0/CatSyphon.MigrationService.dll"
export ConnectionStrings__catsyphon="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$CATSYPHON_DATABASE"
export ConnectionStrings__redis="${REDIS_HOST:-127.0.0.1}:$REDIS_PORT,password=$REDIS_PASSWORD"
if [[ -f "$migrator" ]]; then
  dotnet "$migrator"
else
  dotnet run --project "$REPO_ROOT/CatSyphon.MigrationService" -c "$configuration"
fi

if [[ -f "$backup/redis-entries.jsonl" ]]; then
  python3 "$REPO_ROOT/scripts/lib/redis_entries.py" import "$backup/redis-entries.jsonl" "${REDIS_CLI[@]}"
fi
echo "Done: collectors resend what the restore lost at their next push or watch."
