#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: initdb into a fresh temporary directory, loopback and a Unix
# socket in that directory only, trust authentication, and settings that trade durability for
# speed (fsync=off: a crash loses the data, which tests throw away anyway; never use these
# settings for a real database).
#
#   scripts/test-postgres.sh start          starts one; prints its directory (the handle); with
#                                           CXOS_TEST_POSTGRES_DURABLE=1, with fsync and synchronous commit on
#   scripts/test-postgres.sh url DIR        the superuser URL, postgresql://cxos@127.0.0.1:PORT/postgres
#   scripts/test-postgres.sh stop DIR       stops it and removes DIR
#   scripts/test-postgres.sh run CMD ARGS…  starts one, runs CMD with CXOS_TEST_POSTGRES_URL set,
#                                           stops it however CMD ends, exits with CMD's status
#
# PostgreSQL refuses to run as root: as root the server runs as the `postgres` system user that
# Debian's package creates (or `cxos-test`, created here, when there is none).
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -x "$dir/initdb" ] || { echo "test-postgres: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

server_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  id cxos-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin cxos-test
  echo cxos-test
}

# Runs a command as the server's user, with the environment it needs.
as_server() {
  local user=$1
  shift
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local bin user dir port attempt
  bin=$(bin_dir)
  user=$(server_user)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/cxos-test-postgres.XXXXXX")
  chmod 700 "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$user" "$dir"
  as_server "$user" "$bin/initdb" --pgdata="$dir/data" --username=cxos --auth-local=trust --auth-host=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  # CXOS_TEST_POSTGRES_DURABLE=1 keeps PostgreSQL's durable defaults (the benchmark's fair setting).
  local speed_over_durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${CXOS_TEST_POSTGRES_DURABLE:-0}" = 1 ] && speed_over_durability="-c fsync=on"
  # A free port: another test run on the same machine may take one between the check and the
  # bind, so a failed start tries the next candidate.
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    port_in_use "$port" && continue
    if as_server "$user" "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir" \
         -o "$speed_over_durability" \
         -o "-c max_connections=200 -c shared_buffers=32MB" start >"$dir/pg_ctl.log" 2>&1; then
      echo "postgresql://cxos@127.0.0.1:$port/postgres" >"$dir/url"
      echo "$dir"
      return 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  echo "test-postgres: the server did not start" >&2
  exit 1
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop DIR}
  [ -f "$dir/data/PG_VERSION" ] || { echo "test-postgres: $dir is not a test server" >&2; exit 1; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_server "$(stat -c %U "$dir/data")" "$(bin_dir)/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop \
      >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  url) cat "${2:?usage: test-postgres.sh url DIR}/url" ;;
  stop) stop "${2:-}" ;;
  run)
    shift
    [ $# -gt 0 ] || { echo "usage: test-postgres.sh run CMD [ARGS…]" >&2; exit 2; }
    dir=$(start)
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT TERM
    CXOS_TEST_POSTGRES_URL=$(cat "$dir/url") "$@"
    ;;
  *)
    echo "usage: test-postgres.sh start | url DIR | stop DIR | run CMD [ARGS…]" >&2
    exit 2
    ;;
esac
