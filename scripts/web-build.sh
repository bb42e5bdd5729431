#!/usr/bin/env bash
# Builds the browser booth (web/dist/booth.js) that the portal serves:
# installs the pinned npm packages, then bundles with esbuild.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --loglevel=error
npm run build
