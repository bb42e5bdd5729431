#!/usr/bin/env bash
# End to end, as an organiser would: election file and HR export in, letters
# and e-mails out, with the CLI alone. Runs on SQLite, or on PostgreSQL when
# ISOLOIR_TEST_PG is set (scripts/with-postgres.sh sets it).
# Usage: organiser_e2e.sh ISOLOIR_BINARY SOURCE_DIR
set -euo pipefail
ISOLOIR=$1
SRC=$2
work=$(mktemp -d)
smtp_pid=""
cleanup() {
  [[ -n $smtp_pid ]] && kill "$smtp_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
fail() { echo "FAIL: $*" >&2; exit 1; }
# A command that fails outside a check still says where and why: its line,
# the command, and what the CLI wrote on stderr (kept, not thrown away).
on_error() {
  echo "FAIL: line $1 exited with $2: $3" >&2
  [[ -s $work/stderr.log ]] && { echo "-- last stderr lines:" >&2; tail -n 20 "$work/stderr.log" >&2; }
}
trap 'on_error $LINENO $? "$BASH_COMMAND"' ERR
ok() { passed=$((passed + 1)); echo "ok - $*"; }

export ISOLOIR_DATA=$work/data
if [[ -n ${ISOLOIR_TEST_PG:-} ]]; then
  export ISOLOIR_PG=$ISOLOIR_TEST_PG
  echo "backend: PostgreSQL"
else
  unset ISOLOIR_PG
  echo "backend: SQLite"
fi
E=demo-2026

# 1. The election file; a broken one is refused with the JSON path, and stores nothing.
sed 's/"sieges_titulaires": 3/"sieges_titulaires": "trois"/' "$SRC/examples/election-demo.json" > "$work/bad.json"
if "$ISOLOIR" election create "$work/bad.json" > "$work/out" 2>&1; then fail "bad election accepted"; fi
grep -q 'scrutins\[0\].sieges_titulaires' "$work/out" || fail "error does not name the field: $(cat "$work/out")"
ok "a bad election file is refused, naming the field"
"$ISOLOIR" election create "$SRC/examples/election-demo.json" > "$work/out"
grep -q "fingerprint [0-9a-f]\{64\}" "$work/out" || fail "no fingerprint: $(cat "$work/out")"
ok "election created"

# 2. The roll: a bad export is refused whole with row and field; a good one is stored.
"$ISOLOIR" roll synth --election $E --voters 40 --seed 7 --out "$work/roll.csv"
python3 - "$work/roll.csv" "$work/bad.csv" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8-sig", newline="").read().split("\r\n")
# Row 3 (spreadsheet numbering, header = row 1) gets an impossible birth date.
cells = rows[2].split(";")
cells[3] = "31/02/1980"
rows[2] = ";".join(cells)
open(sys.argv[2], "w", encoding="utf-8", newline="").write("\r\n".join(rows))
PY
if "$ISOLOIR" roll import --election $E "$work/bad.csv" > "$work/out" 2>&1; then fail "bad roll accepted"; fi
grep -q "row 3" "$work/out" && grep -q "date_naissance" "$work/out" || fail "error lacks row/field: $(cat "$work/out")"
"$ISOLOIR" roll export --election $E > "$work/export0.csv"
[[ $(wc -l < "$work/export0.csv") -le 1 ]] || fail "a refused roll changed the store"
ok "a bad roll is refused whole, naming row and field, and stores nothing"
"$ISOLOIR" roll import --election $E "$work/roll.csv" > "$work/out"
grep -q "roll stored: 40 voters" "$work/out" || fail "roll not stored: $(cat "$work/out")"
ok "roll of 40 voters imported"

# 3. Re-import with a change: the diff is shown and nothing changes without --yes.
"$ISOLOIR" roll synth --election $E --voters 41 --seed 7 --out "$work/roll41.csv"
"$ISOLOIR" roll import --election $E "$work/roll41.csv" < /dev/null > "$work/out" || true
grep -q "1 added" "$work/out" || fail "diff not shown: $(cat "$work/out")"
grep -q "not stored" "$work/out" || fail "changed without confirmation"
"$ISOLOIR" roll import --election $E --yes "$work/roll41.csv" > "$work/out"
grep -q "roll stored: 41 voters" "$work/out" || fail "confirmed change not stored"
ok "re-import shows the diff and needs confirmation"

# 4. Union export: names, sections, scrutins; no secrets, no matricule.
"$ISOLOIR" roll export --election $E --scrutin CSA-MIN --out "$work/csa.csv"
head -1 "$work/csa.csv" | grep -q "nom;prenom;section;scrutins" || fail "export header"
if grep -qi "FR[0-9][0-9]" "$work/csa.csv"; then fail "export contains an IBAN"; fi
ok "union export has no secrets"

# 5. Credentials: letters (PDF) and e-mails (outbox), then sent to the demo Maildir.
"$ISOLOIR" credentials generate --election $E > "$work/out" 2>>"$work/stderr.log"
grep -q "issued credentials to 41 voters" "$work/out" || fail "credentials: $(cat "$work/out")"
pdf=$(ls "$ISOLOIR_DATA"/letters/*.pdf | head -1)
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
[[ $pages == 41 ]] || fail "letters PDF has $pages pages"
pdftotext "$pdf" "$work/letters.txt" 2>/dev/null
grep -q "Code de sécurité" "$work/letters.txt" || fail "letter text"
[[ $(ls "$ISOLOIR_DATA/outbox" | wc -l) == 41 ]] || fail "outbox"
ok "41 letters in one PDF and 41 e-mails in the outbox"
"$ISOLOIR" credentials generate --election $E > "$work/out" 2>>"$work/stderr.log"
grep -q "issued credentials to 0 voters (41 already" "$work/out" || fail "second generate: $(cat "$work/out")"
ok "generating again issues nothing twice"
"$ISOLOIR" credentials send --election $E > "$work/out" 2>>"$work/stderr.log"
grep -q "e-mails sent: 41" "$work/out" || fail "send: $(cat "$work/out")"
[[ $(ls "$ISOLOIR_DATA/maildir/new" | wc -l) == 41 ]] || fail "maildir"
[[ $(ls "$ISOLOIR_DATA/outbox" | wc -l) == 0 ]] || fail "outbox not emptied"
grep -l "Mot de passe" "$ISOLOIR_DATA"/maildir/new/* > /dev/null || fail "mail text"
ok "41 e-mails delivered to the Maildir, outbox emptied"

# 6. A new password for one voter, through a real SMTP server on 127.0.0.1.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/smtp"
/usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:$port -c aiosmtpd.handlers.Mailbox "$work/smtp/mbox" &
smtp_pid=$!
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
M=$(sed -n 2p "$work/roll41.csv" | cut -d';' -f1)
"$ISOLOIR" credentials send --election $E --matricule "$M" --new-password \
  --smtp 127.0.0.1 --smtp-port "$port" --smtp-security none > "$work/out" 2>>"$work/stderr.log"
grep -q "e-mails sent: 1" "$work/out" || fail "new password send: $(cat "$work/out")"
sleep 0.3
grep -rq "Mot de passe" "$work/smtp/mbox" || fail "message not at the SMTP server"
ok "a new password reaches a real SMTP server"

# 7. The audit log recorded each step, and its chain is intact.
"$ISOLOIR" audit verify --election $E > "$work/out"
for action in election.create roll.import roll.export credentials.issue credentials.send credentials.password_reissue; do
  grep -q " $action " "$work/out" || fail "audit log lacks $action"
done
grep -q "audit log intact" "$work/out" || fail "audit chain: $(tail -1 "$work/out")"
if grep -qi "$M.*mot de passe\|password_verifier\|v1:" "$work/out"; then fail "a secret in the audit log"; fi
ok "the audit log holds every step, no secret, and its chain is intact"
# 8. An offline credential authority: same election and roll, the portal's
# server key; its export (no secret) is imported on the portal.
portal=$work/portal auth=$work/authority  # both on SQLite, whatever the backend above
unset ISOLOIR_DATA
"$ISOLOIR" election create --data "$portal" --db sqlite --pg "" "$SRC/examples/election-demo.json" > /dev/null
"$ISOLOIR" roll import --data "$portal" --db sqlite --pg "" --election $E "$work/roll41.csv" > /dev/null
mkdir -p "$auth/secrets" && cp "$portal/secrets/server.key" "$auth/secrets/"
"$ISOLOIR" election create --data "$auth" --db sqlite --pg "" "$SRC/examples/election-demo.json" > /dev/null
"$ISOLOIR" roll import --data "$auth" --db sqlite --pg "" --election $E "$work/roll41.csv" > /dev/null
"$ISOLOIR" credentials generate --data "$auth" --db sqlite --pg "" --election $E > /dev/null 2>>"$work/stderr.log"
"$ISOLOIR" credentials export --data "$auth" --db sqlite --pg "" --election $E --out "$work/export.json" > /dev/null
if grep -qE '"(security_key|password)"' "$work/export.json"; then fail "a secret in the export"; fi
"$ISOLOIR" credentials import --data "$portal" --db sqlite --pg "" "$work/export.json" > "$work/out"
grep -q "imported: 41 voters' verifiers, 5[0-9] public credentials" "$work/out" || \
  grep -q "imported: 41 voters' verifiers" "$work/out" || fail "import: $(cat "$work/out")"
"$ISOLOIR" credentials import --data "$portal" --db sqlite --pg "" "$work/export.json" > "$work/out"
grep -q "imported: 0 voters' verifiers, 0 public credentials, 0 revocations" "$work/out" || fail "re-import: $(cat "$work/out")"
"$ISOLOIR" credentials generate --data "$portal" --db sqlite --pg "" --election $E > "$work/out" 2>>"$work/stderr.log"
grep -q "issued credentials to 0 voters (41 already" "$work/out" || fail "portal re-issued: $(cat "$work/out")"
echo '{"format":"isoloir/credentials-export/v1","election":"demo-2026","fingerprint":"00"}' > "$work/bad.json"
if "$ISOLOIR" credentials import --data "$portal" --db sqlite --pg "" "$work/bad.json" > "$work/out" 2>&1; then fail "bad export accepted"; fi
grep -q "fingerprint" "$work/out" || fail "bad export error: $(cat "$work/out")"
ok "an offline authority's export is imported once, with no secret, and a wrong one is refused"

# 9. Killed in the middle of issuing: the next run finishes or undoes the
# dead one, and every voter ends with exactly one valid credential per scrutin.
crash=$work/crash
"$ISOLOIR" election create --data "$crash" --db sqlite --pg "" "$SRC/examples/election-demo.json" > /dev/null
"$ISOLOIR" roll synth --data "$crash" --db sqlite --pg "" --election $E --voters 3000 --seed 5 --out "$work/r3000.csv"
"$ISOLOIR" roll import --data "$crash" --db sqlite --pg "" --election $E "$work/r3000.csv" > /dev/null 2>>"$work/stderr.log"
"$ISOLOIR" credentials generate --data "$crash" --db sqlite --pg "" --election $E > /dev/null 2>>"$work/stderr.log" &
gen=$!
# Kill it as soon as its manifest exists: around its commit point.
for _ in $(seq 400); do compgen -G "$crash/staging/*/manifest.json" > /dev/null && break; sleep 0.025; done
kill -9 $gen 2>/dev/null || true
wait $gen 2>/dev/null || true
"$ISOLOIR" credentials generate --data "$crash" --db sqlite --pg "" --election $E > "$work/out" 2>>"$work/stderr.log"
"$ISOLOIR" credentials export --data "$crash" --db sqlite --pg "" --election $E --out "$work/crash.json" > /dev/null
python3 - "$work/crash.json" "$work/r3000.csv" <<'PY' || fail "credentials after a crash: $(cat "$work/out")"
import csv, json, sys
export = json.load(open(sys.argv[1]))
assert len(export["verifiers"]) == 3000, len(export["verifiers"])
voters = {}
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    for row in csv.DictReader(f, delimiter=";"):
        for code in row["scrutins"].split("|"):
            voters[code] = voters.get(code, 0) + 1
for code, n in voters.items():
    revoked = {r["credential"] for r in export["revocations"].get(code, [])}
    valid = [c for c in export["public_credentials"][code] if c not in revoked]
    assert len(valid) == n, (code, len(valid), n)
PY
grep -q "recovered 1 interrupted run" "$work/out" || fail "no interrupted run was found: $(cat "$work/out")"
ok "a run killed mid-way is recovered: one valid credential per voter and scrutin"

echo "$passed passed, 0 failed"
