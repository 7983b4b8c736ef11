#!/usr/bin/env bash
# Installs the Debian 12 packages cxos builds and tests against, only those that are missing,
# so a second run is quick and offline.
set -euo pipefail
packages=(
  build-essential cmake pkg-config ca-certificates
  libboost1.81-dev libboost-url1.81-dev libssl-dev nlohmann-json3-dev catch2
  libsqlite3-dev libyaml-cpp-dev libhowardhinnant-date-dev tzdata
  libpq-dev   # the PostgreSQL backend's client library
  libmimalloc-dev  # the allocator cxos links when present (bot/CMakeLists.txt, CXOS_MIMALLOC)
  postgresql  # the tests' throwaway server (scripts/test-postgres.sh); cxos needs no server to build
  chromium chromium-driver  # the dashboard's browser test drives headless Chromium
  dpkg-dev file             # the .deb: dpkg-shlibdeps computes its Depends; the test checks it is stripped
  systemd procps            # the package test verifies cxos.service (systemd-analyze, /bin/kill)
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer and the sanitizers' runtimes
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The Teams card check runs Microsoft's adaptivecards library in Node. A node already on the
# machine, from any source, will do; Debian's packages only when there is none.
if ! command -v node >/dev/null; then
  missing+=(nodejs npm)
elif ! command -v npm >/dev/null; then
  missing+=(npm)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "cxos: missing packages: ${missing[*]}; run this script as root (sudo) to install them" >&2
    exit 1
  fi
  echo "cxos: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
