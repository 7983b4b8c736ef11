#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build/fuzz and runs each for the given
# seconds (default 60) on a scratch copy of its seed corpus, so nothing new lands in the repository.
# Fails when any target finds a crash, a sanitizer report or a violated property; the input that did
# it is kept in build/fuzz/artifacts/<target>/ (replay: build/fuzz/tests/fuzz/fuzz_<target> <file>).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
"$root/scripts/install-deps.sh"
dir="$root/build/fuzz"
# -O1 with assertions left on: nlohmann's and the standard library's checks become findings too.
# -g1: line tables for the crash stacks, not the full debug information.
cmake -S "$root" -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCXOS_FUZZ=ON \
  -DCXOS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" >/dev/null
cmake --build "$dir" -j"${CXOS_JOBS:-2}" --target cxos_fuzzers

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
failed=()
for corpus in "$root"/tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  case "$target" in
    teams_jwt) max_len=20000 ;; # past the verifier's 16 KiB token limit
    config_yaml) max_len=8192 ;;
    *) max_len=16384 ;;
  esac
  mkdir -p "$scratch/$target" "$dir/artifacts/$target"
  cp -r "$corpus". "$scratch/$target/"
  echo "cxos: fuzzing $target for ${seconds}s" >&2
  if ! "$dir/tests/fuzz/fuzz_$target" "$scratch/$target" -max_total_time="$seconds" -max_len="$max_len" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/$target/" \
      >"$scratch/$target.log" 2>&1; then
    tail -n 60 "$scratch/$target.log" >&2
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units|^Done' "$scratch/$target.log" | tr '\n' ' ' >&2 || true
    echo >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "cxos: fuzzing found problems in: ${failed[*]} (inputs in $dir/artifacts/)" >&2
  exit 1
fi
echo "cxos: every fuzz target ran ${seconds}s without a finding" >&2
