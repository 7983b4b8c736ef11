#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test through ctest. The
# storage tests run on SQLite and on PostgreSQL: a throwaway server (scripts/test-postgres.sh)
# is started for the run and stopped however it ends, unless CXOS_TEST_POSTGRES_URL already
# names one. The end-to-end tests stay on SQLite unless CXOS_E2E_BACKEND=postgresql.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
dir=$("$root/scripts/build.sh" RelWithDebInfo | tail -n 1)
cd "$dir"
if [ -n "${CXOS_TEST_POSTGRES_URL:-}" ]; then
  exec ctest --output-on-failure -j2 "$@"
fi
exec "$root/scripts/test-postgres.sh" run ctest --output-on-failure -j2 "$@"
