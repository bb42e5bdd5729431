#!/usr/bin/env bash
# The README's demo command: installs dependencies, builds, runs a demo election.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh release
./build/release/src/cli/isoloir demo "$@"
