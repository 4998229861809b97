#!/usr/bin/env bash
# Installs every Debian 12 package the build, tests and benchmarks need. Idempotent: packages
# already present are skipped, so it costs a second on a machine that has them.
# Run as root (or with sudo available).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config g++ clang clang-format lld
  libclang-rt-14-dev                                   # sanitizer and libFuzzer runtimes for clang
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev   # Asio, Beast, JSON, URL
  libssl-dev libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libsqlite3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  nginx-light wrk curl ca-certificates procps           # benchmarks and integration tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js 20 (for the npm client suites): the machine's own if present, else Debian's.
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all packages present"
