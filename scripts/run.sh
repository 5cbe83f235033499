#!/usr/bin/env bash
# Runs the whole CatSyphon stack (PostgreSQL, Redis, migrations, API, worker, web) under the Aspire app host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
# The collector this server offers at /nuget/v3/index.json: packed on the first run (scripts/pack-collector.sh packs it again).
if ! compgen -G "artifacts/collector-packages/CatSyphon.Collector.[0-9]*.nupkg" > /dev/null; then
  bash scripts/pack-collector.sh || echo "warning: the collector could not be packed, so the server offers none (see above)" >&2
fi
exec dotnet run --project CatSyphon.AppHost --launch-profile http "$@"
