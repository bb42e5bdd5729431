#!/usr/bin/env bash
# The count in Debian's Chromium (web/e2e/count.e2e.js): prepare, three
# partial decryptions posted from the browser, combine, PVs, publish.
# Usage: tests/web/count_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
isoloir=$(realpath "${1:?usage: count_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]}")
src=$(cd "${2:-$here}" && pwd)
test -x "${CHROMIUM:-/usr/bin/chromium}" || { echo "count_e2e: no Chromium" >&2; exit 2; }
cd "$src/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/@noble/ciphers ] || [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
npm run build
CAST_VOTES_BIN=${CAST_VOTES_BIN:-} ISOLOIR_BIN=$isoloir E2E_ARTIFACTS=${E2E_ARTIFACTS:-$src/build/e2e-artifacts} \
  node --test --test-concurrency=1 e2e/count.e2e.js
