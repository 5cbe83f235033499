#!/usr/bin/env bash
# Makes sure this machine has what CatSyphon's local mode and its tests need: the .NET SDK, redis-server,
# the PostgreSQL server binaries, chromium (the browser tests drive it; Playwright cannot download
# browsers here), and for the deployment tests docker-compose (validates deploy/compose without a daemon),
# nginx (the reverse-proxy recipe), pgbouncer (transaction pooling) and prometheus (promtool checks the alert rules).
# Installs the missing ones from the OS packages when it has the rights, otherwise stops with the exact command to run. Used by scripts/run.sh, scripts/test.sh and .ci/run.
set -euo pipefail

postgres_major=15
missing_packages=()

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET SDK is not installed (global.json names the version); see https://dot.net" >&2
  exit 1
fi

if ! command -v redis-server >/dev/null 2>&1; then
  missing_packages+=(redis-server)
fi

if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
  missing_packages+=("postgresql-${postgres_major}")
fi

if [ ! -x /usr/bin/chromium ]; then
  missing_packages+=(chromium)
fi

if ! command -v docker-compose >/dev/null 2>&1; then
  missing_packages+=(docker-compose)
fi

# Both live in /usr/sbin, which a non-root PATH may lack.
for server in nginx pgbouncer; do
  if [ ! -x "/usr/sbin/${server}" ]; then
    missing_packages+=("${server}")
  fi
done

# promtool validates deploy/monitoring's alert rules (AlertRulesTests); it comes with Debian's prometheus package.
if [ ! -x /usr/bin/promtool ]; then
  missing_packages+=(prometheus)
fi

if [ ${#missing_packages[@]} -eq 0 ]; then
  exit 0
fi

install_line="apt-get update && apt-get install -y ${missing_packages[*]}"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "error: missing ${missing_packages[*]}. Install them, then run this again:" >&2
  echo "  sudo sh -c '${install_line}'" >&2
  exit 1
fi

echo "Installing ${missing_packages[*]} from the OS packages..."
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq "${missing_packages[@]}" >/dev/null
# The packages start their own system-wide servers where an init system runs; CatSyphon runs its own.
for service in redis-server postgresql nginx pgbouncer prometheus prometheus-node-exporter; do
  "${as_root[@]}" service "$service" stop >/dev/null 2>&1 || true
done
