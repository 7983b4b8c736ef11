#!/usr/bin/env bash
# The whole test suite: install what is missing, build (warnings are errors), run every test
# through ctest, then each fuzz target briefly, then the suite again under ASan and UBSan
# (scripts/sanitize.sh) unless CXOS_SANITIZE_STAGE=0. The storage tests run on SQLite and on
# PostgreSQL: a throwaway server (scripts/test-postgres.sh) is started for the run and stopped
# however it ends, unless CXOS_TEST_POSTGRES_URL already names one. The end-to-end tests stay on
# SQLite unless CXOS_E2E_BACKEND=postgresql. Arguments go to both ctest runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
# -g1 (line tables: backtraces keep their files and lines) rather than -g: full debug information
# took ~40 % of the compile time of the Beast-heavy files and nothing here reads it.
dir=$("$root/scripts/build.sh" RelWithDebInfo -DCXOS_WERROR=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  | tail -n 1)
cd "$dir"
# ctest with the storage tests on SQLite and a throwaway PostgreSQL (unless CXOS_TEST_POSTGRES_URL
# names one already).
if [ -n "${CXOS_TEST_POSTGRES_URL:-}" ]; then
  ctest --output-on-failure -j2 "$@"
else
  "$root/scripts/test-postgres.sh" run ctest --output-on-failure -j2 "$@"
fi
# Then every fuzz target briefly (CXOS_FUZZ_SECONDS each): enough to catch a decoder that stopped
# refusing what it should; scripts/fuzz.sh 600 searches for real.
"$root/scripts/fuzz.sh" "${CXOS_FUZZ_SECONDS:-15}"
if [ "${CXOS_SANITIZE_STAGE:-1}" != 0 ]; then
  "$root/scripts/sanitize.sh" "$@"
fi
