#!/usr/bin/env bash
# The BVE members sign the seal and a PV in Debian's Chromium
# (web/e2e/signing.e2e.js): ceremony by CLI with v2 fragments, seal prepared
# and approved in the browser, count and PVs by CLI, PV signed in the browser.
# Usage: tests/web/signing_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
isoloir=$(realpath "${1:?usage: signing_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]}")
src=$(cd "${2:-$here}" && pwd)
test -x "${CHROMIUM:-/usr/bin/chromium}" || { echo "signing_e2e: no Chromium" >&2; exit 2; }
cd "$src/web"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/@noble/ciphers ] || [ ! -d node_modules/playwright-core ]; then
  npm ci --no-audit --no-fund
fi
npm run build
ISOLOIR_BIN=$isoloir E2E_ARTIFACTS=${E2E_ARTIFACTS:-$src/build/e2e-artifacts} \
  node --test --test-concurrency=1 e2e/signing.e2e.js
