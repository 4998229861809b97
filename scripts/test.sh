#!/usr/bin/env bash
# Runs every test: unit, integration, fuzz regression corpora and the npm client suites (ctest)
# in a release build (g++), then all of them again in an ASan+UBSan build (clang).
# Nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error)

echo "== release build (g++) =="
scripts/build.sh release
(cd build && ctest --output-on-failure --timeout 300 -j "$(nproc)")

echo "== ASan + UBSan build (clang): every test again, binaries included =="
scripts/build.sh asan
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
   ctest --output-on-failure --timeout 600 -j "$(nproc)")

echo "all tests passed"
