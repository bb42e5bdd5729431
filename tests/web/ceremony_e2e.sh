#!/usr/bin/env bash
# The key ceremony in Debian's Chromium (web/e2e/ceremony.e2e.js): one holder
# in the browser, five by CLI, then the browser's fragment in a count.
# Also runs the count by the BVE (web/e2e/count.e2e.js), given as SPEC.
# Usage: tests/web/ceremony_e2e.sh ISOLOIR_BINARY [SOURCE_DIR [SPEC]]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
isoloir=$(realpath "${1:?usage: ceremony_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]}")
src=$(cd "${2:-$here}" && pwd)
test -x "${CHROMIUM:-/usr/bin/chromium}" || { echo "ceremony_e2e: no Chromium" >&2; exit 2; }
cd "$src/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/@noble/ciphers ] || [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
npm run build
CAST_VOTES_BIN=${CAST_VOTES_BIN:-} ISOLOIR_BIN=$isoloir E2E_ARTIFACTS=${E2E_ARTIFACTS:-$src/build/e2e-artifacts} \
  node --test --test-concurrency=1 "${3:-e2e/ceremony.e2e.js}"
