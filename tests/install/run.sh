#!/usr/bin/env bash
# Installs the SDK from a build folder into a temporary prefix, builds tests/install/consumer
# against it with find_package(litellm), and runs it against the emulator on loopback.
# With --subdirectory it builds the consumer with add_subdirectory(<source tree>) instead.
set -euo pipefail
build=$1
mode=${2:-}
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
emu=""
trap '[ -n "$emu" ] && kill $emu 2>/dev/null; rm -rf "$tmp"' EXIT
if [ "$mode" = "--subdirectory" ]; then
  cmake -S "$src/tests/install/consumer" -B "$tmp/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLITELLM_SOURCE_DIR="$src" >/dev/null
else
  cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
  cmake -S "$src/tests/install/consumer" -B "$tmp/consumer" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$tmp/prefix" >/dev/null
fi
cmake --build "$tmp/consumer" -j "$(nproc)" >/dev/null
"$build/apps/mistral-emulator/mistral-emulator" --port 0 >"$tmp/emu.log" 2>&1 &
emu=$!
for _ in $(seq 200); do grep -q "listening on" "$tmp/emu.log" && break; sleep 0.05; done
base=$(grep -o 'http://[0-9.:]*' "$tmp/emu.log" | head -1)
MISTRAL_API_KEY=k MISTRAL_API_BASE="$base/v1" "$tmp/consumer/consumer" | grep -q '"object":"chat.completion"'
echo "consumer built ${mode:-with find_package} and answered"
