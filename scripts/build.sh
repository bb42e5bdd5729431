#!/usr/bin/env bash
# Configures and builds one flavour of Isoloir: release (default) or asan.
# Usage: scripts/build.sh [release|asan] [--unit]   (output in build/<flavour>)
#   --unit: build only the GoogleTest programs, which the tests labelled
#           "unit" run (the ASan pass of scripts/test.sh runs those alone).
set -euo pipefail
cd "$(dirname "$0")/.."
flavour=${1:-release}
# Unity builds (each module's files compiled a dozen at a time) cut the
# clean build's compile time by about a third; files whose private helpers
# collide with a sibling's are marked SKIP_UNITY_BUILD_INCLUSION. The ASan
# build is -O0 with line tables only: its biggest files compile 1.8 to 2.4
# times faster than at -O1 (30.6 s against 17.1 s, 66 s against 28 s), and
# the unit tests run a little slower under it.
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan)    args=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1"
                 -DISOLOIR_SANITIZE=ON -DISOLOIR_BENCH=OFF) ;;
  *) echo "build: unknown flavour '$flavour' (release or asan)" >&2; exit 2 ;;
esac
cmake -S . -B "build/$flavour" -G Ninja -DCMAKE_UNITY_BUILD=ON "${args[@]}" >/dev/null
targets=()
if [[ ${2:-} == --unit ]]; then
  targets=(unit_tests)  # CMakeLists.txt: every *_tests program
fi
ninja -C "build/$flavour" "${targets[@]}"
