#!/usr/bin/env bash
# Installs what Isoloir needs to build and test on Debian 12 (run as root).
# Skips apt entirely when everything is already there, so repeated runs are fast.
set -euo pipefail

PACKAGES=(
  g++ cmake ninja-build pkg-config git ca-certificates
  libssl-dev libsodium-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libsoci-dev libsqlite3-dev libpq-dev postgresql
  libhpdf-dev libqrencode-dev libcurl4-openssl-dev python3-aiosmtpd poppler-utils
  libkainjow-mustache-dev fonts-dejavu-core tzdata
  librestinio-dev libasio-dev libhttp-parser-dev
  chromium
  faketime
)
# Chromium drives the portal's end-to-end tests (Playwright, headless);
# faketime moves the portal's clock in the whole-election test (web/e2e/election.e2e.js).
# Node.js and npm for the browser code; any recent install will do (Debian's or another).
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "setup: missing packages: ${missing[*]}; run as root (or install them) first" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup: all build dependencies present"
