#!/usr/bin/env bash
# End-to-end and accessibility tests of the voter portal in Debian's
# Chromium (web/e2e/portal.e2e.js): a fresh demo election, `isoloir serve`
# on 127.0.0.1, playwright-core and axe-core. Screenshots go to
# $E2E_ARTIFACTS (default SOURCE_DIR/build/e2e-artifacts).
# Usage: tests/web/portal_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
isoloir=$(realpath "${1:?usage: portal_e2e.sh ISOLOIR_BINARY [SOURCE_DIR]}")
src=$(cd "${2:-$here}" && pwd)
test -x "$isoloir" || { echo "portal_e2e: $isoloir is not executable" >&2; exit 2; }
test -x "${CHROMIUM:-/usr/bin/chromium}" || { echo "portal_e2e: no Chromium at ${CHROMIUM:-/usr/bin/chromium} (apt-get install chromium)" >&2; exit 2; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' ||
  { echo "portal_e2e: playwright-core needs Node.js 18 or later, this is $(node --version)" >&2; exit 2; }
cd "$src/web"
# Playwright never downloads a browser: it drives Debian's.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ]; then
  npm ci --no-audit --no-fund
fi
ISOLOIR_BIN=$isoloir E2E_ARTIFACTS=${E2E_ARTIFACTS:-$src/build/e2e-artifacts} npm run e2e
