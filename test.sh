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

exec dotnet test Fabric.sln -c Release "$@"
