#!/usr/bin/env bash
# OTLP throughput through the product's own path: builds Release, starts the stack on an empty data folder, runs the
# load tool's otlp mode (protobuf /v1/logs bodies of Claude Code api_request events from several collectors) and prints
# records/s accepted and persisted with the request latencies. Stops the stack and removes its folder.
# Usage: bash scripts/bench-otlp.sh [load tool options, default: --requests 2000 --records 100 --sessions 200 --connections 16]
#   The ports 8000, 8080 and 18888 must be free.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
[[ $# -gt 0 ]] || set -- --requests 2000 --records 100 --sessions 200 --connections 16
source "$repo/scripts/lib/bench-stack.sh"

build_release
start_stack
section "OTLP load"
dotnet "$repo/tools/CatSyphon.LoadTest/bin/Release/net10.0/CatSyphon.LoadTest.dll" otlp "$@"
echo "machine: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
