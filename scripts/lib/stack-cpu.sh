#!/usr/bin/env bash
# CPU time of one running stack's processes, for a figure per accepted event (used by scripts/bench.sh):
#   stack-cpu.sh sample APPHOST_PID DATA_DIR     prints "api worker redis postgres" CPU seconds so far
#   stack-cpu.sh per-event BEFORE AFTER EVENTS   prints the CPU per event between two samples, in µs
#   stack-cpu.sh pids APPHOST_PID                prints the pids of the stack (scripts/bench.sh stops them all)
# A stack is found through its app host (the `dotnet run` of CatSyphon.AppHost): its orchestrator (DCP) detaches, but
# names the app host's process in `--monitor PID`, so the stack is the app host's descendants and the descendants of
# the DCP processes that monitor one of them. In it, the API and the worker are the processes that run
# CatSyphon.ApiService / CatSyphon.Worker (not the `dotnet run` that started them), Redis and PostgreSQL those that
# serve DATA_DIR, so another stack on the machine is never counted.
# CPU is utime+stime from /proc/<pid>/stat; PostgreSQL's is the postmaster's and every backend's, and the
# postmaster's cutime+cstime hold the backends that have already exited.
set -euo pipefail

fail() { echo "stack-cpu: $*" >&2; exit 1; }

# The stack's pids: those under the app host, then those under each DCP process that monitors one of them, and so on.
stack_pids() {
  ps -e -o pid=,ppid=,args= | awk -v root="$1" '
    { children[$2] = children[$2] " " $1 }
    $3 ~ /(^|\/)dcp$/ { for (i = 4; i < NF; i++) if ($i == "--monitor") monitors[$(i + 1)] = monitors[$(i + 1)] " " $1 }
    END {
      queue[1] = root; n = 1; known[root] = 1
      for (i = 1; i <= n; i++) {
        print queue[i]
        split(children[queue[i]] " " monitors[queue[i]], next_pids, " ")
        for (j in next_pids) if (!(next_pids[j] in known)) { known[next_pids[j]] = 1; queue[++n] = next_pids[j] }
      }
    }'
}

# Seconds of CPU of one process: fields 14-15 (utime, stime), and 16-17 (cutime, cstime) when $2 is "children".
# The command name (field 2) may hold spaces, so the fields are counted after its closing parenthesis.
cpu_seconds() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }
  awk -v tck="$(getconf CLK_TCK)" -v children="${2:-}" '{
    sub(/^.*\) /, ""); total = $12 + $13; if (children == "children") total += $14 + $15; printf "%.2f\n", total / tck }' <<<"$stat"
}

# The first of the given pids whose command line matches the pattern (an extended regex on argv joined by spaces).
first_matching() {
  local pattern="$1" pid; shift
  for pid in "$@"; do
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -Eq "$pattern"; then echo "$pid"; return; fi
  done
}

sample() {
  local apphost="$1" data="$2" pids api worker redis postmaster postgres=0 pid
  [[ -d "/proc/$apphost" ]] || fail "no process $apphost: the app host is not running"
  mapfile -t pids < <(stack_pids "$apphost")
  # The services run as an apphost (CatSyphon.ApiService) or as `dotnet CatSyphon.ApiService.dll`, never with `run`.
  api=$(first_matching '^([^ ]*/)?(CatSyphon\.ApiService|dotnet [^ ]*CatSyphon\.ApiService\.dll)( |$)' "${pids[@]}")
  worker=$(first_matching '^([^ ]*/)?(CatSyphon\.Worker|dotnet [^ ]*CatSyphon\.Worker\.dll)( |$)' "${pids[@]}")
  redis=""
  for pid in "${pids[@]}"; do
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == redis-server && "$(readlink "/proc/$pid/cwd")" == "$data/redis" ]]; then redis=$pid; break; fi
  done
  postmaster=$(first_matching "^([^ ]*/)?postgres -D $data/postgres " "${pids[@]}")
  for name in api worker redis postmaster; do [[ -n "${!name}" ]] || fail "no $name process under app host $apphost for $data"; done
  postgres=$(cpu_seconds "$postmaster" children)
  for pid in $(ps -o pid= --ppid "$postmaster"); do
    postgres=$(awk -v a="$postgres" -v b="$(cpu_seconds "$pid")" 'BEGIN { printf "%.2f", a + b }')
  done
  echo "$(cpu_seconds "$api") $(cpu_seconds "$worker") $(cpu_seconds "$redis") $postgres"
}

per_event() {
  local before after events="$3"
  read -ra before <<<"$1"
  read -ra after <<<"$2"
  [[ "$events" =~ ^[1-9][0-9]*$ ]] || fail "per-event needs a positive number of events, not '$events'"
  awk -v events="$events" -v b="${before[*]}" -v a="${after[*]}" 'BEGIN {
    split(b, x, " "); split(a, y, " "); split("API worker Redis PostgreSQL", name, " ")
    line = "CPU per accepted event:"
    for (i = 1; i <= 4; i++) { us[i] = 1e6 * (y[i] - x[i]) / events; all += us[i]; line = line sprintf(" %s %.1f µs,", name[i], us[i]) }
    printf "%s together %.1f µs (%.1f s of API CPU)\n", line, all, y[1] - x[1] }'
}

case "${1:-}" in
  sample) [[ $# -eq 3 ]] || fail "usage: stack-cpu.sh sample APPHOST_PID DATA_DIR"; sample "$2" "$3" ;;
  pids) [[ $# -eq 2 ]] || fail "usage: stack-cpu.sh pids APPHOST_PID"; stack_pids "$2" ;;
  per-event) [[ $# -eq 4 ]] || fail "usage: stack-cpu.sh per-event BEFORE AFTER EVENTS"; per_event "$2" "$3" "$4" ;;
  *) fail "usage: stack-cpu.sh sample APPHOST_PID DATA_DIR | per-event BEFORE AFTER EVENTS | pids APPHOST_PID" ;;
esac
