#!/usr/bin/env bash
# Every figure of the README's performance section in one run, on a fresh database: builds Release once, starts the
# stack on an empty data folder, then measures
#   1. PostgreSQL's COPY ceiling now (the load tool's copy-ceiling mode: message rows into a copy of `messages`),
#   2. ingest accepted/persisted events/s with p50/p99 (the load tool), persisted as a share of that ceiling, and the
#      CPU per accepted event of the API, the worker, Redis and PostgreSQL over the load tool's run (lib/stack-cpu.sh),
#   3. pushing a generated tree with the collector (90 days of sessions; 1,600 MB are about 1,000,000 events), then the
#      query latencies on it, the dashboard's over those 90 days (the load tool's queries mode;
#      the database also holds the ingest load's events, in another workspace), and full-text search per query shape
#      in a workspace of 300,000 events while 3,000,000 more are in 30 other workspaces (the load tool's seed-search
#      mode writes both straight into PostgreSQL: several minutes),
#   4. `catsyphon scan` against ccusage (scripts/bench-scan.sh) on the 100 MB and the 500 MB generated trees,
#   5. the hot paths per event (benchmarks/CatSyphon.Benchmarks, BenchmarkDotNet's short job),
# stops the stack, removes its folder, and prints a summary to paste into the README.
# Usage: bash scripts/bench.sh [--quick] [--events N] [--copy-rows N] [--tree-mb N] [--search-events N] [--iterations N] [--scan-runs N]
#   defaults: 200 sessions x 5,000 events over 16 connections, 1,000,000 COPY rows, a 1,600 MB tree, a searched workspace
#   of 300,000 events (ten times as many in others), 200 requests per query, 5 scan runs on each scan tree; --quick:
#   200 x 500 events, 200,000 rows, a 50 MB tree, 30,000 searched events, 50 requests, 1 scan run (of the 100 MB tree only).
# Env: CATSYPHON_ADMIN_TOKEN (generated when unset). The ports 8000, 8080 and 18888 must be free.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/../shared" && pwd)"
cd "$repo"

events=5000 copy_rows=1000000 tree_mb=1600 search_events=300000 iterations=200 scan_runs=5 scan_trees="100 500"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) events=500 copy_rows=200000 tree_mb=50 search_events=30000 iterations=50 scan_runs=1 scan_trees=100; shift ;;
    --events|--copy-rows|--tree-mb|--search-events|--iterations|--scan-runs)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$1 needs a positive whole number" >&2; exit 2; }
      name="${1#--}"; printf -v "${name//-/_}" %s "$2"; shift 2 ;;
    *) echo "usage: $0 [--quick] [--events N] [--copy-rows N] [--tree-mb N] [--search-events N] [--iterations N] [--scan-runs N]" >&2; exit 2 ;;
  esac
done
source "$repo/scripts/lib/bench-stack.sh"
loadtest() { dotnet "$repo/tools/CatSyphon.LoadTest/bin/Release/net10.0/CatSyphon.LoadTest.dll" "$@"; }

build_release

tree="${TMPDIR:-/tmp}/catsyphon-gen-${tree_mb}mb-seed11-90d"
if [[ ! -f "$tree/manifest.json" ]]; then
  section "generating a $tree_mb MB tree in $tree"
  rm -rf "$tree"
  python3 "$shared/tools/gen_claude_logs.py" --out "$tree" --seed 11 --projects 20 --days 90 --target-mb "$tree_mb" >/dev/null
fi

start_stack
source "$repo/scripts/lib/stack-connection.sh"
database="Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$CATSYPHON_DATABASE"

section "1. PostgreSQL COPY ceiling"
loadtest copy-ceiling --connection-string "$database" --rows "$copy_rows" | tee "$work/copy.txt"

section "2. ingest"
cpu_before=$(bash scripts/lib/stack-cpu.sh sample "$stack" "$CATSYPHON_DATA_DIR")
loadtest --sessions 200 --events "$events" --connections 16 | tee "$work/ingest.txt"
cpu_after=$(bash scripts/lib/stack-cpu.sh sample "$stack" "$CATSYPHON_DATA_DIR")
bash scripts/lib/stack-cpu.sh per-event "$cpu_before" "$cpu_after" "$(sed -n 's/^accepted: \([0-9,]*\) .*/\1/p' "$work/ingest.txt" | tr -d ,)" \
  | tee "$work/ingest-cpu.txt"

section "3. push a $tree_mb MB tree, then the query API"
workspace=$(api -X POST -H 'Content-Type: application/json' -d '{"name":"Bench","slug":"bench"}' http://localhost:8000/api/workspaces | jq -r .id)
catsyphon register --server http://localhost:8000 --workspace "$workspace" --token "$CATSYPHON_ADMIN_TOKEN" >/dev/null
scan=$(catsyphon scan "$tree/projects" --json)
expected=$(jq .tokens.total <<<"$scan") tree_events=$(jq .events <<<"$scan")
pushed=$(date +%s.%N)
catsyphon push "$tree/projects" >"$work/push.txt" 2>&1
sent=$(date +%s.%N)
until [[ "$(api "http://localhost:8000/api/stats/tokens?workspace_id=$workspace&group_by=model" | jq .totals.total)" == "$expected" ]]; do
  (( $(date +%s) - ${pushed%.*} < 900 )) || { echo "the pushed tree's tokens did not all arrive in 15 minutes" >&2; exit 1; }
  sleep 0.5
done
stored=$(date +%s.%N)
tree_size=$(du -sm --apparent-size "$tree/projects" | cut -f1)
push_line=$(awk -v mb="$tree_size" -v files="$(find "$tree/projects" -name '*.jsonl' | wc -l)" -v t0="$pushed" -v t1="$sent" -v t2="$stored" -v tokens="$expected" -v events="$tree_events" \
  'BEGIN { printf "push of %d MB (%d files, %d events): sent in %.1f s (%.1f MB/s); all persisted, the server'"'"'s token total (%.0f) equal to the scan'"'"'s, after %.1f s", mb, files, events, t1 - t0, mb / (t1 - t0), tokens, t2 - t0 }')
echo "$push_line"
# Disk per event, before the search seed adds its own: everything stored so far (the ingest load's and the tree's
# events, with their indexes, tool calls, files, plans and rollups) over the events stored.
disk_line=$(psql -d "$CATSYPHON_DATABASE" -tAF ' ' -c "SELECT pg_database_size(current_database()), (SELECT sum(event_count) FROM conversations)" \
  | awk '{ printf "disk: %.0f MB for %d events stored = %.2f KB per event, %.2f GB per million events", $1 / 1048576, $2, $1 / $2 / 1024, $1 / $2 * 1e6 / 1073741824 }')
echo "$disk_line"
searched=$(api -X POST -H 'Content-Type: application/json' -d '{"name":"Search","slug":"search"}' http://localhost:8000/api/workspaces | jq -r .id)
loadtest seed-search --connection-string "$database" --workspace "$searched" --events "$search_events" --other-events "$((search_events * 10))" | tee "$work/seed.txt"
loadtest queries --workspace "$workspace" --search-workspace "$searched" --iterations "$iterations" | tee "$work/queries.txt"
stop_stack

section "4. catsyphon scan against ccusage"
for scan_mb in $scan_trees; do
  bash scripts/bench-scan.sh --tree-mb "$scan_mb" "" "$scan_runs" | tee "$work/scan-$scan_mb.txt"
done

section "5. hot-path benchmarks"
dotnet run -c Release --no-build --project benchmarks/CatSyphon.Benchmarks -- --filter '*' --artifacts "$work/benchmarks" >"$work/benchmarks.txt" 2>&1 \
  || { tail -30 "$work/benchmarks.txt" >&2; echo "the benchmarks failed" >&2; exit 1; }
hot_paths=$(cat "$work"/benchmarks/results/*-report-github.md)
echo "$hot_paths"

median() { awk -v tool="$1" '$1 == tool && $3 == "median" { print $4 }' "$work/scan-$2.txt"; }
scan_line() {
  echo "scan, $(grep 'MB of .jsonl' "$work/scan-$1.txt"):"
  echo "  catsyphon scan $(median catsyphon "$1") s, ccusage $(median ccusage "$1") s: catsyphon is $(awk -v a="$(median ccusage "$1")" -v b="$(median catsyphon "$1")" 'BEGIN { printf "%.2fx", a / b }') ccusage"
  echo "  $(grep '^token total' "$work/scan-$1.txt")"
}
rate() { sed -n "s/^$1:.* = \([0-9,]*\) .*/\1/p" "$work/$2" | tr -d ,; }
ceiling=$(rate "copy ceiling" copy.txt) persisted=$(rate persisted ingest.txt)
cat <<EOF

==================== CatSyphon bench summary ====================
date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' (with local changes)')
machine: $(nproc) cores, $(uptime | sed 's/.*load/load/'), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
$(grep '^copy ceiling' "$work/copy.txt")
ingest, 200 sessions x $events events, 16 connections:
  $(grep '^accepted' "$work/ingest.txt")
  $(grep '^persisted' "$work/ingest.txt")
  $(grep '^latency' "$work/ingest.txt")
  $(cat "$work/ingest-cpu.txt")
  persisted / COPY ceiling: $(awk -v p="$persisted" -v c="$ceiling" 'BEGIN { printf "%.1f%%", 100 * p / c }')
$push_line
$disk_line
queries ($iterations requests each; search in $(sed -n 's/^CatSyphon search seed: \([0-9,]* events\) in workspace [^,]*, \(.*\), [0-9]* per conversation.*/a workspace of \1, \2/p' "$work/seed.txt")):
$(sed -n '/^query/,$p' "$work/queries.txt")
$(for scan_mb in $scan_trees; do scan_line "$scan_mb"; done)
hot paths, per event:
$hot_paths
==================================================================
EOF
