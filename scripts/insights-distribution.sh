#!/usr/bin/env bash
# The deterministic tags over a generated tree, through the product's own path: builds Release, starts the stack on an
# empty data folder, pushes the tree with the collector, waits until the worker has tagged every session, then prints
# the outcome and intent distribution (GET /api/stats/insights) and how long tagging took after the last event was
# stored. Stops the stack and removes its folder.
# Usage: bash scripts/insights-distribution.sh [--tree-mb N] [--seed N] [--projects N]
#   default: the 100 MB tree of scripts/bench-scan.sh (../shared/tools/gen_claude_logs.py --seed 7 --projects 12),
#   made once in $TMPDIR. The ports 8000, 8080 and 18888 must be free.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/../shared" && pwd)"
cd "$repo"

tree_mb=100 seed=7 projects=12
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tree-mb|--seed|--projects)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "$1 needs a positive whole number" >&2; exit 2; }
      name="${1#--}"; printf -v "${name//-/_}" %s "$2"; shift 2 ;;
    *) echo "usage: $0 [--tree-mb N] [--seed N] [--projects N]" >&2; exit 2 ;;
  esac
done
source "$repo/scripts/lib/bench-stack.sh"

build_release
tree="${TMPDIR:-/tmp}/catsyphon-gen-${tree_mb}mb-seed$seed"
if [[ ! -f "$tree/manifest.json" ]]; then
  section "generating a $tree_mb MB tree in $tree"
  rm -rf "$tree"
  python3 "$shared/tools/gen_claude_logs.py" --out "$tree" --seed "$seed" --projects "$projects" --target-mb "$tree_mb" >/dev/null
fi
start_stack

section "pushing $tree"
workspace=$(api -X POST -H 'Content-Type: application/json' -d '{"name":"Insights","slug":"insights"}' http://localhost:8000/api/workspaces | jq -r .id)
catsyphon register --server http://localhost:8000 --workspace "$workspace" --token "$CATSYPHON_ADMIN_TOKEN" >/dev/null
expected=$(catsyphon scan "$tree/projects" --json | jq .tokens.total)
catsyphon push "$tree/projects" >"$work/push.txt" 2>&1
started=$(date +%s)
until [[ "$(api "http://localhost:8000/api/stats/tokens?workspace_id=$workspace&group_by=model" | jq .totals.total)" == "$expected" ]]; do
  (( $(date +%s) - started < 900 )) || { echo "the pushed tree's tokens did not all arrive in 15 minutes" >&2; exit 1; }
  sleep 0.5
done
stored=$(date +%s.%N)

section "waiting for the worker to tag every session"
# Generated sessions lie in the past, so each is over (idle) as soon as it is stored; the worker looks every minute.
until report=$(api "http://localhost:8000/api/stats/insights?workspace_id=$workspace") && [[ $(jq '.tagged == .sessions and .sessions > 0' <<<"$report") == true ]]; do
  (( $(date +%s) - started < 1800 )) || { echo "not every session was tagged in 30 minutes: $report" >&2; exit 1; }
  sleep 1
done
tagged=$(date +%s.%N)

echo "tree: $tree ($(du -sm --apparent-size "$tree/projects" | cut -f1) MB)"
jq -r --arg seconds "$(awk -v a="$stored" -v b="$tagged" 'BEGIN { printf "%.0f", b - a }')" '
  "sessions: \(.sessions), all tagged \(if ($seconds | tonumber) < 2 then "by the time the last event was stored" else "\($seconds) s after the last event was stored" end) (the worker looks every minute)",
  "outcome: " + ([.outcomes | to_entries[] | select(.value > 0) | "\(.key) \(.value)"] | join(", ")),
  "intent:  " + ([.intents | to_entries[] | select(.value > 0) | "\(.key) \(.value)"] | join(", "))' <<<"$report"
