#!/usr/bin/env bash
# Runs every test: unit + integration (ctest) in a release build, the unit tests again under
# ASan+UBSan, and the fuzz regression corpora. Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)

echo "== release build (g++) =="
scripts/build.sh release
(cd build && ctest --output-on-failure --timeout 300 -j "$(nproc)")

echo "== ASan + UBSan build (clang) =="
scripts/build.sh asan
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure --timeout 600 -j "$(nproc)" -L 'unit|fuzz')

echo "all tests passed"
