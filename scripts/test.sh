#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
dir=$("$root/scripts/build.sh" RelWithDebInfo | tail -n 1)
cd "$dir"
ctest --output-on-failure -j2 "$@"
