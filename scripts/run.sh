#!/usr/bin/env bash
# Runs the whole CatSyphon stack (PostgreSQL, Redis, migrations, API, worker, web) under the Aspire app host.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh
exec dotnet run --project CatSyphon.AppHost --launch-profile http "$@"
