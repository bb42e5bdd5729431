#!/usr/bin/env bash
# One browser end-to-end test of web/e2e in Debian's Chromium: builds the
# bundles, then runs web/e2e/NAME.e2e.js (election: a whole election in one
# go, from the key ceremony to the published PVs).
# Usage: tests/web/browser_e2e.sh ISOLOIR_BINARY SOURCE_DIR NAME
set -euo pipefail
isoloir=$(realpath "${1:?usage: browser_e2e.sh ISOLOIR_BINARY SOURCE_DIR NAME}")
src=$(cd "${2:?usage: browser_e2e.sh ISOLOIR_BINARY SOURCE_DIR NAME}" && pwd)
name=${3:?usage: browser_e2e.sh ISOLOIR_BINARY SOURCE_DIR NAME}
test -x "${CHROMIUM:-/usr/bin/chromium}" || { echo "$name e2e: no Chromium" >&2; exit 2; }
cd "$src/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/@noble/ciphers ] || [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
npm run build
ISOLOIR_BIN=$isoloir E2E_ARTIFACTS=${E2E_ARTIFACTS:-$src/build/e2e-artifacts} \
  node --test --test-concurrency=1 "e2e/$name.e2e.js"
