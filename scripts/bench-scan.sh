#!/usr/bin/env bash
# Side-by-side benchmark: `catsyphon scan --json` (the packed tool, as `dotnet tool install` gives it)
# against ccusage 20.0.24 `claude daily --json --offline -z UTC`, on the same generated tree, runs
# alternating, in one invocation. Prints each run, the median and MB/s of both, the ratio, and checks that
# the token totals of the two reports are equal. Each run's CPU time (user + system, all threads) is printed too:
# on a machine others load, wall times swing with the scheduler while CPU time stays close to the work done.
# Usage: scripts/bench-scan.sh [--tree-mb 100|500] [--baseline GITREF] [TREE] [RUNS]
#   --tree-mb: which generated tree when TREE is absent or "": 100 (default; ../shared/tools/gen_claude_logs.py
#     --seed 7 --projects 12) or 500 (--seed 11 --projects 20), made once in $TMPDIR;
#   --baseline: also packs the tool as it is at GITREF (e.g. main) and runs it in the same alternation, so a
#     change is compared with its base in one sitting;
#   RUNS defaults to 5.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
shared="$(cd "$repo/../shared" 2>/dev/null && pwd || true)"

tree_mb=100 baseline="" positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tree-mb|--baseline)
      [[ $# -ge 2 ]] || { echo "$1 needs a value" >&2; exit 2; }
      if [[ "$1" == --tree-mb ]]; then tree_mb="$2"; else baseline="$2"; fi
      shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) positional+=("$1"); shift ;;
  esac
done
case "$tree_mb" in
  100) seed=7 projects=12 ;;
  500) seed=11 projects=20 ;;
  *) echo "--tree-mb takes 100 or 500, not '$tree_mb'" >&2; exit 2 ;;
esac
if [[ -n "$baseline" ]] && ! git -C "$repo" rev-parse --verify -q "$baseline^{commit}" >/dev/null; then
  echo "--baseline: no such commit '$baseline'" >&2; exit 2
fi
source "$repo/scripts/lib/ccusage.sh"

tree="${positional[0]:-}"
runs="${positional[1]:-5}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "RUNS must be a positive number, not '$runs'" >&2; exit 2; }
if [[ -z "$tree" ]]; then
  tree="${TMPDIR:-/tmp}/catsyphon-gen-${tree_mb}mb-seed$seed"
  if [[ ! -f "$tree/manifest.json" ]]; then
    rm -rf "$tree"
    echo "generating a $tree_mb MB tree in $tree" >&2
    python3 "$shared/tools/gen_claude_logs.py" --out "$tree" --seed "$seed" --projects "$projects" --target-mb "$tree_mb" >/dev/null
  fi
fi

work="$(mktemp -d)"
cleanup() {
  [[ -z "$baseline" ]] || git -C "$repo" worktree remove --force "$work/baseline-src" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# install_tool SOURCE DEST: packs SOURCE's collector (Release; framework-dependent, linux-x64 native AOT, any)
# and installs it into DEST as `dotnet tool install` would.
install_tool() {
  for rid in "" "-r linux-x64" "-r any"; do
    # shellcheck disable=SC2086
    dotnet pack "$1/CatSyphon.Collector" -c Release $rid -o "$2/packages" -v q -nologo >/dev/null
  done
  dotnet tool install CatSyphon.Collector --tool-path "$2/tool" --add-source "$2/packages" >/dev/null
}
echo "packing and installing catsyphon (Release)" >&2
install_tool "$repo" "$work/this"
baseline_tool=""
if [[ -n "$baseline" ]]; then
  echo "packing and installing catsyphon at $baseline (Release)" >&2
  git -C "$repo" worktree add --detach -q "$work/baseline-src" "$baseline"
  install_tool "$work/baseline-src" "$work/baseline"
  baseline_tool="$work/baseline/tool/catsyphon"
fi

logs="$tree/projects"; [[ -d "$logs" ]] || logs="$tree"
echo "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$work/this/tool/catsyphon" "$ccusage" "$tree" "$logs" "$runs" "$baseline_tool" "$baseline" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
catsyphon, ccusage, tree, logs, runs, baseline, baseline_ref = sys.argv[1:]
runs = int(runs)
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(logs) for f in fs if f.endswith(".jsonl"))
tools = {
    "catsyphon scan": ([catsyphon, "scan", logs, "--json"], None),
    "ccusage daily": ([ccusage, "claude", "daily", "--json", "--offline", "-z", "UTC"], dict(os.environ, CLAUDE_CONFIG_DIR=tree)),
}
if baseline:
    tools["baseline scan"] = ([baseline, "scan", logs, "--json"], None)
times, cpus, outputs = {name: [] for name in tools}, {name: [] for name in tools}, {}
for run in range(runs + 1):  # run 0 warms the page cache and is not counted
    for name, (cmd, env) in tools.items():
        used, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        out = subprocess.run(cmd, env=env, check=True, capture_output=True).stdout
        elapsed, now = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = now.ru_utime - used.ru_utime + now.ru_stime - used.ru_stime
        if run:
            times[name].append(elapsed)
            cpus[name].append(cpu)
            print(f"run {run}  {name:15} {elapsed:6.3f} s  cpu {cpu:6.3f} s")
        outputs[name] = out
print(f"\n{size / 1e6:.1f} MB of .jsonl in {logs}, {runs} runs each")
for name, ts in times.items():
    median = statistics.median(ts)
    print(f"{name:15} median {median:6.3f} s  min {min(ts):6.3f} s  {size / 1e6 / median:6.0f} MB/s  cpu median {statistics.median(cpus[name]):6.3f} s")
medians = {name: statistics.median(ts) for name, ts in times.items()}
cpu = {name: statistics.median(cs) for name, cs in cpus.items()}
print(f"catsyphon scan is {medians['ccusage daily'] / medians['catsyphon scan']:.2f}x ccusage (ratio of medians; "
      f"CPU time {cpu['ccusage daily'] / cpu['catsyphon scan']:.2f}x less)")
reports = {name: json.loads(out) for name, out in outputs.items()}
if baseline:
    print(f"baseline ({baseline_ref}) is {medians['ccusage daily'] / medians['baseline scan']:.2f}x ccusage; "
          f"catsyphon scan is {medians['baseline scan'] / medians['catsyphon scan']:.2f}x the baseline "
          f"(CPU time {cpu['baseline scan'] / cpu['catsyphon scan']:.2f}x less); "
          f"reports {'BYTE-IDENTICAL' if outputs['baseline scan'] == outputs['catsyphon scan'] else 'DIFFERENT'}")
print(f"load average after the runs: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
ours = reports["catsyphon scan"]["tokens"]["total"]
t = reports["ccusage daily"]["totals"]
theirs = t["inputTokens"] + t["outputTokens"] + t["cacheCreationTokens"] + t["cacheReadTokens"]
print(f"token total: catsyphon {ours:,}  ccusage {theirs:,}  {'EQUAL' if ours == theirs else 'DIFFERENT'}")
scan = reports["catsyphon scan"]
print(f"catsyphon scan also extracted {scan['events']:,} events ({scan['messages']:,} messages, {scan['tool_calls']:,} tool calls)")
sys.exit(0 if ours == theirs else 1)
PY
