#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, runs every test
# in a release build, then the unit tests again under ASan + UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== browser booth (web/dist, served by the portal)"
bash scripts/web-build.sh

echo "== release build and tests (PostgreSQL, SMTP and Chromium started by the tests)"
bash scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j2

echo "== browser protocol code (JavaScript) against the C++ test vectors"
(cd web && npm test)

echo "== AddressSanitizer + UBSan build and unit tests"
bash scripts/build.sh asan --unit
# record_tests and seal_tests (label slow: real ceremonies and ballots at -O0
# under ASan took 3 to 6+ minutes each) run in the release pass only.
ctest --test-dir build/asan --output-on-failure -j2 -L unit -LE slow
