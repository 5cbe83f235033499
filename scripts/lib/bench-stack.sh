# Builds, starts and stops a Release stack on a fresh temporary data folder for the measuring scripts (sourced by bench.sh and
# insights-distribution.sh). Needs $repo; sets CATSYPHON_ADMIN_TOKEN and PGPASSWORD when unset, CATSYPHON_DATA_DIR, $work
# (a temporary folder removed at exit with the data folder) and $stack (the app host's pid); gives stop_stack, the
# `catsyphon` tool of the Release build (its home in $work) and `api` (curl as the admin).
export CATSYPHON_ADMIN_TOKEN="${CATSYPHON_ADMIN_TOKEN:-$(openssl rand -hex 24)}"
export PGPASSWORD="${PGPASSWORD:-$(openssl rand -hex 20)}"   # the fresh database's password, so tools can reach it
export CATSYPHON_DATA_DIR="$(mktemp -d /var/tmp/catsyphon-bench.XXXXXX)"
chmod 755 "$CATSYPHON_DATA_DIR"   # PostgreSQL runs as its own user when we are root
work="$(mktemp -d)"
log="$work/apphost.log"
stack=""

for port in 8000 8080 18888; do
  if ss -ltn "sport = :$port" | grep -q LISTEN; then echo "port $port is taken: stop the stack that uses it first" >&2; exit 1; fi
done

stop_stack() {
  [[ -n "$stack" ]] || return 0
  # The app host and what it started. Its orchestrator (DCP) detaches from the app host's process tree, so the stack's
  # pids come from stack-cpu.sh (which follows DCP's --monitor); SIGTERM, since a background job ignores SIGINT, then
  # the stragglers by pid.
  local pids
  pids="$(bash "$repo/scripts/lib/stack-cpu.sh" pids "$stack" 2>/dev/null || true)"
  kill -TERM -- "-$stack" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$stack" 2>/dev/null || break; sleep 1; done
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  stack=""
}
cleanup() { stop_stack; sleep 2; rm -rf "$CATSYPHON_DATA_DIR" "$work"; }
trap cleanup EXIT

catsyphon() { CATSYPHON_HOME="$work/collector" dotnet "$repo/CatSyphon.Collector/bin/Release/net10.0/catsyphon.dll" "$@"; }
api() { curl -sf -H "Authorization: Bearer $CATSYPHON_ADMIN_TOKEN" "$@"; }
section() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }

build_release() {
  section "building Release"
  dotnet build "$repo/CatSyphon.sln" -c Release -v q -nologo >"$work/build.txt" || { cat "$work/build.txt" >&2; exit 1; }
}

start_stack() {
  section "starting the stack on $CATSYPHON_DATA_DIR"
  # Run from $repo (the caller's folder): setsid makes the app host lead its own process group, which stop_stack ends.
  setsid env "Parameters__postgres-password=$PGPASSWORD" "Infrastructure__DataDirectory=$CATSYPHON_DATA_DIR" \
    dotnet run --project "$repo/CatSyphon.AppHost" --launch-profile http -c Release --no-build >"$log" 2>&1 &
  stack=$!
  for _ in $(seq 1 180); do
    curl -sf http://localhost:8000/health >/dev/null && break
    kill -0 "$stack" 2>/dev/null || { tail -30 "$log" >&2; echo "the app host stopped" >&2; exit 1; }
    sleep 2
  done
  curl -sf http://localhost:8000/health >/dev/null || { tail -30 "$log" >&2; echo "the API did not become healthy" >&2; exit 1; }
  sleep 5   # the worker's lanes start with the API
}
