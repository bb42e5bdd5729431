#!/usr/bin/env bash
# `isoloir staff` and `isoloir desk` as the organiser and the président run
# them on a fresh demo election (SQLite): an account printed once, a BVE role
# only for the election file's members, the list, disabling; a new key and a
# new password at the desk, an identity check refused with its field named.
# Usage: staff_cli.sh ISOLOIR_BINARY SOURCE_DIR
set -euo pipefail
ISOLOIR=$1
SRC=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

ISOLOIR_PORTAL_URL=http://127.0.0.1:1 bash "$SRC/scripts/portal-fixture.sh" "$ISOLOIR" "$work/data" 4 \
  > /dev/null 2>&1 || fail "portal-fixture.sh"
d=(--data "$work/data" --election demo-2026)

"$ISOLOIR" staff add "${d[@]}" --role president --id president > "$work/add"
grep -q '^Mot de passe initial (affiché une seule fois) : [0-9a-z-]\{29\}$' "$work/add" || fail "no password: $(cat "$work/add")"
grep -q '^Secret TOTP (base32) : [A-Z2-7]\{32\}$' "$work/add" || fail "no TOTP secret"
grep -q '^URI : otpauth://totp/Isoloir%20demo-2026:president?secret=' "$work/add" || fail "no otpauth URI"
ok "staff add prints the password, the TOTP secret and its URI once"

if "$ISOLOIR" staff add "${d[@]}" --role delegue --id nobody 2> "$work/err"; then fail "a non-member became délégué"; fi
grep -q "staff.not_bve_member" "$work/err" || fail "$(cat "$work/err")"
if "$ISOLOIR" staff add "${d[@]}" --role admin --id x 2> "$work/err"; then fail "role admin accepted"; fi
grep -q "staff.bad_role" "$work/err" || fail "$(cat "$work/err")"
ok "a BVE role needs a member of the election file; unknown roles are refused"

"$ISOLOIR" staff add "${d[@]}" --role assistance --id agent1 > /dev/null
"$ISOLOIR" staff disable "${d[@]}" --id agent1 > /dev/null
"$ISOLOIR" staff list "${d[@]}" > "$work/list"
grep -q $'^agent1\tassistance\tdésactivé' "$work/list" || fail "$(cat "$work/list")"
grep -q $'^president\tpresident\tactif' "$work/list" || fail "$(cat "$work/list")"
ok "staff list shows roles and disabled accounts"

m=$(sed -n 2p "$work/data/identifiants.csv" | cut -d';' -f1)
if "$ISOLOIR" desk key "${d[@]}" --matricule "$m" --document passeport --fin-numero 4821 \
  > "$work/out" 2> "$work/err"; then fail "a passport was accepted"; fi
grep -q "field.document.format" "$work/err" || fail "$(cat "$work/err")"
[[ ! -s $work/out ]] || fail "something was handed over: $(cat "$work/out")"
"$ISOLOIR" desk key "${d[@]}" --matricule "$m" --document piece_identite --fin-numero 4821 > "$work/key"
grep -q '^Nouvelle clé de sécurité (affiché une seule fois) : [0-9A-Z]\{5\}-[0-9A-Z]\{5\}-[0-9A-Z]\{5\}-[0-9A-Z]\{5\}$' \
  "$work/key" || fail "$(cat "$work/key")"
"$ISOLOIR" desk password "${d[@]}" --matricule "$m" --document carte_professionnelle --fin-numero AB12 > "$work/pw"
grep -q '^Nouveau mot de passe (affiché une seule fois) : [0-9a-z]\{4\}-[0-9a-z]\{4\}-[0-9a-z]\{4\}$' "$work/pw" \
  || fail "$(cat "$work/pw")"
if "$ISOLOIR" desk password "${d[@]}" --matricule NOBODY --document piece_identite --fin-numero 4821 \
  2> "$work/err"; then fail "an unknown voter got a password"; fi
grep -q "desk.unknown_voter" "$work/err" || fail "$(cat "$work/err")"
ok "desk key and desk password hand over once after the identity check"
