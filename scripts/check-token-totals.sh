#!/usr/bin/env bash
# Compares the Claude token totals of `catsyphon scan --json` (LogTreeScanner + TokenLedger) with
# ccusage 20.0.24 (`ccusage claude daily --json --offline -z UTC`), by UTC day and by model, on:
#   1. the real logs (../shared/data/real-logs/claude), and
#   2. a generated tree (gen_claude_logs.py --seed 1 --projects 6 --target-mb 10).
# Usage: scripts/check-token-totals.sh [CLAUDE_CONFIG_DIR ...]   (defaults to the two trees above)
# Env: CCUSAGE_PREFIX (npm prefix to install ccusage into; default ~/.cache/catsyphon/ccusage-20.0.24).
# Prints PASS/FAIL per tree; exits non-zero on any mismatch.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd || true)"
source "$repo/scripts/lib/ccusage.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

trees=("$@")
if [[ ${#trees[@]} -eq 0 ]]; then
  trees=("$shared/data/real-logs/claude")
  gen="${TMPDIR:-/tmp}/catsyphon-gen-claude-seed1"
  if [[ ! -f "$gen/manifest.json" ]]; then
    rm -rf "$gen"
    python3 "$shared/tools/gen_claude_logs.py" --out "$gen" --seed 1 --projects 6 --target-mb 10 >/dev/null
  fi
  trees+=("$gen")
fi

dotnet build "$repo/CatSyphon.Collector" -c Release -v q -nologo >/dev/null
scan=("dotnet" "$repo/CatSyphon.Collector/bin/Release/net10.0/catsyphon.dll" "scan" "--json")

status=0
for tree in "${trees[@]}"; do
  CLAUDE_CONFIG_DIR="$tree" "$ccusage" claude daily --json --offline -z UTC >"$work/ccusage.json"
  logs="$tree/projects"; [[ -d "$logs" ]] || logs="$tree"
  "${scan[@]}" "$logs" >"$work/ours.json"
  if python3 - "$tree" "$work/ccusage.json" "$work/ours.json" <<'PY'
import json, sys
tree, cc_path, ours_path = sys.argv[1:]
cc, ours = json.load(open(cc_path)), json.load(open(ours_path))
K = (("input", "inputTokens"), ("output", "outputTokens"), ("cache_creation", "cacheCreationTokens"), ("cache_read", "cacheReadTokens"))
def theirs(d): return {k: d[c] for k, c in K} | {"total": sum(d[c] for _, c in K)}
def mine(d): return {k: d[k] for k, _ in K} | {"total": d["total"]}
cc_day = {d["date"]: theirs(d) for d in cc.get("daily", [])}
cc_model = {}
for d in cc.get("daily", []):
    for m in d.get("modelBreakdowns", []):
        t = cc_model.setdefault(m["modelName"], dict.fromkeys(("input", "output", "cache_creation", "cache_read", "total"), 0))
        for k, v in theirs(m).items(): t[k] += v
our_day = {k: mine(v) for k, v in ours["by_day"].items()}
# ccusage has no model row for model-less (<synthetic>) usage; it still counts in days and totals.
our_model = {k: mine(v) for k, v in ours["by_model"].items() if k != "<none>"}
bad = []
for name, a, b in (("day", cc_day, our_day), ("model", cc_model, our_model)):
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            bad.append(f"  {name} {key}: ccusage={a.get(key)} ours={b.get(key)}")
tot_cc, tot_ours = theirs(cc["totals"]), mine(ours["tokens"])
if tot_cc != tot_ours:
    bad.append(f"  totals: ccusage={tot_cc} ours={tot_ours}")
fmt = lambda t: f"total {t['total']:,} (input {t['input']:,} / output {t['output']:,} / cache creation {t['cache_creation']:,} / cache read {t['cache_read']:,})"
print(f"{'PASS' if not bad else 'FAIL'} {tree}")
print(f"  ccusage: {fmt(tot_cc)}, {len(cc_day)} days, {len(cc_model)} models")
print(f"  ours:    {fmt(tot_ours)}, {len(our_day)} days, {len(our_model)} models; {ours['files']} files, {ours['lines']} lines, {ours['malformed_lines']} malformed, {ours['events']} events")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
  then :; else status=1; fi
done
exit $status
