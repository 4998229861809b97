#!/usr/bin/env bash
# Gateway benchmark: the same small chat request, side by side in one run on this machine, all
# on loopback:
#   direct   client -> emulator
#   nginx    client -> nginx proxy_pass (keep-alive upstream) -> emulator   (the floor any proxy pays)
#   gateway  client -> litellm (our gateway) -> emulator
# Reports requests/s (wrk, closed loop), latency added over direct at half of the gateway's
# saturation (loadgen, open loop), the gateway's CPU time per request, the same for streamed
# answers, idle and loaded RSS, streaming time-to-first-byte added, and cold start time.
#
# This machine class is noisy (a VM with CPU steal): throughput is measured in ROUNDS interleaved
# rounds (direct, nginx, gateway, direct, ...) and medians are reported, with every round shown.
#
#   bench/gateway_bench.sh [build-dir]     env: DURATION (s, default 10), CONNECTIONS (default 32),
#                                               WORKERS (gateway threads, default 1), ROUNDS (3)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$(cd "${1:-$root/build}" && pwd)
duration=${DURATION:-10}
conns=${CONNECTIONS:-32}
workers=${WORKERS:-1}
rounds=${ROUNDS:-3}
emulator_bin=$build/apps/mistral-emulator/mistral-emulator
gateway_bin=$build/apps/litellm/litellm
loadgen=$build/bench/loadgen
for b in "$emulator_bin" "$gateway_bin" "$loadgen"; do
  [ -x "$b" ] || { echo "missing $b (build first: scripts/build.sh release)" >&2; exit 1; }
done
command -v wrk >/dev/null && command -v nginx >/dev/null || { echo "needs wrk and nginx (scripts/setup.sh)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

wait_port() {  # log-file -> prints port once "listening on" appears
  for _ in $(seq 400); do
    if grep -q "listening on" "$1" 2>/dev/null; then
      grep "listening on" "$1" | head -1 | grep -o 'http://[0-9.]*:[0-9]*' | sed 's/.*://'
      return 0
    fi
    sleep 0.025
  done
  echo "did not start: $(cat "$1")" >&2
  return 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }

# ---- upstream: the emulator, one thread -----------------------------------------------------
"$emulator_bin" --port 0 --threads 1 >"$tmp/emu.log" 2>&1 &
pids+=($!); emu_pid=$!
emu_port=$(wait_port "$tmp/emu.log")

# ---- our gateway ------------------------------------------------------------------------------
cat >"$tmp/config.yaml" <<EOF
model_list:
  - model_name: mistral-small-latest
    litellm_params:
      model: mistral/mistral-small-latest
      api_base: http://127.0.0.1:$emu_port/v1
      api_key: bench-key
EOF
t0=$(date +%s%N)
"$gateway_bin" --config "$tmp/config.yaml" --host 127.0.0.1 --port 0 --num_workers "$workers" \
  >"$tmp/gw.log" 2>&1 &
pids+=($!); gw_pid=$!
gw_port=$(wait_port "$tmp/gw.log")
t1=$(date +%s%N)
# The same gateway with its default worker count (one per core), for the latency comparison.
"$gateway_bin" --config "$tmp/config.yaml" --host 127.0.0.1 --port 0 >"$tmp/gwd.log" 2>&1 &
pids+=($!); gwd_pid=$!
gwd_port=$(wait_port "$tmp/gwd.log")
sleep 0.5
gw_idle_rss=$(rss_kb "$gw_pid")
gwd_idle_rss=$(rss_kb "$gwd_pid")

# ---- nginx proxy_pass, one worker, keep-alive to the upstream ----------------------------------
ng_port=$(free_port)
mkdir -p "$tmp/nginx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx; proxy_temp_path $tmp/nginx;
  fastcgi_temp_path $tmp/nginx; uwsgi_temp_path $tmp/nginx; scgi_temp_path $tmp/nginx;
  upstream emulator { server 127.0.0.1:$emu_port; keepalive 128; }
  server {
    listen 127.0.0.1:$ng_port;
    location / {
      proxy_pass http://emulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Authorization "Bearer bench-key";
      proxy_buffering off;
    }
  }
}
EOF
nginx -c "$tmp/nginx.conf" -p "$tmp/nginx" -e "$tmp/nginx/error.log"
for _ in $(seq 100); do [ -f "$tmp/nginx.pid" ] && break; sleep 0.02; done

# ---- request bodies ---------------------------------------------------------------------------
body='{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello, how are you?"}],"max_tokens":16}'
stream_body='{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello, how are you?"}],"max_tokens":16,"stream":true}'
printf '%s' "$body" >"$tmp/body.json"
printf '%s' "$stream_body" >"$tmp/stream.json"
cat >"$tmp/post.lua" <<EOF
wrk.method = "POST"
wrk.body = [[$body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
EOF

# Sanity: each path answers 200 before measuring.
for port in "$emu_port" "$ng_port" "$gw_port" "$gwd_port"; do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -H 'Authorization: Bearer bench-key' -d "$body" "http://127.0.0.1:$port/v1/chat/completions")
  [ "$code" = 200 ] || { echo "port $port answered $code" >&2; exit 1; }
done

wrk_rps() {  # port [lua script, default post.lua] -> requests/s
  wrk -t1 -c"$conns" -d"${duration}s" -s "${2:-$tmp/post.lua}" \
    "http://127.0.0.1:$1/v1/chat/completions" >"$tmp/wrk.out" 2>&1
  awk '/Requests\/sec/ {print $2}' "$tmp/wrk.out"
}

echo "== throughput (wrk, 1 thread, $conns connections, ${duration}s each, $rounds interleaved rounds; gateway workers: $workers)"
ng_worker=$(pgrep -P "$(cat "$tmp/nginx.pid")" | head -1)
hz=$(getconf CLK_TCK)
: >"$tmp/rounds.txt"
for round in $(seq "$rounds"); do
  d_rps=$(wrk_rps "$emu_port")
  n0=$(cpu_ticks "$ng_worker"); ns0=$(sys_ticks "$ng_worker")
  n_rps=$(wrk_rps "$ng_port")
  n1=$(cpu_ticks "$ng_worker"); ns1=$(sys_ticks "$ng_worker")
  n_req=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
  c0=$(cpu_ticks "$gw_pid"); cs0=$(sys_ticks "$gw_pid")
  g_rps=$(wrk_rps "$gw_port")
  c1=$(cpu_ticks "$gw_pid"); cs1=$(sys_ticks "$gw_pid")
  g_req=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
  echo "$d_rps $n_rps $g_rps $n0 $n1 $ns0 $ns1 $n_req $c0 $c1 $cs0 $cs1 $g_req" >>"$tmp/rounds.txt"
done
gw_loaded_rss=$(rss_kb "$gw_pid")
summary=$(python3 - "$tmp/rounds.txt" "$hz" <<'EOF'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
hz = float(sys.argv[2])
us = lambda a, b, n: (b - a) / hz * 1e6 / max(1, n)
med = statistics.median
for i, r in enumerate(rows, 1):
    d, n, g, n0, n1, ns0, ns1, nreq, c0, c1, cs0, cs1, greq = r
    print(f"  round {i}: direct {d:6.0f}  nginx {n:6.0f}  gateway {g:6.0f} req/s  gateway/nginx {g/n:.2f}"
          f"  CPU/req gateway {us(c0,c1,greq):5.1f} us, nginx {us(n0,n1,nreq):5.1f} us")
col = lambda k: [r[k] for r in rows]
print(f"  median: direct {med(col(0)):.0f}  nginx {med(col(1)):.0f}  gateway {med(col(2)):.0f} req/s"
      f"  gateway/nginx {med([r[2]/r[1] for r in rows]):.2f}")
print(f"  gateway CPU per request (median): {med([us(r[8],r[9],r[12]) for r in rows]):.1f} us, "
      f"of which {med([us(r[10],r[11],r[12]) for r in rows]):.1f} us in the kernel")
print(f"  nginx worker CPU per request (median): {med([us(r[3],r[4],r[7]) for r in rows]):.1f} us, "
      f"of which {med([us(r[5],r[6],r[7]) for r in rows]):.1f} us in the kernel")
print(f"RATE {int(med(col(2)) / 2)}")
EOF
)
printf '%s\n' "$summary" | grep -v '^RATE '
rate=$(printf '%s\n' "$summary" | awk '/^RATE / {print $2}')

# Streamed answers: the same request with "stream": true (a 16-token answer, ~17 SSE events),
# one round each. nginx passes the events through (proxy_buffering off); the gateway decodes
# every Mistral chunk and writes OpenAI's.
cat >"$tmp/post_stream.lua" <<EOF
wrk.method = "POST"
wrk.body = [[$stream_body]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
EOF
echo "== streamed requests (wrk, 1 thread, $conns connections, ${duration}s each, one round)"
sd_rps=$(wrk_rps "$emu_port" "$tmp/post_stream.lua")
n0=$(cpu_ticks "$ng_worker")
sn_rps=$(wrk_rps "$ng_port" "$tmp/post_stream.lua")
n1=$(cpu_ticks "$ng_worker")
sn_req=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
c0=$(cpu_ticks "$gw_pid")
sg_rps=$(wrk_rps "$gw_port" "$tmp/post_stream.lua")
c1=$(cpu_ticks "$gw_pid")
sg_req=$(awk '/requests in/ {print $1}' "$tmp/wrk.out")
python3 - "$sd_rps" "$sn_rps" "$sg_rps" "$n0" "$n1" "$sn_req" "$c0" "$c1" "$sg_req" "$hz" <<'EOF'
import sys
d, n, g, n0, n1, nreq, c0, c1, greq, hz = map(float, sys.argv[1:])
us = lambda a, b, k: (b - a) / hz * 1e6 / max(1, k)
print(f"  direct {d:6.0f}  nginx {n:6.0f}  gateway {g:6.0f} streamed req/s  gateway/nginx {g/n:.2f}")
print(f"  CPU per streamed request: gateway {us(c0, c1, greq):.1f} us, nginx {us(n0, n1, nreq):.1f} us")
EOF

echo "== latency at half of the 1-worker gateway's saturation ($rate req/s, open loop, loadgen)"
lat() { "$loadgen" --url "http://127.0.0.1:$1/v1/chat/completions" --body "$2" \
  --header 'Authorization: Bearer bench-key' -c "$conns" -d "$duration" --warmup 1 --rate "$3"; }
d=$(lat "$emu_port" "$tmp/body.json" "$rate")
n=$(lat "$ng_port" "$tmp/body.json" "$rate")
g=$(lat "$gw_port" "$tmp/body.json" "$rate")
gd=$(lat "$gwd_port" "$tmp/body.json" "$rate")
python3 - "$d" "$n" "$g" "$gd" "$workers" <<'EOF'
import json, sys
d, n, g, gd = (json.loads(x) for x in sys.argv[1:5])
rows = (("direct", d), ("nginx", n), (f"gateway, {sys.argv[5]} worker", g), ("gateway, default workers", gd))
for name, r in rows:
    print(f"  {name:25} p50 {r['p50_us']/1000:6.3f} ms  p99 {r['p99_us']/1000:6.3f} ms  ({r['rps']:.0f} req/s, {r['errors']} errors)")
for name, r in rows[1:]:
    print(f"  added by {name:25} p50 {(r['p50_us']-d['p50_us'])/1000:+.3f} ms  p99 {(r['p99_us']-d['p99_us'])/1000:+.3f} ms")
EOF

echo "== streaming time to first byte (200 req/s, open loop)"
sd=$(lat "$emu_port" "$tmp/stream.json" 200)
sn=$(lat "$ng_port" "$tmp/stream.json" 200)
sg=$(lat "$gw_port" "$tmp/stream.json" 200)
python3 - "$sd" "$sn" "$sg" <<'EOF'
import json, sys
d, n, g = (json.loads(x) for x in sys.argv[1:4])
for name, r in (("direct", d), ("nginx", n), ("gateway", g)):
    print(f"  {name:8} TTFB p50 {r['ttfb_p50_us']/1000:7.3f} ms  p99 {r['ttfb_p99_us']/1000:7.3f} ms")
print(f"  TTFB added by gateway: p50 {(g['ttfb_p50_us']-d['ttfb_p50_us'])/1000:+.3f} ms  p99 {(g['ttfb_p99_us']-d['ttfb_p99_us'])/1000:+.3f} ms")
EOF

echo "== memory and start"
printf '  gateway RSS idle %s MB (default workers: %s MB), after load %s MB\n' \
  "$(python3 -c "print(round($gw_idle_rss/1024,1))")" "$(python3 -c "print(round($gwd_idle_rss/1024,1))")" \
  "$(python3 -c "print(round($gw_loaded_rss/1024,1))")"
printf '  nginx worker RSS %s MB, emulator RSS %s MB\n' \
  "$(python3 -c "print(round($(rss_kb "$ng_worker")/1024,1))")" "$(python3 -c "print(round($(rss_kb "$emu_pid")/1024,1))")"
starts=()
for i in 1 2 3 4 5; do
  s0=$(date +%s%N)
  "$gateway_bin" --config "$tmp/config.yaml" --host 127.0.0.1 --port 0 --num_workers "$workers" \
    >"$tmp/cold$i.log" 2>&1 &
  cp=$!
  p=$(wait_port "$tmp/cold$i.log")
  until curl -s -o /dev/null "http://127.0.0.1:$p/health/liveliness"; do sleep 0.001; done
  s1=$(date +%s%N)
  kill "$cp"; wait "$cp" 2>/dev/null || true
  starts+=($(( (s1 - s0) / 1000 )))
done
printf '  cold start to first answered request: median %s ms (5 runs; first run %s ms)\n' \
  "$(python3 -c "import statistics; print(round(statistics.median([$(IFS=,; echo "${starts[*]}")])/1000,1))")" \
  "$(python3 -c "print(round($(( (t1 - t0) / 1000 ))/1000,1))")"
