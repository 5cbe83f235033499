#!/usr/bin/env bash
# Builds the solution and runs every test project, then prints one summary line summed over all of them:
# "N passed, N failed" (", N skipped" when some were). Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh || exit 1

results=TestResults
rm -rf "$results"

dotnet build CatSyphon.sln --nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

# The app host starts the services with 'dotnet run --no-build', so everything is built above.
# One results file per project, named after it, so no two runs can overwrite each other's.
test_exit=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" --no-build --nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" || test_exit=1
done

passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host that crashed writes no failure counters; the run still failed.
  failed=1
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ] && [ "$test_exit" -eq 0 ]
