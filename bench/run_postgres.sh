#!/usr/bin/env bash
# The same signed /friction load (wrk, 64 connections, closed loop) against cxos on SQLite, on a
# throwaway PostgreSQL (scripts/test-postgres.sh, fsync on), then two instances on that one database with
# the load split over both ports (32 connections each): req/s and p99 of each, one sitting.
# Usage: bench/run_postgres.sh BUILD_DIR [seconds per run, default 10]  (CXOS_BENCH_POSTGRES=1
# bench/run.sh calls it with its Release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/run_postgres.sh BUILD_DIR [seconds]}
secs=${2:-10}

work=$(mktemp -d)
pids=()
pg=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "$pg" ] && "$root/scripts/test-postgres.sh" stop "$pg"
  rm -rf "$work"
}
trap cleanup EXIT

secret=bench-signing-secret-0123456789
fake_port=3423; port_a=3421; port_b=3422
# Durable, as SQLite runs here (synchronous=FULL): the tests' speed settings would flatter it.
pg=$(CXOS_TEST_POSTGRES_DURABLE=1 "$root/scripts/test-postgres.sh" start)
pg_url="$("$root/scripts/test-postgres.sh" url "$pg")"
psql "$pg_url" -qc 'CREATE DATABASE cxos_bench' >/dev/null
pg_url=${pg_url%/postgres}/cxos_bench

. "$root/bench/common.sh"
config() { bench_config "$1" "$2" $fake_port; } # port storage-url
config $port_a "sqlite://$work/cxos.db" >"$work/sqlite.yaml"
config $port_a "$pg_url" >"$work/pg_a.yaml"
config $port_b "$pg_url" >"$work/pg_b.yaml"

node "$root/bench/fake-slack.js" $fake_port & pids+=($!)
serve() { # config; the process id in $served
  SLACK_SIGNING_SECRET=$secret SLACK_BOT_TOKEN=xoxb-bench CXOS_LOG_LEVEL=warn \
    "$build/bot/cxos" serve --config "$1" >>"$work/cxos.log" 2>&1 &
  served=$!
  pids+=($served)
}

rps() { awk '$1 == "Requests/sec:" { print $2 }'; }
p99() { wrk_p99_ms | awk '{ printf "%.2f", $1 }'; }
non2xx() { awk '/Non-2xx/ { n=$5 } END { print n+0 }'; }
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

echo "== cxos on SQLite, wrk ${secs}s, 64 connections" >&2
serve "$work/sqlite.yaml"; a=$served; wait_port $port_a
sqlite_out=$(run_wrk $port_a 64); echo "$sqlite_out" >&2
stop "$a"

echo "== cxos on PostgreSQL, one instance, wrk ${secs}s, 64 connections" >&2
serve "$work/pg_a.yaml"; a=$served; wait_port $port_a
one_out=$(run_wrk $port_a 64); echo "$one_out" >&2

echo "== cxos on PostgreSQL, two instances, wrk ${secs}s, 32 connections on each" >&2
serve "$work/pg_b.yaml"; b=$served; wait_port $port_b
run_wrk $port_a 32 >"$work/two_a.txt" & wa=$!
run_wrk $port_b 32 >"$work/two_b.txt" & wb=$!
wait $wa $wb
cat "$work/two_a.txt" "$work/two_b.txt" >&2
stop "$a"; stop "$b"

bad=$(( $(echo "$sqlite_out" | non2xx) + $(echo "$one_out" | non2xx) + $(non2xx <"$work/two_a.txt") + $(non2xx <"$work/two_b.txt") ))
[ "$bad" -eq 0 ] || { echo "FAIL: $bad answers were not 200 (see above)" >&2; exit 1; }
two_rps=$(cat "$work/two_a.txt" "$work/two_b.txt" | rps | awk '{ s += $1 } END { printf "%.0f", s }')
two_p99=$( (p99 <"$work/two_a.txt"; echo; p99 <"$work/two_b.txt") | sort -g | tail -n 1)

printf '\n%-36s %10s %10s\n' "" "req/s" "p99 ms"
printf '%-36s %10.0f %10s\n' "SQLite, one instance" "$(echo "$sqlite_out" | rps)" "$(echo "$sqlite_out" | p99)"
printf '%-36s %10.0f %10s\n' "PostgreSQL, one instance" "$(echo "$one_out" | rps)" "$(echo "$one_out" | p99)"
printf '%-36s %10s %10s\n' "PostgreSQL, two instances (sum, max)" "$two_rps" "$two_p99"
