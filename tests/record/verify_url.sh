#!/usr/bin/env bash
# `isoloir verify --url` against a real portal: an election prepared with the
# CLI alone (scripts/portal-fixture.sh: roll, credentials, local key
# ceremony), `isoloir serve` on 127.0.0.1, then the record it serves at
# /record.jsonl is fetched and verified (a snapshot: no ballot yet, no count).
# Usage: verify_url.sh ISOLOIR SOURCE_DIR
set -euo pipefail
isoloir=$1 src=$2
tmp=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
export ISOLOIR_DB=sqlite
bash "$src/scripts/portal-fixture.sh" "$isoloir" "$tmp/data" 8 > /dev/null
mkdir -p "$tmp/assets" && echo "/* booth */" > "$tmp/assets/booth.js"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ISOLOIR_DATA="$tmp/data" "$isoloir" serve --election demo-2026 --address 127.0.0.1 --port "$port" \
  --assets "$tmp/assets" > "$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/sante')" 2>/dev/null; then break; fi
  sleep 0.1
done
"$isoloir" verify --quiet --lang en --url "http://127.0.0.1:$port" | tee "$tmp/report.txt"
grep -q "Result: every check passed" "$tmp/report.txt"
grep -q "(ceremony): 13 proofs" "$tmp/report.txt"
# An unreachable portal is a usage error, not a verification failure.
status=0
"$isoloir" verify --quiet --url "http://127.0.0.1:1/" > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ]
echo "verify_url: the portal's record verifies"
