#!/usr/bin/env bash
# The test command: ./test.sh [extra `dotnet test` arguments]
# Ensures the tests' PostgreSQL server runs (tests/pg/start-postgres.sh, idempotent; skipped when
# FABRIC_TEST_PG names a server of your own), then runs every test project in Release.
set -euo pipefail
cd "$(dirname "$0")"

command -v dotnet >/dev/null 2>&1 ||
    { echo "test.sh: ERROR: the .NET SDK ('dotnet') is not on PATH; install the SDK named in global.json." >&2; exit 1; }

if [ -n "${FABRIC_TEST_PG:-}" ]; then
    echo "test.sh: using FABRIC_TEST_PG for PostgreSQL; not starting the local test server." >&2
else
    tests/pg/start-postgres.sh >/dev/null ||
        { echo "test.sh: ERROR: PostgreSQL for the tests could not be installed or started (see above)." >&2; exit 1; }
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Fabric.sln -c Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line over all test projects: "N passed, N failed, N skipped".
awk '/^(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+/ {
        gsub(",", ""); failed += $4; passed += $6; skipped += $8
     }
     END { printf "Total: %d passed, %d failed, %d skipped\n", passed, failed, skipped }' "$log"
exit "$status"
