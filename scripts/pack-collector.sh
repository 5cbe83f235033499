#!/usr/bin/env bash
# Packs the collector as the server's NuGet feed offers it, into artifacts/collector-packages (or the folder given):
# the CatSyphon.Collector tool package and its two parts, linux-x64 (native AOT) and any (framework-dependent, every
# other platform). A run of the app host offers that folder; a published API packs its own (see its project file).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet msbuild CatSyphon.ApiService -nologo -v:m -t:PackCollectorForFeed -p:CollectorPackagesDir="$(realpath -m "${1:-artifacts/collector-packages}")"
