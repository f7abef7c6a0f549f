#!/usr/bin/env bash
# Static analysis, both clean or the script fails:
#   clang-tidy over src/ with the checks of .clang-tidy (each disabled check
#   has its reason there);
#   cppcheck over src/ and tests/ (warning, portability, performance and
#   style), with one suppression for the whole tree: variableScope, since
#   the house style declares a function's variables at its top (owned
#   pointers start NULL for the one 'goto out').  Other suppressions are
#   inline, each with its reason.  tests/lint/cjson.cfg tells cppcheck
#   cJSON's iteration macro (it reads no system header).
# Needs the compile database of a configured build (scripts/build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${IDC_BUILD_DIR:-build}

run-clang-tidy -quiet -j "$(nproc)" -p "$build" "$PWD/src/"
cppcheck --project="$build/compile_commands.json" \
  --enable=warning,portability,performance,style --inline-suppr \
  --library=tests/lint/cjson.cfg \
  --suppress=missingIncludeSystem --suppress=variableScope \
  --error-exitcode=1 --quiet
echo "lint: clang-tidy and cppcheck clean"
