#!/usr/bin/env bash
# Configures and builds one flavour of Isoloir: release (default) or asan.
# Usage: scripts/build.sh [release|asan] [--unit]   (output in build/<flavour>)
#   --unit: build only the GoogleTest programs, which the tests labelled
#           "unit" run (the ASan pass of scripts/test.sh runs those alone).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug -DISOLOIR_SANITIZE=ON -DISOLOIR_BENCH=OFF) ;;
  *) echo "build: unknown flavour '$flavour' (release or asan)" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" -G Ninja "${args[@]}" >/dev/null
targets=()
if [[ ${2:-} == --unit ]]; then
  targets=(unit_tests)  # CMakeLists.txt: every *_tests program
fi
ninja -C "build/$flavour" "${targets[@]}"
