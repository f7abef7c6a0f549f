#!/usr/bin/env bash
# Build idc and run the whole test suite: unit, simulator, end-to-end and
# interop tests and valgrind over the unit tests under CTest, the
# formatting check, static analysis (scripts/lint.sh) and short libFuzzer
# runs.
#   scripts/test.sh             the normal build, in build/
#   scripts/test.sh --sanitize  the same under ASan + UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh

build=build
args=()
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  args+=(-DIDC_SANITIZE=ON)
  # Leaks are real bugs here too; abort on the first report.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
fi

IDC_BUILD_DIR=$build bash scripts/build.sh "${args[@]}"
cmake --build "$build" --target format-check
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
if [ "${1:-}" != "--sanitize" ]; then
  IDC_BUILD_DIR=$build bash scripts/lint.sh
fi

# Short libFuzzer runs of every parser of untrusted input need clang: a
# second, small build of just those targets.
if [ "${1:-}" != "--sanitize" ] && command -v clang >/dev/null; then
  CC=clang cmake -S . -B build-fuzz -DIDC_WERROR=ON >/dev/null
  cmake --build build-fuzz -j "$(nproc)" --target \
    fuzz_ini fuzz_oidc fuzz_portal fuzz_tokens fuzz_rolecache fuzz_pkce \
    fuzz_sts fuzz_csv
  ctest --test-dir build-fuzz -L fuzz --output-on-failure
fi
