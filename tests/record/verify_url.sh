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
# The report kept for /verification, shown by the portal.
"$isoloir" verify --quiet --url "http://127.0.0.1:$port/record.jsonl" \
  --save-report "$tmp/data/verification/report.json" > /dev/null
python3 - "$port" "$tmp/data/verification/report.json" <<'PY'
import json, sys, urllib.request
page = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/verification").read().decode()
assert "Toutes les vérifications ont réussi" in page, page
checks = len(json.load(open(sys.argv[2]))["report"]["checks"])
assert page.count('<tr><th scope="row">') == checks, "one row per check"
PY
# A voter who has not voted: nobody used their credential (before the
# closing, with a warning); a mistyped key is a usage error.
key=$(python3 -c 'import csv,sys; print(next(r["cle"] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter=";") if "CSA-MIN" in r["scrutins"]))' "$tmp/data/identifiants.csv")
echo "$key" | "$isoloir" check-credential --url "http://127.0.0.1:$port" --expect-none > "$tmp/cred.txt" 2>/dev/null
grep -q "CSA-MIN : aucun bulletin n'a été déposé avec votre identifiant" "$tmp/cred.txt"
grep -q "ne contient pas encore la clôture" "$tmp/cred.txt"
status=0
echo "not-a-key" | "$isoloir" check-credential --url "http://127.0.0.1:$port" > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ]
# An unreachable portal is a usage error, not a verification failure.
status=0
"$isoloir" verify --quiet --url "http://127.0.0.1:1/" > /dev/null 2>&1 || status=$?
[ "$status" -eq 2 ]
echo "verify_url: the portal's record verifies"
