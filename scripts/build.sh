#!/usr/bin/env bash
# Configure and build idc in build/ (or $IDC_BUILD_DIR).  Extra arguments go
# to cmake's configure step, e.g. -DIDC_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${IDC_BUILD_DIR:-build}
cmake -S . -B "$build" -DIDC_WERROR=ON "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"
