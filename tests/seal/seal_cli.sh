#!/usr/bin/env bash
# The seal by CLI (docs/seal.md): scripts/portal-fixture.sh seals a fresh
# election as an organiser would (seal prepare, each member's
# `key-holder approve-seal`, seal approve); `seal check` passes; a member
# who answers no signs nothing; a changed asset is named by `seal check`
# (exit 1) and stops `tally prepare`; the record carries the seal and
# `isoloir verify` checks it.
# Usage: seal_cli.sh ISOLOIR_BINARY SOURCE_DIR
set -euo pipefail
isoloir=$(realpath "$1") src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "seal_cli: FAIL: $*" >&2; exit 1; }
export ISOLOIR_DB=sqlite ISOLOIR_DATA=$work/data ISOLOIR_ASSETS=$work/assets
mkdir -p "$ISOLOIR_ASSETS" && echo "/* booth */" > "$ISOLOIR_ASSETS/booth.js"
bash "$src/scripts/portal-fixture.sh" "$isoloir" "$work/data" 6 > /dev/null

"$isoloir" seal check --election demo-2026 > "$work/out" || fail "seal check of a sealed election"
grep -q "^  OK  assets/booth.js" "$work/out" || fail "assets not listed: $(cat "$work/out")"
grep -q "^  OK  binary/isoloir" "$work/out" || fail "binary not listed"
grep -q "approved by fragment 1 (president)" "$work/out" || fail "approvals not shown"
ok() { echo "seal_cli: ok: $*"; }
ok "a sealed election checks OK"

# A member who does not confirm signs nothing.
if echo no | "$isoloir" key-holder approve-seal --fragment "$work/data/fragments/fragment-1.json" \
    --seal "$work/data/seal.json" --out "$work/refused.json" > "$work/out"; then
  fail "approved without a yes"
fi
[[ ! -e $work/refused.json ]] || fail "an approval was written without a yes"
grep -q "keys/election" "$work/out" || fail "the member was not shown the components"
ok "approve-seal shows the components and asks"

# A second prepare of a sealed election is refused.
if "$isoloir" seal prepare --election demo-2026 --out "$work/seal2.json" 2> "$work/err"; then
  fail "sealed twice"
fi
grep -q "seal.already_sealed" "$work/err" || fail "no reason: $(cat "$work/err")"

# The record carries the seal and the verifier checks it.
"$isoloir" record export --election demo-2026 --out "$work/record.jsonl" > /dev/null
grep -q '"type":"seal"' "$work/record.jsonl" || fail "no seal entry in the record"
"$isoloir" verify --quiet --lang en "$work/record.jsonl" > "$work/report" || fail "verify: $(cat "$work/report")"
grep -q "(seal): " "$work/report" || fail "no seal line in the report: $(cat "$work/report")"
ok "the record's seal verifies"

# A changed asset: named, exit 1, and the count refuses to start.
echo "/* changed */" > "$ISOLOIR_ASSETS/booth.js"
if "$isoloir" seal check --election demo-2026 > "$work/out" 2> "$work/err"; then
  fail "a changed asset passed the check"
fi
grep -q "^  DIFFERENT  assets/booth.js" "$work/out" || fail "the difference is not named: $(cat "$work/out")"
grep -q "seal.differs" "$work/err" || fail "no seal.differs: $(cat "$work/err")"
if "$isoloir" tally prepare --election demo-2026 --out "$work/tally.json" 2> "$work/err"; then
  fail "tally prepare ran on a system that differs from its seal"
fi
grep -q "seal.differs" "$work/err" || fail "tally prepare: $(cat "$work/err")"
"$isoloir" audit verify --election demo-2026 > "$work/audit" || fail "audit chain"
[[ $(grep -c "  seal.check  " "$work/audit") -ge 3 ]] || fail "checks not audited: $(cat "$work/audit")"
grep -q "  seal.approve  " "$work/audit" || fail "approvals not audited"
ok "a changed asset is named and stops the count"
echo "seal_cli: all checks passed"
