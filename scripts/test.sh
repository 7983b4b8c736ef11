#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test through ctest, then the
# fuzz targets for a short while.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
dir=$("$root/scripts/build.sh" RelWithDebInfo | tail -n 1)
(cd "$dir" && ctest --output-on-failure -j2 "$@")
# Then every fuzz target briefly (CXOS_FUZZ_SECONDS each): enough to catch a decoder that stopped
# refusing what it should; scripts/fuzz.sh 600 searches for real.
"$root/scripts/fuzz.sh" "${CXOS_FUZZ_SECONDS:-15}"
