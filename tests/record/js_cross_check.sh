#!/usr/bin/env bash
# The record read by a second, independent program (issue 6 §4): the C++
# tests write an honest record; `isoloir verify` and the JavaScript checker
# (web/verify/check-record.js, @noble/curves) both accept it. Then a count is
# changed and the chain rewritten in JavaScript: both must refuse it, the
# C++ verifier only for the count (so the two agree on every hash).
# Usage: js_cross_check.sh RECORD_TESTS ISOLOIR SOURCE_DIR
set -euo pipefail
record_tests=$1 isoloir=$2 src=$3
if [ ! -d "$src/web/node_modules/@noble/curves" ]; then
  echo "js_cross_check: run 'npm ci' in $src/web first (scripts/test.sh does)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ISOLOIR_RECORD_SAMPLE="$tmp/record.jsonl" ISOLOIR_TEST_PG= \
  "$record_tests" --gtest_filter='*WriteSample/sqlite' >/dev/null
"$isoloir" verify --quiet "$tmp/record.jsonl" >"$tmp/cpp.txt"
for scrutin in CSA-MIN CAP-A CSA-PROX; do
  node "$src/web/verify/check-record.js" "$tmp/record.jsonl" --scrutin "$scrutin" | tee "$tmp/js.txt"
  grep -q "every check passed" "$tmp/js.txt"
done

# A forger adds a vote to CSA-MIN's first count and rewrites the chain.
cat >"$tmp/forge.mjs" <<EOF
import fs from 'node:fs';
import { bytesToHex, hexToBytes } from '$src/web/src/protocol/bytes.js';
import * as codec from '$src/web/src/protocol/codec.js';
import { transcript } from '$src/web/src/protocol/transcript.js';
const lines = fs.readFileSync(process.argv[2], 'utf8').trimEnd().split('\n');
let prev = '0'.repeat(64);
const out = lines.map((line) => {
  const e = JSON.parse(line);
  if (e.type === 'result' && e.body.scrutin === 'CSA-MIN') e.body.counts[0] += 1;
  e.prev = prev;
  e.hash = bytesToHex(transcript('isoloir/record/entry/v1').u64(e.seq).string(e.type)
    .digest(hexToBytes(prev)).string(codec.canonicalJson(e.body)).finish());
  prev = e.hash;
  return codec.canonicalJson(e);
});
fs.writeFileSync(process.argv[3], out.join('\n') + '\n');
EOF
node "$tmp/forge.mjs" "$tmp/record.jsonl" "$tmp/forged.jsonl"
if node "$src/web/verify/check-record.js" "$tmp/forged.jsonl" --scrutin CSA-MIN >"$tmp/js.txt" 2>&1; then
  echo "js_cross_check: the JavaScript checker accepted a forged count" >&2
  exit 1
fi
grep -q "is not what the decryption gives" "$tmp/js.txt"
if "$isoloir" verify --quiet --json "$tmp/forged.jsonl" >"$tmp/cpp.json"; then
  echo "js_cross_check: isoloir verify accepted a forged count" >&2
  exit 1
fi
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const failed = r.checks.filter((c) => !c.ok).map((c) => c.id);
console.log("isoloir verify on the forged record: failed checks " + failed.join(", "));
if (!failed.includes("counts") || failed.includes("chain")) process.exit(1);
' "$tmp/cpp.json"
echo "js_cross_check: both verifiers accept the honest record and refuse the forged count"
