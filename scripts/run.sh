#!/usr/bin/env bash
# Sets up, builds and starts the gateway on port 4000 (PORT=... to change) with
# examples/config.yaml (CONFIG=... to change). Without MISTRAL_API_KEY it starts the local Mistral
# emulator and points MISTRAL_API_BASE at it, so the first request works offline:
#   curl http://127.0.0.1:4000/v1/chat/completions -H 'Content-Type: application/json' \
#     -d '{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hello"}]}'
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target litellm_gateway_bin mistral-emulator

config=${CONFIG:-examples/config.yaml}
port=${PORT:-4000}
emulator_pid=""
cleanup() { [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true; }
trap cleanup EXIT

if [ -z "${MISTRAL_API_KEY:-}" ]; then
  log=$(mktemp)
  build/apps/mistral-emulator/mistral-emulator --port "${EMULATOR_PORT:-0}" >"$log" &
  emulator_pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.05; done
  base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  [ -n "$base" ] || { echo "emulator did not start" >&2; exit 1; }
  export MISTRAL_API_KEY=emulator-key MISTRAL_API_BASE="$base/v1"
  echo "MISTRAL_API_KEY is not set: using the local Mistral emulator at $MISTRAL_API_BASE"
fi

build/apps/litellm/litellm --config "$config" --port "$port" &
gateway_pid=$!
trap 'kill -TERM $gateway_pid 2>/dev/null; wait $gateway_pid; cleanup' INT TERM
wait $gateway_pid
