#!/usr/bin/env bash
# Requests/s of mistral-emulator for a small chat request, side by side with nginx serving the same
# response body from a static file, both on loopback with the same wrk load (bounded run).
#
#   bench/emulator_throughput.sh [path/to/mistral-emulator]   (default: build/apps/...)
#   env: DURATION=10s CONNECTIONS=64 WRK_THREADS=2 SERVER_THREADS=2
#
# Prints one line per server and the ratio emulator/nginx (target >= 0.7). nginx runs with a
# private config and prefix in a temp folder on a free loopback port, never the system one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../build/apps/mistral-emulator/mistral-emulator}"
duration="${DURATION:-10s}"
connections="${CONNECTIONS:-64}"
wrk_threads="${WRK_THREADS:-2}"
server_threads="${SERVER_THREADS:-2}"
command -v wrk >/dev/null || { echo "wrk is not installed"; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed"; exit 1; }
[ -x "$bin" ] || { echo "no emulator binary at $bin"; exit 1; }

work="$(mktemp -d)"
emu_pid=""
nginx_started=""
cleanup() {
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null || true
  [ -n "$nginx_started" ] && nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

body='{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello, how are you?"}],"max_tokens":32}'
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer bench-key"
LUA

# --- emulator -------------------------------------------------------------------------------
"$bin" --port 0 --threads "$server_threads" > "$work/emu.out" 2>&1 &
emu_pid=$!
for _ in $(seq 50); do grep -q "listening on" "$work/emu.out" 2>/dev/null && break; sleep 0.1; done
emu_port="$(sed -nE 's/.*:([0-9]+)$/\1/p' "$work/emu.out" | head -1)"
[ -n "$emu_port" ] || { echo "emulator did not start"; cat "$work/emu.out"; exit 1; }
emu_url="http://127.0.0.1:$emu_port/v1/chat/completions"
curl -sf -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -d "$body" "$emu_url" > "$work/response.json"

# --- nginx: the same bytes from a static file; POST to a static file is a 405 in nginx, so the
# 405 is mapped back to 200 with the file (the usual trick for static POST endpoints).
mkdir -p "$work/nginx/html/v1/chat" "$work/nginx/logs" "$work/nginx/tmp"
cp "$work/response.json" "$work/nginx/html/v1/chat/completions"
chmod -R a+rX "$work"  # nginx workers started by root run as nobody
nginx_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes $server_threads;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/tmp;
  proxy_temp_path $work/nginx/tmp;
  fastcgi_temp_path $work/nginx/tmp;
  uwsgi_temp_path $work/nginx/tmp;
  scgi_temp_path $work/nginx/tmp;
  keepalive_requests 1000000;
  sendfile on;
  open_file_cache max=64 inactive=60s;  # a tuned static server: no open() per request
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/nginx/html;
    default_type application/json;
    error_page 405 =200 \$uri;
  }
}
CONF
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf"
nginx_started=1
nginx_url="http://127.0.0.1:$nginx_port/v1/chat/completions"
cmp -s <(curl -sf -X POST -d "$body" "$nginx_url") "$work/response.json" ||
  { echo "nginx does not serve the emulator's body"; exit 1; }

# CPU seconds (user + system) used so far by a set of pids.
cpu_of() {
  local total=0
  for pid in "$@"; do
    read -r -a f < "/proc/$pid/stat"
    total=$((total + f[13] + f[14]))
  done
  python3 -c "import os; print($total / os.sysconf('SC_CLK_TCK'))"
}
nginx_pids() { pgrep -P "$(cat "$work/nginx/nginx.pid")" | tr '\n' ' '; }

# One measured run: prints "requests/s cpu_us_per_request".
run() {  # url pids...
  local url="$1"; shift
  local before after out rps reqs
  before="$(cpu_of "$@")"
  out="$(wrk -t"$wrk_threads" -c"$connections" -d"$duration" -s "$work/post.lua" "$url")"
  after="$(cpu_of "$@")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<< "$out")"
  reqs="$(awk '/requests in/ {print $1}' <<< "$out")"
  python3 -c "print($rps, round(($after - $before) * 1e6 / max($reqs, 1), 1))"
}
median() { python3 -c "import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }

# Warm both, then alternate the two servers so background load hits both alike.
wrk -t1 -c8 -d1s -s "$work/post.lua" "$emu_url" > /dev/null
wrk -t1 -c8 -d1s -s "$work/post.lua" "$nginx_url" > /dev/null
rounds="${ROUNDS:-3}"
emu_rps=(); emu_cpu=(); ng_rps=(); ng_cpu=()
for _ in $(seq "$rounds"); do
  read -r r c <<< "$(run "$emu_url" "$emu_pid")"; emu_rps+=("$r"); emu_cpu+=("$c")
  read -r r c <<< "$(run "$nginx_url" $(nginx_pids))"; ng_rps+=("$r"); ng_cpu+=("$c")
done
e_rps="$(median "${emu_rps[@]}")"; n_rps="$(median "${ng_rps[@]}")"
e_cpu="$(median "${emu_cpu[@]}")"; n_cpu="$(median "${ng_cpu[@]}")"
echo "response body: $(wc -c < "$work/response.json") bytes; wrk -t$wrk_threads -c$connections -d$duration x $rounds rounds (medians); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "mistral-emulator ($server_threads threads): $e_rps requests/s, $e_cpu us CPU per request  [${emu_rps[*]}]"
echo "nginx ($server_threads workers, static file): $n_rps requests/s, $n_cpu us CPU per request  [${ng_rps[*]}]"
python3 -c "print(f'ratio emulator/nginx: {$e_rps/$n_rps:.2f} requests/s (target >= 0.70); CPU per request {$n_cpu/$e_cpu:.2f}x nginx efficiency')"
