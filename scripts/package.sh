#!/usr/bin/env bash
# Builds cxos in Release and packs it as a Debian package (CPack, packaging/cpack.cmake); the last
# line printed is the .deb's path. Install it with `apt install ./cxos_…deb` (README: "Install as
# a service").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
dir="$root/build/release" # the tree scripts/serve.sh builds too: no second compile of cxos
cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$dir" -j"${CXOS_JOBS:-2}" --target cxos >/dev/null
log=$(cpack --config "$dir/CPackConfig.cmake" -B "$dir/packages")
deb=$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' <<<"$log")
if [ -z "$deb" ]; then
  echo "$log" >&2
  echo "cxos: cpack made no .deb" >&2
  exit 1
fi
echo "$deb"
