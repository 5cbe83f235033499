# Finds the local-mode stack's PostgreSQL and Redis (sourced by backup.sh and restore.sh).
# Their ports are picked at each start, so they are read from the running servers of the data folder:
# PostgreSQL's command line names "-D <data>/postgres -p <port>"; Redis runs in <data>/redis and names its port in
# its process title. Overrides: PGPORT, REDIS_PORT, PGPASSWORD, REDIS_PASSWORD, CATSYPHON_DATABASE.

fail() { echo "error: $*" >&2; exit 1; }

if [[ -z "${CATSYPHON_DATA_DIR:-}" ]]; then
  if [[ $(id -u) -eq 0 ]]; then CATSYPHON_DATA_DIR=/var/lib/catsyphon; else CATSYPHON_DATA_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/catsyphon"; fi
fi
CATSYPHON_DATABASE="${CATSYPHON_DATABASE:-catsyphon}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

for tool in pg_dump pg_restore psql redis-cli python3; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (bash scripts/prerequisites.sh installs PostgreSQL and Redis)."
done

# The process whose command line or working folder names the data folder.
find_server() { # $1: pattern of the command line, $2: working folder (or "")
  local pid
  for pid in $(pgrep -f "$1" || true); do
    if [[ -z "$2" || "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$2" ]]; then echo "$pid"; return; fi
  done
}

if [[ -z "${PGPORT:-}" ]]; then
  pid=$(find_server "postgres -D $CATSYPHON_DATA_DIR/postgres " "")
  [[ -n "$pid" ]] || fail "no PostgreSQL runs on $CATSYPHON_DATA_DIR/postgres. Start the stack (bash scripts/run.sh), or set CATSYPHON_DATA_DIR or PGPORT."
  PGPORT=$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed -n 's/.* -p \([0-9]*\).*/\1/p')
fi
if [[ -z "${REDIS_PORT:-}" ]]; then
  pid=$(find_server "redis-server" "$CATSYPHON_DATA_DIR/redis")
  [[ -n "$pid" ]] || fail "no Redis runs in $CATSYPHON_DATA_DIR/redis. Start the stack, or set CATSYPHON_DATA_DIR or REDIS_PORT."
  REDIS_PORT=$(tr '\0' ' ' < "/proc/$pid/cmdline" | sed -n 's/.*:\([0-9][0-9]*\).*/\1/p')
fi
if [[ -z "${PGPASSWORD:-}" ]]; then
  PGPASSWORD=$(dotnet user-secrets list --project "$REPO_ROOT/CatSyphon.AppHost" 2>/dev/null | sed -n 's/^Parameters:postgres-password = //p')
  [[ -n "$PGPASSWORD" ]] || fail "set PGPASSWORD: the app host's user secrets have no postgres-password."
fi
if [[ -z "${REDIS_PASSWORD:-}" ]]; then
  REDIS_PASSWORD=$(sed -n 's/^requirepass //p' "$CATSYPHON_DATA_DIR/redis/redis.conf" 2>/dev/null || true)
  [[ -n "$REDIS_PASSWORD" ]] || fail "set REDIS_PASSWORD: $CATSYPHON_DATA_DIR/redis/redis.conf cannot be read."
fi
[[ -n "$PGPORT" && -n "$REDIS_PORT" ]] || fail "could not read the servers' ports; set PGPORT and REDIS_PORT."

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT PGUSER="${PGUSER:-postgres}" PGPASSWORD
export REDISCLI_AUTH="$REDIS_PASSWORD"
REDIS_CLI=(redis-cli -h "${REDIS_HOST:-127.0.0.1}" -p "$REDIS_PORT")
"${REDIS_CLI[@]}" PING >/dev/null 2>&1 || fail "Redis on port $REDIS_PORT does not answer (wrong port or password?)."
psql -d "$CATSYPHON_DATABASE" -Atqc "SELECT 1" >/dev/null || fail "PostgreSQL on port $PGPORT does not answer for database $CATSYPHON_DATABASE."
