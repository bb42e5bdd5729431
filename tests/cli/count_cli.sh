#!/usr/bin/env bash
# The count by CLI, as the BVE runs it (docs/counting.md): an election
# prepared by scripts/portal-fixture.sh whose window has closed, votes cast
# through the portal's use cases by tests/counting/cast_votes.cc, then
# `tally prepare`, three `key-holder decrypt`, `tally combine`, `tally replay`,
# and the refusals: too few fragments, a damaged partial decryption, an
# altered results file. SQLite, or PostgreSQL when ISOLOIR_TEST_PG is set.
# Usage: count_cli.sh ISOLOIR_BINARY SOURCE_DIR CAST_VOTES_BINARY
set -euo pipefail
ISOLOIR=$1 SRC=$2 CAST=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
refused() {  # runs isoloir expecting a non-zero exit; output in $work/out, $work/err
  if "$ISOLOIR" "$@" > "$work/out" 2> "$work/err"; then fail "accepted: $*"; fi
}

if [[ -n ${ISOLOIR_TEST_PG:-} ]]; then
  export ISOLOIR_PG=$ISOLOIR_TEST_PG ISOLOIR_DB=postgresql
  echo "backend: PostgreSQL"
else
  unset ISOLOIR_PG ISOLOIR_DB
  echo "backend: SQLite"
fi
data=$work/data
export ISOLOIR_DATA=$data
E=demo-2026

# 1. An election whose window closed an hour ago (more than the 30 minutes of grace).
ISOLOIR_FIXTURE_OPENING='-2 days' ISOLOIR_FIXTURE_CLOSING='-1 hour' \
  bash "$SRC/scripts/portal-fixture.sh" "$ISOLOIR" "$data" 12 2026
"$CAST" "$data" "$data/identifiants.csv" > "$work/expected.txt"
grep -q "^CSA-MIN " "$work/expected.txt" || fail "no votes cast: $(cat "$work/expected.txt")"
ok "12 voters voted through the portal's use cases during the window"

# 2. Prepare: every ballot verified again, ballots = émargements, the tally written.
"$ISOLOIR" tally prepare --election $E --out "$work/tally.json" > "$work/out" 2> "$work/err"
grep -q "^CSA-MIN: 12 ballot(s) verified and summed, 12 émargement(s), 12 inscrit(s)" "$work/out" \
  || fail "prepare: $(cat "$work/out" "$work/err")"
ok "tally prepared"

# 3. Three key holders decrypt on "their own machines" (no store: an empty data folder).
for j in 1 2 3 4; do
  ISOLOIR_DATA="$work/no-stores" "$ISOLOIR" key-holder decrypt --fragment "$data/fragments/fragment-$j.json" \
    --tally "$work/tally.json" --out "$work/partial-$j.json" > "$work/out"
  grep -q "no secret in it" "$work/out" || fail "decrypt $j: $(cat "$work/out")"
  if grep -q '"share"' "$work/partial-$j.json"; then fail "partial $j holds the share"; fi
done
python3 - "$work/tally.json" "$work/other-tally.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["fingerprint"] = "0" * 64
json.dump(t, open(sys.argv[2], "w"))
PY
refused key-holder decrypt --fragment "$data/fragments/fragment-1.json" \
  --tally "$work/other-tally.json" --out "$work/x.json"
grep -q "other-tally.json: fingerprint:" "$work/err" || fail "mismatch: $(cat "$work/err")"
ok "key holders decrypt; a tally for another election file is refused, naming the field"

# 4. Combine: too few fragments refused; a damaged one named; then the count.
refused tally combine --election $E --tally "$work/tally.json" --partial "$work/partial-1.json" \
  --partial "$work/partial-3.json" --out "$work/results.json"
grep -q "2 valid partial decryption(s), 3 needed" "$work/err" || fail "too few: $(cat "$work/err")"
[[ ! -e $work/results.json ]] || fail "results written despite the refusal"
python3 - "$work/partial-4.json" "$work/bad-4.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
f = p["scrutins"][0]["partial_decryption"]["factors"]
f[0]["proof"], f[1]["proof"] = f[1]["proof"], f[0]["proof"]
json.dump(p, open(sys.argv[2], "w"))
PY
refused tally combine --election $E --tally "$work/tally.json" --partial "$work/partial-1.json" \
  --partial "$work/partial-3.json" --partial "$work/bad-4.json" --out "$work/results.json"
grep -q "rejected fragment 4 (delegue-cfad)" "$work/err" || fail "bad holder: $(cat "$work/err")"
ok "fewer than the threshold refused; a damaged partial decryption names its holder"

"$ISOLOIR" tally combine --election $E --tally "$work/tally.json" --partial "$work/partial-1.json" \
  --partial "$work/partial-3.json" --partial "$work/partial-4.json" --out "$work/results.json" \
  > "$work/summary.txt"
grep -q "Scrutin CSA-MIN" "$work/summary.txt" && grep -q "Suffrages exprimés" "$work/summary.txt" \
  || fail "summary: $(cat "$work/summary.txt")"
python3 - "$work/results.json" "$work/expected.txt" <<'PY' || fail "counts differ from the votes cast"
import json, sys
r = json.load(open(sys.argv[1]))
expected = {l.split()[0]: [int(n) for n in l.split()[1].split(",")] for l in open(sys.argv[2])}
for s in r["scrutins"]:
    assert s["format"] == "isoloir/count/v1"
    assert s["counts"] == expected[s["scrutin"]], (s["scrutin"], s["counts"], expected[s["scrutin"]])
    assert s["votants"] == s["ballots"] == s["emargements"] == sum(s["counts"])
    assert s["blancs"] + s["exprimes"] == s["votants"]
    assert sum(l["voix"] for l in s["listes"]) == s["exprimes"]
    assert [h["holder"] for h in s["partial_decryptions"]] == [1, 3, 4]
print("counts match the votes cast")
PY
ok "combined: counts match the votes cast, blank counted, seats allocated"

# 5. Replay from the stores: the same result; an altered file is refused, naming the field.
"$ISOLOIR" tally replay --election $E --results "$work/results.json" > "$work/out" 2> "$work/err" \
  || fail "replay: $(cat "$work/err")"
grep -q "is the same result" "$work/out" || fail "replay: $(cat "$work/out")"
python3 - "$work/results.json" "$work/altered.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["scrutins"][0]["exprimes"] += 1
json.dump(r, open(sys.argv[2], "w"))
PY
refused tally replay --election $E --results "$work/altered.json"
grep -q "scrutins\[0\] (CSA-MIN).exprimes: the file has" "$work/err" || fail "altered: $(cat "$work/err")"
ok "replay gives the same result; an altered results file is named field by field"

"$ISOLOIR" tally replay --help > /dev/null
echo "all count CLI checks passed"
