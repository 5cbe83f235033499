#!/usr/bin/env bash
# Side-by-side benchmark: `catsyphon scan --json` (the packed tool, as `dotnet tool install` gives it)
# against ccusage 20.0.24 `claude daily --json --offline -z UTC`, on the same generated tree, runs
# alternating, in one invocation. Prints each run, the median and MB/s of both, and checks that the
# token totals of the two reports are equal.
# Usage: scripts/bench-scan.sh [TREE] [RUNS]
#   TREE (absent or "") defaults to a 100 MB tree from ../shared/tools/gen_claude_logs.py (--seed 7, made once);
#   RUNS defaults to 5.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd || true)"
source "$repo/scripts/lib/ccusage.sh"

tree="${1:-${TMPDIR:-/tmp}/catsyphon-gen-100mb-seed7}"
runs="${2:-5}"
if [[ -z "${1:-}" && ! -f "$tree/manifest.json" ]]; then
  rm -rf "$tree"
  echo "generating a 100 MB tree in $tree" >&2
  python3 "$shared/tools/gen_claude_logs.py" --out "$tree" --seed 7 --projects 12 --target-mb 100 >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "packing and installing catsyphon (Release)" >&2
for rid in "" "-r linux-x64" "-r any"; do
  # shellcheck disable=SC2086
  dotnet pack "$repo/CatSyphon.Collector" -c Release $rid -o "$work/packages" -v q -nologo >/dev/null
done
dotnet tool install CatSyphon.Collector --tool-path "$work/tool" --add-source "$work/packages" >/dev/null

logs="$tree/projects"; [[ -d "$logs" ]] || logs="$tree"
python3 - "$work/tool/catsyphon" "$ccusage" "$tree" "$logs" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time
catsyphon, ccusage, tree, logs, runs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(logs) for f in fs if f.endswith(".jsonl"))
tools = {
    "catsyphon scan": ([catsyphon, "scan", logs, "--json"], None),
    "ccusage daily": ([ccusage, "claude", "daily", "--json", "--offline", "-z", "UTC"], dict(os.environ, CLAUDE_CONFIG_DIR=tree)),
}
times, outputs = {name: [] for name in tools}, {}
for run in range(runs + 1):  # run 0 warms the page cache and is not counted
    for name, (cmd, env) in tools.items():
        start = time.perf_counter()
        out = subprocess.run(cmd, env=env, check=True, capture_output=True).stdout
        elapsed = time.perf_counter() - start
        if run:
            times[name].append(elapsed)
            print(f"run {run}  {name:15} {elapsed:6.3f} s")
        outputs[name] = json.loads(out)
print(f"\n{size / 1e6:.1f} MB of .jsonl in {logs}, {runs} runs each")
for name, ts in times.items():
    median = statistics.median(ts)
    print(f"{name:15} median {median:6.3f} s  min {min(ts):6.3f} s  {size / 1e6 / median:6.0f} MB/s")
ours = outputs["catsyphon scan"]["tokens"]["total"]
t = outputs["ccusage daily"]["totals"]
theirs = t["inputTokens"] + t["outputTokens"] + t["cacheCreationTokens"] + t["cacheReadTokens"]
print(f"token total: catsyphon {ours:,}  ccusage {theirs:,}  {'EQUAL' if ours == theirs else 'DIFFERENT'}")
print(f"catsyphon scan also extracted {outputs['catsyphon scan']['events']:,} events "
      f"({outputs['catsyphon scan']['messages']:,} messages, {outputs['catsyphon scan']['tool_calls']:,} tool calls)")
sys.exit(0 if ours == theirs else 1)
PY
