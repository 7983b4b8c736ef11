#!/usr/bin/env bash
# The test suite under AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer, in
# build/sanitize (the cxos binary the end-to-end tests start is sanitized too). Warnings are not
# errors here: the normal build is the one with -Werror, and GCC's flow warnings at -O1 with
# sanitizer instrumentation add false positives (GCC bug 105616) without adding checks.
# Arguments go to ctest. scripts/test.sh runs this after the normal suite. The storage tests run
# on SQLite only here (PostgreSQL too when CXOS_TEST_POSTGRES_URL names a server): the PostgreSQL
# pass of the normal suite already covers that backend, and a second throwaway server would cost
# CI minutes for the same code paths on the cxos side. The .deb test is off in this tree.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/build/sanitize"
# -O1: fast enough for the end-to-end tests' timeouts; -g1: the line tables a report's stack
# needs, without the rest of the debug information (a third of this build's compile time); a Debug
# build type so that assert() stays on. The benchmarks are left out: nothing here runs them.
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCXOS_SANITIZE=ON -DCXOS_BUILD_BENCH=OFF >/dev/null
cmake --build "$dir" -j"${CXOS_JOBS:-2}"
cd "$dir"
ctest --output-on-failure -j2 "$@"
