#!/usr/bin/env bash
# The procès-verbaux and the publication by CLI (docs/pv.md): a sealed
# election whose window has closed (scripts/portal-fixture.sh), votes cast
# (tests/counting/cast_votes.cc), the count, then `isoloir pv`: one PDF per
# scrutin and one for the election whose text (pdftotext) holds the figures;
# `publish` refused until the président and a délégué have signed every PV
# (`key-holder sign-pv`, `pv approve`); /resultats shows nothing before
# publication and the results after; the record carries the signed PVs and
# `isoloir verify` checks their figures against the results, and catches a
# PV entry whose votes were changed. SQLite, or PostgreSQL when ISOLOIR_TEST_PG is set.
# Usage: pv_cli.sh ISOLOIR_BINARY SOURCE_DIR CAST_VOTES_BINARY
set -euo pipefail
ISOLOIR=$1 SRC=$2 CAST=$3
work=$(mktemp -d)
server=
cleanup() {
  if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
refused() {  # runs isoloir expecting a non-zero exit; output in $work/out, $work/err
  if "$ISOLOIR" "$@" > "$work/out" 2> "$work/err"; then fail "accepted: $*"; fi
}
if [[ -n ${ISOLOIR_TEST_PG:-} ]]; then
  export ISOLOIR_PG=$ISOLOIR_TEST_PG ISOLOIR_DB=postgresql
else
  unset ISOLOIR_PG ISOLOIR_DB
fi
data=$work/data
export ISOLOIR_DATA=$data ISOLOIR_ASSETS=$work/assets
mkdir -p "$ISOLOIR_ASSETS" && echo "/* booth */" > "$ISOLOIR_ASSETS/booth.js"
E=demo-2026

ISOLOIR_FIXTURE_OPENING='-2 days' ISOLOIR_FIXTURE_CLOSING='-1 hour' \
  bash "$SRC/scripts/portal-fixture.sh" "$ISOLOIR" "$data" 12 2026
"$CAST" "$data" "$data/identifiants.csv" > "$work/expected.txt"

# The portal, before publication: no figure.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ISOLOIR" serve --election $E --address 127.0.0.1 --port "$port" > "$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  if curl -sf "http://127.0.0.1:$port/sante" > /dev/null; then break; fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/resultats" > "$work/before.html" || fail "no /resultats page"
grep -q "ne sont pas encore publiés" "$work/before.html" || fail "before: $(cat "$work/before.html")"
if grep -q "Suffrages exprimés" "$work/before.html"; then fail "figures shown before publication"; fi
ok "/resultats shows nothing before publication"

# The count.
"$ISOLOIR" tally prepare --election $E --out "$work/tally.json" > /dev/null
for j in 1 3 4; do
  "$ISOLOIR" key-holder decrypt --fragment "$data/fragments/fragment-$j.json" \
    --tally "$work/tally.json" --out "$work/partial-$j.json" > /dev/null
done
"$ISOLOIR" tally combine --election $E --tally "$work/tally.json" --partial "$work/partial-1.json" \
  --partial "$work/partial-3.json" --partial "$work/partial-4.json" --out "$work/results.json" > /dev/null

# The PVs: their text holds the figures.
"$ISOLOIR" pv --election $E --results "$work/results.json" --out "$work/pv" > "$work/out"
for f in pv-CSA-MIN.pdf pv-CAP-A.pdf pv-CSA-PROX.pdf pv-election.pdf; do
  [[ -s $work/pv/$f ]] || fail "no $f: $(cat "$work/out")"
done
pdftotext -layout -enc UTF-8 "$work/pv/pv-CSA-MIN.pdf" "$work/csa.txt"
python3 - "$work/results.json" "$work/csa.txt" <<'PY' || fail "the PV's figures: $(cat "$work/csa.txt")"
import json, re, sys
r = json.load(open(sys.argv[1]))["scrutins"][0]
text = open(sys.argv[2]).read()
flat = re.sub(r"\s+", " ", text)
for label, key in (("Électeurs inscrits", "inscrits"), ("Votants", "votants"),
                   ("Bulletins blancs", "blancs"), ("Bulletins nuls", "nuls"),
                   ("Suffrages exprimés", "exprimes")):
    assert re.search(re.escape(label) + r" " + str(r[key]) + r"\b", flat), (label, r[key])
for l in r["listes"]:
    assert re.search(re.escape(l["sigle"]) + r" " + str(l["voix"]) + r" " + str(l["sieges"]), flat), l
for needle in ("Composition du bureau de vote électronique", "Président", "Scellement",
               "Contrôle avant le dépouillement", "conforme", "Élus", "Titulaires",
               "fragment 1 (president)", "Total des actions 0", "Aucune suspension"):
    assert needle in flat, needle
print("PV figures ok")
PY
pdftotext -enc UTF-8 "$work/pv/pv-election.pdf" "$work/election.txt" 2> /dev/null
grep -q "Procès-verbal récapitulatif" "$work/election.txt" || fail "election PV"
ok "one PV per scrutin and one for the election; the text holds the figures"

# Publication waits for the signatures.
refused publish --election $E --results "$work/results.json" --pv-dir "$work/pv"
grep -q "pv.unsigned" "$work/err" || fail "unsigned: $(cat "$work/err")"
for f in "$work"/pv/*.pdf; do
  for j in 1 3; do
    sig=$work/sig-$j-$(basename "$f" .pdf).json
    ISOLOIR_DATA="$work/no-stores" "$ISOLOIR" key-holder sign-pv --yes \
      --fragment "$data/fragments/fragment-$j.json" --pv "$f" --out "$sig" > /dev/null
    "$ISOLOIR" pv approve "$sig" > "$work/out"
  done
done
refused pv approve "$work/sig-1-pv-CAP-A.json"
grep -q "already signed" "$work/err" || fail "twice: $(cat "$work/err")"
"$ISOLOIR" publish --election $E --results "$work/results.json" --pv-dir "$work/pv" > "$work/out" \
  || fail "publish: $(cat "$work/out")"
grep -q "final seal" "$work/out" || fail "no final seal: $(cat "$work/out")"
ok "publication refused until every PV is signed by the président and a délégué, then done"

curl -sf "http://127.0.0.1:$port/resultats" > "$work/after.html" || fail "no /resultats after"
python3 - "$work/results.json" "$work/after.html" <<'PY' || fail "results page: $(cat "$work/after.html")"
import json, re, sys
r = json.load(open(sys.argv[1]))["scrutins"][0]
html = open(sys.argv[2]).read()
assert "Suffrages exprimés" in html
assert re.search(r"<th scope=\"row\">Votants</th><td>" + str(r["votants"]) + "</td>", html)
assert "/resultats/pv-CSA-MIN.pdf" in html
PY
curl -sf "http://127.0.0.1:$port/resultats?lang=en" > "$work/after-en.html" || fail "no English page"
grep -q "Valid votes" "$work/after-en.html" || fail "English page: $(cat "$work/after-en.html")"
curl -sf -o "$work/got.pdf" "http://127.0.0.1:$port/resultats/pv-CSA-MIN.pdf" || fail "PV download"
cmp -s "$work/got.pdf" "$work/pv/pv-CSA-MIN.pdf" || fail "the downloaded PV is not the signed one"
code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/resultats/../results.json")
[[ $code == 404 ]] || fail "a file the manifest does not name was served ($code)"
ok "/resultats shows the results (FR/EN) and serves the signed PVs"

# The record: signed PVs whose figures `isoloir verify` compares with the results.
python3 - "$work/results.json" "$work" <<'PY'
# The record's count documents (docs/record.md) from the count's: the fields it takes.
import json, sys
keep = ["format", "election", "fingerprint", "scrutin", "ballots", "emargements", "tally",
        "partial_decryptions", "counts", "votants", "blancs", "exprimes", "listes", "seats", "seed"]
for s in json.load(open(sys.argv[1]))["scrutins"]:
    d = {k: s[k] for k in keep}
    d["listes"] = [{k: l[k] for k in ("id", "sigle", "voix")} for l in s["listes"]]
    json.dump(d, open(f"{sys.argv[2]}/count-{s['scrutin']}.json", "w"), ensure_ascii=False)
PY
"$ISOLOIR" record export --election $E --out "$work/record.jsonl" \
  --results "$work"/count-*.json > /dev/null
[[ $(grep -c '"type":"pv"' "$work/record.jsonl") == 4 ]] || fail "pv entries"
"$ISOLOIR" verify --quiet --lang en "$work/record.jsonl" > "$work/report" \
  || fail "verify: $(cat "$work/report")"
grep -q "(pv): " "$work/report" || fail "no pv line: $(cat "$work/report")"
python3 - "$work/record.jsonl" "$work/forged.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
for e in lines:
    if e["type"] == "pv" and e["body"]["scope"] == "CSA-MIN":
        e["body"]["figures"][0]["listes"][0]["voix"] += 1
with open(sys.argv[2], "w") as out:
    for e in lines:
        out.write(json.dumps(e, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")
PY
if "$ISOLOIR" verify --quiet --lang en "$work/forged.jsonl" > "$work/report"; then
  fail "a PV with other votes passed"
fi
grep -q "the votes of .* were .* on the PV, .* in the results" "$work/report" \
  || fail "not named: $(cat "$work/report")"
ok "the record's PVs are verified against the results; a changed figure is named"
echo "pv_cli: all checks passed"
