#!/usr/bin/env bash
# Signed /friction load, closed loop (cxos_loadgen --rate 0, 64 connections), against cxos on
# SQLite, then on a throwaway PostgreSQL (scripts/test-postgres.sh, fsync on): one instance, then
# two on that one database with the load split over both ports (32 connections each), first with
# every request reporting the same text (one item row takes every report), then with the reports
# spread over 1,000 frictions (--vary: 1,000 items). Prints req/s, p99, the machine's idle CPU
# share and failed answers of each, and what the database's sessions waited on during each
# PostgreSQL run (pg_stat_activity, sampled). Fails if any answer was not a 200 acknowledging the
# report.
# Usage: bench/run_postgres.sh BUILD_DIR [seconds per run, default 10]  (CXOS_BENCH_POSTGRES=1
# bench/run.sh calls it with its Release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/run_postgres.sh BUILD_DIR [seconds]}
secs=${2:-10}
varied=1000

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
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

load() { # port connections [--vary N]; one line: achieved_rate=… failed=… p99_ms=…
  "$build/bench/cxos_loadgen" --port "$1" --connections "$2" --secret "$secret" --rate 0 --seconds "$secs" \
    "${@:3}" || true # a failed answer exits 1; it is counted from the line
}
field() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# What cxos's sessions are doing, five samples a second while a run lasts, with the statement:
# "Lock transactionid" is a session waiting for another's row lock, "IO WALSync" a commit's
# fsync, "Client ClientRead" a session in a transaction waiting for cxos's next statement.
sample_waits() { # out-file; stopped by kill
  while :; do
    psql "$pg_url" -Atc "SELECT coalesce(wait_event_type || ' ' || wait_event, 'on CPU') || ': ' ||
                           left(regexp_replace(query, '\s+', ' ', 'g'), 40)
                         FROM pg_stat_activity WHERE datname = 'cxos_bench' AND pid <> pg_backend_pid()
                           AND backend_type = 'client backend' AND state <> 'idle'" \
      >>"$1" 2>/dev/null || true
    sleep 0.2
  done
}
waits_summary() { sort "$1" | uniq -c | sort -rn | head -n 6 | awk '{ c=$1; $1=""; printf "    %5d %s\n", c, $0 }'; }

# The whole machine's idle share between two readings of /proc/stat: near 0, the run was short of
# CPU (cxos, PostgreSQL and the load generator share the cores with whatever else runs).
cpu_counts() { awk '$1 == "cpu" { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }
idle_since() { echo "$1 $(cpu_counts)" | awk '{ printf "%.0f", 100 * ($3 - $1) / ($4 - $2) }'; }

results=()
record() { # label output-lines (one per load process: req/s summed, the worse p99, failed summed)
  local rps p99 failed idle
  idle=$(idle_since "$cpu_at_start")
  rps=$(echo "$2" | field achieved_rate | awk '{ s += $1 } END { printf "%.0f", s }')
  p99=$(echo "$2" | field p99_ms | sort -g | tail -n 1)
  failed=$(echo "$2" | field failed | awk '{ s += $1 } END { print s + 0 }')
  results+=("$(printf '%-44s %8s %9.1f %7s %6s' "$1" "$rps" "$p99" "$idle" "$failed")")
}

echo "== cxos on SQLite, one instance, ${secs}s, 64 connections, one text" >&2
serve "$work/sqlite.yaml"; a=$served; wait_port $port_a
cpu_at_start=$(cpu_counts)
out=$(load $port_a 64); echo "$out" >&2
record "SQLite, one instance, one text" "$out"
stop "$a"

run_pg() { # label loadgen-options…: one instance, then two on the one database
  local label=$1 a b wa wb sampler
  shift
  echo "== cxos on PostgreSQL, one instance, ${secs}s, 64 connections, $label" >&2
  serve "$work/pg_a.yaml"; a=$served; wait_port $port_a
  : >"$work/waits"; sample_waits "$work/waits" & sampler=$!
  cpu_at_start=$(cpu_counts)
  out=$(load $port_a 64 "$@"); echo "$out" >&2
  kill $sampler; wait $sampler 2>/dev/null || true
  waits_summary "$work/waits" >&2
  record "PostgreSQL, one instance, $label" "$out"

  echo "== cxos on PostgreSQL, two instances, ${secs}s, 32 connections on each, $label" >&2
  serve "$work/pg_b.yaml"; b=$served; wait_port $port_b
  : >"$work/waits"; sample_waits "$work/waits" & sampler=$!
  cpu_at_start=$(cpu_counts)
  load $port_a 32 "$@" >"$work/two_a.txt" & wa=$!
  load $port_b 32 "$@" >"$work/two_b.txt" & wb=$!
  wait $wa $wb
  kill $sampler; wait $sampler 2>/dev/null || true
  out=$(cat "$work/two_a.txt" "$work/two_b.txt"); echo "$out" >&2
  waits_summary "$work/waits" >&2
  record "PostgreSQL, two instances, $label" "$out"
  stop "$a"; stop "$b"
}
run_pg "one text"
run_pg "$varied texts" --vary $varied

items=$(psql "$pg_url" -Atc 'SELECT count(*) FROM items')
echo "items in the PostgreSQL database: $items (one text, then $varied varied: expect $((varied + 1)))" >&2

printf '\n%-44s %8s %9s %7s %6s\n' "" "req/s" "p99 ms" "idle %" "failed"
printf '%s\n' "${results[@]}"
bad=$(printf '%s\n' "${results[@]}" | awk '{ s += $NF } END { print s + 0 }')
[ "$bad" -eq 0 ] || { echo "FAIL: $bad answers were not a 200 acknowledging the report (see above)" >&2; exit 1; }
[ "$items" -eq $((varied + 1)) ] || { echo "FAIL: the varied reports made $items items, not $((varied + 1))" >&2; exit 1; }
