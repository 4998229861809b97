#!/usr/bin/env bash
# Runs every example against a fresh emulator on a loopback port. Each example must exit 0 and
# print JSON objects on stdout (one per line).
set -euo pipefail
build=$1
log=$(mktemp)
"$build/apps/mistral-emulator/mistral-emulator" --port 0 >"$log" 2>&1 &
emu=$!
trap 'kill $emu 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 200); do grep -q "listening on" "$log" && break; sleep 0.05; done
base=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
[ -n "$base" ] || { echo "emulator did not start"; cat "$log"; exit 1; }
export MISTRAL_API_KEY=emulator-key MISTRAL_API_BASE="$base/v1"
for ex in completion streaming function_calling reasoning embedding; do
  out=$(timeout 60 "$build/examples/example_$ex")
  lines=$(printf '%s\n' "$out" | grep -c '^{' || true)
  if [ "$lines" -lt 1 ]; then echo "example_$ex printed no JSON:"; echo "$out"; exit 1; fi
  printf '%s\n' "$out" | node -e '
    const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(l => l.startsWith("{"));
    for (const l of lines) JSON.parse(l);' || { echo "example_$ex printed invalid JSON"; exit 1; }
  echo "example_$ex: ok ($lines JSON lines)"
done
