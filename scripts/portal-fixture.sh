#!/usr/bin/env bash
# Prepares a data folder for the voter portal as an organiser would, with the
# CLI alone: an election whose vote is open now, a synthetic roll, credentials
# (letters and e-mails, sent to the Maildir), a key ceremony run locally, the
# seal approved by every member, and
# OUT/identifiants.csv with the voters' secrets read back from the letters
# and e-mails (demo and tests only).
# Usage: scripts/portal-fixture.sh ISOLOIR_BINARY DATA_DIR [VOTERS] [SEED]
# Uses $ISOLOIR_DB / $ISOLOIR_PG when set (PostgreSQL), else SQLite in DATA_DIR.
# $ISOLOIR_FIXTURE_OPENING / $ISOLOIR_FIXTURE_CLOSING move the voting window
# (`date -d` expressions, default "-1 hour" and "+7 days"): the count's tests
# use a window that has already closed. $ISOLOIR_FIXTURE_ELECTION names another
# election file to start from (default examples/election-demo.json; bench/load
# uses a 10-list scrutin). ISOLOIR_FIXTURE_CEREMONY=none skips the local key
# ceremony (tests of the ceremony by relay run their own).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
isoloir=$1 data=$2 voters=${3:-12} seed=${4:-2026}
mkdir -p "$data"
export ISOLOIR_DATA=$data
db=(--db "${ISOLOIR_DB:-sqlite}")
template=${ISOLOIR_FIXTURE_ELECTION:-$src/examples/election-demo.json}
eid=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["id"])' "$template")
opening=$(TZ=Europe/Paris date -d "${ISOLOIR_FIXTURE_OPENING:--1 hour}" +%Y-%m-%dT%H:%M)
closing=$(TZ=Europe/Paris date -d "${ISOLOIR_FIXTURE_CLOSING:-+7 days}" +%Y-%m-%dT%H:%M)
sed -e "s/\"opening\": \"[^\"]*\"/\"opening\": \"$opening\"/" \
    -e "s/\"closing\": \"[^\"]*\"/\"closing\": \"$closing\"/" \
    -e "s|\"portal_url\": \"[^\"]*\"|\"portal_url\": \"${ISOLOIR_PORTAL_URL:-http://127.0.0.1:8080}\"|" \
    "$template" > "$data/election.json"
"$isoloir" election create "${db[@]}" "$data/election.json" > /dev/null
"$isoloir" roll synth "${db[@]}" --election "$eid" --voters "$voters" --seed "$seed" \
  --out "$data/roll.csv" > /dev/null
"$isoloir" roll import "${db[@]}" --election "$eid" --yes "$data/roll.csv" > /dev/null 2>&1
"$isoloir" credentials generate "${db[@]}" --election "$eid" > /dev/null 2>&1
"$isoloir" credentials send "${db[@]}" --election "$eid" > /dev/null 2>&1
if [[ ${ISOLOIR_FIXTURE_CEREMONY:-local} != none ]]; then
  "$isoloir" ceremony local "${db[@]}" --election "$eid" --out "$data/fragments" > /dev/null
  # The seal (docs/seal.md): every member approves it here with their fragment
  # (the président and a délégué are enough). $ISOLOIR_ASSETS, when set, names
  # the assets folder the portal will serve: it is sealed too.
  "$isoloir" seal prepare "${db[@]}" --election "$eid" --out "$data/seal.json" > /dev/null
  for fragment in "$data"/fragments/fragment-*.json; do
    approval=$data/approval-$(basename "$fragment")
    "$isoloir" key-holder approve-seal --yes --fragment "$fragment" --seal "$data/seal.json" \
      --out "$approval" > /dev/null
    "$isoloir" seal approve "${db[@]}" "$approval" > /dev/null
  done
fi
python3 "$src/scripts/demo_credentials.py" "$data/roll.csv" "$data" "$data/identifiants.csv" \
  2> >(grep -v "Syntax Warning" >&2)
