#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running cxos: install what is missing,
# build Release, serve the example config on an embedded SQLite database.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
dir=$("$root/scripts/build.sh" Release | tail -n 1)
cd "$root"
exec "$dir/bot/cxos" serve --config "${CXOS_CONFIG:-manifests/cxos.example.yaml}" "$@"
