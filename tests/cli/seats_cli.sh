#!/usr/bin/env bash
# `isoloir seats` as anyone checking a result runs it: the worked case of
# docs/seats.md (text and JSON), a tie decided by lots from a public seed, a
# vote on sigle, and bad input refused with row and column and no result.
# Usage: seats_cli.sh ISOLOIR_BINARY
set -euo pipefail
ISOLOIR=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# Runs isoloir expecting a refusal: non-zero exit, nothing on standard output.
refused() {
  if "$ISOLOIR" "$@" > "$work/out" 2> "$work/err"; then fail "accepted: $*"; fi
  [[ ! -s $work/out ]] || fail "a result was printed for: $* -> $(cat "$work/out")"
}

# 1. The worked case: 106 suffrages exprimés, 7 seats (UTF-8 with BOM, CRLF).
printf '\xEF\xBB\xBFliste;voix;candidats\r\nA;20;7\r\nB;41;7\r\nC;11;7\r\nD;34;7\r\n' > "$work/lists.csv"
"$ISOLOIR" seats "$work/lists.csv" --seats 7 > "$work/out"
grep -q "Quotient électoral : 106 / 7 = 15,14" "$work/out" || fail "no quotient: $(cat "$work/out")"
grep -Eq "^B +41 +7 +2 +1 +3$" "$work/out" || fail "row B: $(cat "$work/out")"
grep -Eq "^D +34 +7 +2 +1 +3$" "$work/out" || fail "row D: $(cat "$work/out")"
grep -Eq "^C +11 +7 +0 +0 +0$" "$work/out" || fail "row C: $(cat "$work/out")"
grep -q "^Siège 6 : B$" "$work/out" && grep -q "^Siège 7 : D$" "$work/out" \
  || fail "rounds: $(cat "$work/out")"
ok "worked case: quotient, then B and D at the plus forte moyenne"

"$ISOLOIR" seats "$work/lists.csv" --seats 7 --json > "$work/out.json"
python3 - "$work/out.json" <<'PY' || fail "JSON: $(cat "$work/out.json")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["format"] == "isoloir/seats/v1"
assert j["quotient"] == {"numerator": 106, "denominator": 7, "decimal": "15.14"}, j["quotient"]
assert [l["total"] for l in j["lists"]] == [1, 3, 0, 3], j["lists"]
assert [r["winner"] for r in j["rounds"]] == ["B", "D"], j["rounds"]
assert j["rounds"][0]["averages"][1] == {
    "list": "B", "numerator": 41, "denominator": 3, "decimal": "13.66", "status": "competing"}
PY
ok "the same in JSON"

# 2. A tie only lots can break: refused without a seed, then recomputable by hand.
printf 'liste,voix,candidats\nA,100,2\nB,100,2\n' > "$work/tie.csv"
refused seats "$work/tie.csv" --seats 1
grep -q "seats.seed.missing" "$work/err" || fail "no seed error: $(cat "$work/err")"
"$ISOLOIR" seats "$work/tie.csv" --seats 1 --seed graine-publique-2026 > "$work/out"
for name in A B; do
  digest=$(printf 'isoloir/seats/v1\ngraine-publique-2026\n1\n%s' $name | sha256sum | cut -d' ' -f1)
  grep -q "$name : SHA-256(.*) = $digest" "$work/out" || fail "digest of $name: $(cat "$work/out")"
done
grep -q "la plus petite empreinte l'emporte -> B" "$work/out" || fail "draw: $(cat "$work/out")"
ok "drawing of lots: needs the seed, digests match sha256sum"

# 3. Vote on sigle: no candidates column, no cap.
printf 'sigle;voix\nUN;600\nDEUX;400\n' > "$work/sigle.csv"
"$ISOLOIR" seats "$work/sigle.csv" --seats 5 --mode sigle > "$work/out"
grep -Eq "^UN +600 +3 +0 +3$" "$work/out" || fail "sigle: $(cat "$work/out")"
ok "vote on sigle"

# 4. Bad input: the row as a spreadsheet numbers it, the column, and no result.
printf 'liste;voix;candidats\nA;10;3\n"B\nbis";-4;3\n' > "$work/bad.csv"
refused seats "$work/bad.csv" --seats 3
grep -q "row 3 (line 3), voix: \"-4\": a number of votes cannot be negative" "$work/err" \
  || fail "error lacks row/line/column: $(cat "$work/err")"
grep -q "row 3 (line 3), liste:" "$work/err" || fail "name error: $(cat "$work/err")"
refused seats "$work/lists.csv" --seats 0
grep -q "seats.seats.range" "$work/err" || fail "--seats 0: $(cat "$work/err")"
refused seats "$work/lists.csv" --seats 99999999999999999999999
refused seats "$work/missing.csv" --seats 3
printf 'liste;voix;candidats\nA;10;3\na;5;3\n' > "$work/dup.csv"
refused seats "$work/dup.csv" --seats 3
grep -q "row 3 (line 3), liste: \"a\" is already on row 2 (line 2)" "$work/err" \
  || fail "duplicate: $(cat "$work/err")"
ok "bad files and options are refused, naming row, line and column"

echo "all seats CLI checks passed"
