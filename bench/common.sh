# Shared by bench/run.sh and bench/run_postgres.sh (sourced, not run): the config every cxos under
# load serves, the one signed /friction request they all send, and reading wrk's answers. Expects
# $work (a scratch directory), $secret and $secs to be set.

bench_config() { # listen-port storage-url fake-slack-port
  cat <<YAML
server:  { listen: "127.0.0.1:$1" }
storage: { url: "$2" }
slack:   { api_url: "http://127.0.0.1:$3/api" }
journey: { stages: [discover, onboard, adopt, support, renew] }
owners:
  billing: { slack: C0BILLING }
  triage:  { slack: C0TRIAGE }
routing:
  fallback: triage
  rules:
    - name: invoices
      when: { keywords: [invoice, refund, charge] }
      route_to: billing
YAML
}

# Signed once: every request of a run is the same bytes, so the figures measure cxos, not wrk.
body='token=x&team_id=T0BENCH&channel_id=C0BENCH&user_id=U0BENCH&user_name=bench&command=%2Ffriction&text=the+invoice+shows+the+wrong+currency+%21high&trigger_id=1.2.3'
ts=$(date +%s)
sig="v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)"
cat >"$work/friction.lua" <<LUA
wrk.method = "POST"
wrk.body = "$body"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["X-Slack-Request-Timestamp"] = "$ts"
wrk.headers["X-Slack-Signature"] = "$sig"
LUA

wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return; sleep 0.1; done; }
run_wrk() { # port [connections, default 64]
  wrk -t1 -c"${2:-64}" -d"${secs}s" --latency -s "$work/friction.lua" "http://127.0.0.1:$1/slack/events"
}
# wrk's p99 line in milliseconds (wrk prints us, ms or s).
wrk_p99_ms() {
  awk '$1 == "99%" { v=$2; if (v ~ /us$/) { sub(/us/,"",v); v/=1000 } else if (v ~ /ms$/) { sub(/ms/,"",v) } else if (v ~ /s$/) { sub(/s/,"",v); v*=1000 } printf "%.3f", v }'
}
