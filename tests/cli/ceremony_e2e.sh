#!/usr/bin/env bash
# The key ceremony with one machine per holder (docs/counting.md §2), end to
# end: `isoloir serve` on 127.0.0.1 relays; `ceremony open` gives one
# invitation code per fragment; the demo BVE's 6 holders (threshold 3) each
# run `isoloir key-holder ceremony` as a separate process with their own
# folder and passphrase; holder 6 deals a bad share to holder 2 (through
# tests/cli/cheat_proxy.py), is caught by holder 2's complaint and
# disqualified at `ceremony close`. Then votes, `tally prepare`, three
# `key-holder decrypt` with the sealed (v2) fragments, `tally combine` and
# `verify` of the record. Also: unknown and used invitation codes, a wrong
# passphrase, and no share or passphrase in the server's stores or logs.
# Usage: ceremony_e2e.sh ISOLOIR_BINARY SOURCE_DIR CAST_VOTES_BINARY
set -euo pipefail
ISOLOIR=$1 SRC=$2 CAST=$3
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
refused() {  # runs isoloir expecting a non-zero exit; output in $work/out, $work/err
  if "$ISOLOIR" "$@" > "$work/out" 2> "$work/err"; then fail "accepted: $*"; fi
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
state() { python3 -c "import json, urllib.request; s = json.load(urllib.request.urlopen('$url/api/v1/ceremonie')); print($1)"; }

unset ISOLOIR_PG ISOLOIR_DB
data=$work/data
export ISOLOIR_DATA=$data
E=demo-2026
N=6

# 1. An election whose window has closed, without a key yet; the portal relays.
ISOLOIR_FIXTURE_CEREMONY=none ISOLOIR_FIXTURE_OPENING='-2 days' ISOLOIR_FIXTURE_CLOSING='-1 hour' \
  bash "$SRC/scripts/portal-fixture.sh" "$ISOLOIR" "$data" 12 2026
mkdir -p "$work/assets" && echo "/* booth */" > "$work/assets/booth.js"
port=$(free_port)
url=http://127.0.0.1:$port
"$ISOLOIR" serve --election $E --address 127.0.0.1 --port "$port" --assets "$work/assets" \
  > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('$url/sante')" 2>/dev/null && break
  sleep 0.1
done
[[ $(state 's["opened"]') == False ]] || fail "opened before ceremony open"

"$ISOLOIR" ceremony open --election $E > "$work/open.txt"
for j in $(seq $N); do
  sed -n "s/^fragment $j ([a-z-]*): //p" "$work/open.txt" > "$work/code-$j"
  [[ -s $work/code-$j ]] || fail "no code for fragment $j: $(cat "$work/open.txt")"
done
refused ceremony open --election $E
grep -q "already open" "$work/err" || fail "second open: $(cat "$work/err")"
ok "ceremony opened: $N invitation codes shown once; a second open is refused"

# 2. An unknown invitation code is refused.
echo "correct horse battery staple" > "$work/pass-x"
refused key-holder ceremony --url "$url" --invitation not-a-real-code --dir "$work/x" \
  --passphrase-file "$work/pass-x"
grep -q "unknown invitation code" "$work/err" || fail "unknown code: $(cat "$work/err")"
[[ ! -e $work/x ]] || fail "a folder was made for an unknown code"
ok "an unknown invitation code is refused"

# 3. Six holders, each a process with its own folder and passphrase; holder 6 cheats.
proxy_port=$(free_port)
python3 "$SRC/tests/cli/cheat_proxy.py" "$proxy_port" "$port" 2 &
pids+=($!)
# Until the proxy answers (a fixed sleep lost the race on a loaded machine).
for _ in $(seq 300); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$proxy_port/sante')" \
    2>/dev/null && break
  sleep 0.1
done
holders=()
for j in $(seq $N); do
  printf 'passphrase of holder %s, long enough\n' "$j" > "$work/pass-$j"
  holder_url=$url
  [[ $j == 6 ]] && holder_url=http://127.0.0.1:$proxy_port
  "$ISOLOIR" key-holder ceremony --url "$holder_url" --invitation-file "$work/code-$j" \
    --dir "$work/holder-$j" --passphrase-file "$work/pass-$j" --poll 0.3 --timeout 300 \
    > "$work/holder-$j.log" 2>&1 &
  holders+=($!)
  pids+=($!)
done
for _ in $(seq 600); do
  [[ $(state 'len(s["finished"])') == "$N" ]] && break
  sleep 0.5
done
[[ $(state 'len(s["finished"])') == "$N" ]] || fail "holders did not finish: $(tail -n 3 "$work"/holder-*.log)"
grep -q "complaint against holder 6" "$work/holder-2.log" || fail "no complaint: $(cat "$work/holder-2.log")"
ok "each holder announced, dealt, checked their shares; holder 2 complained against holder 6"

# 4. A used invitation code is refused.
refused key-holder ceremony --url "$url" --invitation-file "$work/code-1" --dir "$work/y" \
  --passphrase-file "$work/pass-1"
grep -q "invitation was used" "$work/err" || fail "used code: $(cat "$work/err")"
ok "a used invitation code is refused"

# 5. The organiser closes: the cheater is disqualified; every holder gets a sealed fragment.
"$ISOLOIR" ceremony close --election $E > "$work/close.txt" 2> "$work/err" \
  || fail "close: $(cat "$work/err")"
grep -q "qualified dealers: 1, 2, 3, 4, 5; disqualified (upheld complaint): 6" "$work/close.txt" \
  || fail "close: $(cat "$work/close.txt")"
for k in "${!holders[@]}"; do
  wait "${holders[$k]}" || fail "holder $((k + 1)): $(cat "$work/holder-$((k + 1)).log")"
done
for j in $(seq $N); do
  f=$work/holder-$j/fragment-$j.json
  python3 - "$f" <<'PY' || fail "fragment $j is not a sealed v2 file"
import json, sys
f = json.load(open(sys.argv[1]))
assert f["format"] == "isoloir/fragment/v2", f["format"]
assert "share" not in f and f["kdf"]["algorithm"] == "argon2id13"
assert f["aead"]["algorithm"] == "xchacha20poly1305-ietf"
PY
  [[ ! -e $work/holder-$j/ceremony-state.json ]] || fail "holder $j kept the transport key"
  [[ $(stat -c %a "$f") == 600 ]] || fail "fragment $j is readable by others"
done
[[ $(state 's["closed"]') == True ]] || fail "not closed"
ok "closed: the cheater disqualified, y stored; each holder wrote a passphrase-sealed fragment"

# 6. What the server holds: no share, no passphrase, no invitation code.
python3 - "$data" "$work" $N <<'PY' || fail "the server holds a secret"
import glob, json, sqlite3, sys
data, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
blob = b""
stores = glob.glob(data + "/**/*.db", recursive=True)
for f in stores + glob.glob(data + "/**/*.db-wal", recursive=True) + [work + "/serve.log"]:
    blob += open(f, "rb").read()
for j in range(1, n + 1):
    secret = open(f"{work}/pass-{j}", "rb").read().strip()
    code = open(f"{work}/code-{j}", "rb").read().strip()
    assert secret not in blob, f"passphrase {j} in the server's files"
    assert code not in blob, f"invitation code {j} in the server's files"
db = sqlite3.connect("file:" + next(f for f in stores if f.endswith("/portal.db")) + "?mode=ro", uri=True)
kinds = {}
for kind, body in db.execute("SELECT kind, body FROM ceremony_messages"):
    keys = set(json.loads(body))
    kinds.setdefault(kind, set()).update(keys)
assert kinds["invitation"] == {"code_sha256", "member"}, kinds
assert kinds["announcement"] == {"holder", "transport_key", "proof"}, kinds
assert kinds["dealing"] == {"dealer", "commitments", "proof", "shares"}, kinds
assert kinds["complaints"] == {"complaints"}, kinds
print("server stores: public messages only")
PY
ok "the server's stores and log hold no passphrase, no invitation code, only public messages"

# 6b. The seal (docs/seal.md): every holder approves with their sealed fragment.
"$ISOLOIR" seal prepare --election $E --out "$work/seal.json" > /dev/null 2> "$work/err" \
  || fail "seal prepare: $(cat "$work/err")"
for j in $(seq $N); do
  "$ISOLOIR" key-holder approve-seal --yes --fragment "$work/holder-$j/fragment-$j.json" \
    --passphrase-file "$work/pass-$j" --seal "$work/seal.json" --out "$work/approval-$j.json" \
    > /dev/null 2> "$work/err" || fail "approve-seal $j: $(cat "$work/err")"
  "$ISOLOIR" seal approve "$work/approval-$j.json" > /dev/null 2> "$work/err" \
    || fail "seal approve $j: $(cat "$work/err")"
done
ok "sealed: every holder approved with their passphrase-sealed fragment"

# 7. Votes, then the count with the sealed fragments of holders 1, 3 and 4.
"$CAST" "$data" "$data/identifiants.csv" > "$work/expected.txt"
"$ISOLOIR" tally prepare --election $E --out "$work/tally.json" > "$work/out" 2> "$work/err" \
  || fail "prepare: $(cat "$work/err")"
echo "not the right passphrase" > "$work/wrong"
refused key-holder decrypt --fragment "$work/holder-1/fragment-1.json" --tally "$work/tally.json" \
  --out "$work/partial-x.json" --passphrase-file "$work/wrong"
grep -q "wrong passphrase" "$work/err" || fail "wrong passphrase: $(cat "$work/err")"
[[ ! -e $work/partial-x.json ]] || fail "a partial was written with a wrong passphrase"
ok "a wrong passphrase is refused with a clear message"
for j in 1 3 4; do
  ISOLOIR_DATA="$work/no-stores" "$ISOLOIR" key-holder decrypt \
    --fragment "$work/holder-$j/fragment-$j.json" --tally "$work/tally.json" \
    --out "$work/partial-$j.json" --passphrase-file "$work/pass-$j" > "$work/out" 2> "$work/err" \
    || fail "decrypt $j: $(cat "$work/err")"
done
"$ISOLOIR" tally combine --election $E --tally "$work/tally.json" --partial "$work/partial-1.json" \
  --partial "$work/partial-3.json" --partial "$work/partial-4.json" --out "$work/results.json" \
  > "$work/summary.txt" 2> "$work/err" || fail "combine: $(cat "$work/err")"
python3 - "$work/results.json" "$work/expected.txt" <<'PY' || fail "counts differ from the votes cast"
import json, sys
r = json.load(open(sys.argv[1]))
expected = {l.split()[0]: [int(n) for n in l.split()[1].split(",")] for l in open(sys.argv[2])}
for s in r["scrutins"]:
    assert s["counts"] == expected[s["scrutin"]], (s["scrutin"], s["counts"], expected[s["scrutin"]])
print("counts match the votes cast")
PY
ok "count with three sealed fragments: the counts match the votes cast"

# 8. The transcript is public: in the record, which verifies (complaint judged).
"$ISOLOIR" record export --election $E --out "$work/record.jsonl" > /dev/null 2> "$work/err" || fail "export: $(cat "$work/err")"
"$ISOLOIR" verify --quiet --lang en "$work/record.jsonl" > "$work/report.txt" \
  || fail "verify: $(cat "$work/report.txt")"
grep -q "Result: every check passed" "$work/report.txt" || fail "verify: $(cat "$work/report.txt")"
ok "the record with the relay's transcript verifies"
echo "all ceremony checks passed"
