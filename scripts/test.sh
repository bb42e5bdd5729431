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
# The ASan build runs (at low priority) while the release tests run: they
# leave most of the 2 cores idle (servers, browsers and databases waiting).
mkdir -p build
setsid nice -n 10 bash scripts/build.sh asan --unit >build/asan-build.log 2>&1 &
asan_build=$!
trap 'kill -- -"$asan_build" 2>/dev/null || true' EXIT  # a failed test stops the build too
ctest --test-dir build/release --output-on-failure -j2

echo "== browser protocol code (JavaScript) against the C++ test vectors"
(cd web && npm test)

echo "== AddressSanitizer + UBSan build and unit tests"
if ! wait "$asan_build"; then
  cat build/asan-build.log
  echo "test: the AddressSanitizer build failed" >&2
  exit 1
fi
tail -n 1 build/asan-build.log
# record_tests, seal_tests and count_pages_tests (label slow: real
# ceremonies, ballots and counts under ASan took 3 to 6+ minutes each) run in
# the release pass only.
ctest --test-dir build/asan --output-on-failure -j2 -L unit -LE slow
