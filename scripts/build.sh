#!/usr/bin/env bash
# Configures and builds cxos into build/<type>; the first argument is the CMake build type, the
# rest go to cmake's configure step (e.g. -DCXOS_WERROR=ON).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
type=${1:-Release}
dir="$root/build/$(echo "$type" | tr '[:upper:]' '[:lower:]')"
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE="$type" "${@:2}" >/dev/null
cmake --build "$dir" -j"${CXOS_JOBS:-2}"
echo "$dir"
