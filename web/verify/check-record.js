#!/usr/bin/env node
// An independent check of an election record (docs/record.md), written from
// the documentation with the JavaScript protocol code (web/src/protocol,
// @noble/curves) and none of the C++: the hash chain, the election's
// fingerprint, the key ceremony, one ballot's proofs, signature and tracker,
// and one scrutin's tally recomputed from its ballots then decrypted with
// the key holders' partial decryptions into the recorded counts.
//
// Usage: node web/verify/check-record.js RECORD.jsonl [--scrutin CODE]
// Prints what it checked; exits 1 at the first failure (naming the entry).
import fs from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';

import { bytesToHex, hexToBytes, utf8ToBytes } from '../src/protocol/bytes.js';
import * as codec from '../src/protocol/codec.js';
import { transcript } from '../src/protocol/transcript.js';
import { IDENTITY, encodePoint } from '../src/protocol/group.js';
import { addCiphertexts } from '../src/protocol/elgamal.js';
import { verifyBallot } from '../src/protocol/ballot.js';
import * as dkg from '../src/protocol/dkg.js';
import { combine } from '../src/protocol/threshold.js';
import { checkCount } from '../src/protocol/dlog.js';

class CheckError extends Error {}
const fail = (entry, message) => {
  throw new CheckError(entry ? `entry ${entry}: ${message}` : message);
};
const int = (v, path) => codec.decodeInt(v, path);
const samePoint = (a, b) => bytesToHex(encodePoint(a)) === bytesToHex(encodePoint(b));

/** Entries of the record, the chain checked (docs/record.md, "Hash chain"). */
function readChain(text) {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = '0'.repeat(64);
  return lines.map((line, i) => {
    const n = i + 1;
    let e;
    try {
      e = codec.parseJson(line);
    } catch (err) {
      fail(n, err.message);
    }
    const seq = int(e.seq, 'seq');
    if (seq !== n) fail(n, `numbered ${seq}`);
    if (e.prev !== prev) fail(n, 'prev is not the hash of the entry before');
    const hash = bytesToHex(
      transcript('isoloir/record/entry/v1')
        .u64(seq)
        .string(e.type)
        .digest(hexToBytes(e.prev))
        .string(codec.canonicalJson(e.body))
        .finish(),
    );
    if (hash !== e.hash) fail(n, 'hash is not the hash of the entry');
    prev = hash;
    return { n, type: e.type, body: e.body, hash };
  });
}

function main(argv) {
  const file = argv[0];
  const wanted = argv.indexOf('--scrutin') >= 0 ? argv[argv.indexOf('--scrutin') + 1] : null;
  if (!file) throw new CheckError('usage: check-record.js RECORD.jsonl [--scrutin CODE]');
  const entries = readChain(fs.readFileSync(file, 'utf8'));
  const last = entries[entries.length - 1];
  if (!last || last.type !== 'end' || int(last.body.entries, 'entries') !== entries.length - 1) {
    fail(0, 'the record does not end with its end entry');
  }
  console.log(`chain: ${entries.length} entries, head ${last.hash}`);

  // The election and its fingerprint E = SHA-256(canonical election file).
  const first = entries[0];
  const formats = ['isoloir/record/v1', 'isoloir/record/v2'];  // v2 adds the seal entries
  if (first.type !== 'election' || !formats.includes(first.body.format)) fail(1, 'not an isoloir/record/v1 or v2 record');
  const E = sha256(utf8ToBytes(codec.canonicalJson(first.body.election)));
  if (bytesToHex(E) !== first.body.fingerprint) fail(1, 'the fingerprint is not the election file\'s');
  console.log(`election ${first.body.election.id}: fingerprint ${first.body.fingerprint} recomputed`);

  // The key ceremony: proofs, public key, verification keys (§9).
  const cer = entries.find((e) => e.type === 'ceremony');
  if (!cer) fail(0, 'no ceremony entry');
  const params = { election: E, holders: int(cer.body.holders, 'holders'), threshold: int(cer.body.threshold, 'threshold') };
  for (const a of cer.body.announcements) {
    if (!dkg.verifyTransportKey(params, codec.decodeTransportKey(a))) fail(cer.n, 'a transport key proof fails');
  }
  const dealings = cer.body.dealings.map((d) => codec.decodeDealing(d));
  for (const d of dealings) {
    const problem = dkg.dealingProblem(params, d);
    if (problem) fail(cer.n, `dealing of holder ${d.dealer}: ${problem}`);
  }
  const y = dkg.publicKey(dealings);
  if (!samePoint(y, codec.decodePointField(cer.body.public_key, 'public_key'))) fail(cer.n, 'public key is not the product of the dealers\' commitments');
  const vkeys = new Map();
  for (let j = 1; j <= params.holders; j++) vkeys.set(j, dkg.verificationKey(dealings, j));
  console.log(`ceremony: ${params.holders} holders, threshold ${params.threshold}, public key recomputed`);

  // The scrutin: the first with a result and ballots, unless named.
  const results = entries.filter((e) => e.type === 'result');
  const result = results.find((r) => (wanted ? r.body.scrutin === wanted : int(r.body.votants, 'votants') > 0));
  if (!result) fail(0, `no counted scrutin ${wanted ?? 'with ballots'}`);
  const code = result.body.scrutin;
  const scrutin = first.body.election.scrutins.find((s) => s.code === code);
  const L = scrutin.listes.length + (scrutin.blank_allowed ? 1 : 0);
  const ballotParams = { election: E, publicKey: y, scrutin: code, choices: L, min: 1, max: 1 };
  const of = (type) => entries.filter((e) => e.type === type && e.body.scrutin === code);

  // One ballot: decoding, proofs, signature, tracker, credential listed (§7.5).
  const ballots = of('ballot');
  const b = ballots[0];
  if (b) {
    const decoded = codec.decodeBallot(b.body.ballot, ballotParams);
    const verdict = verifyBallot(ballotParams, decoded);
    if (!verdict.ok) fail(b.n, verdict.reason);
    if (verdict.tracker !== b.body.tracker) fail(b.n, 'the tracker is not the ballot\'s');
    const listed = new Set(of('credentials').flatMap((e) => e.body.credentials));
    const revoked = new Set(of('revocation').flatMap((e) => e.body.credentials));
    const credential = b.body.ballot.credential;
    if (!listed.has(credential) || revoked.has(credential)) fail(b.n, 'credential not listed or revoked');
    console.log(`ballot of entry ${b.n} (${code}): proofs, signature and tracker ${b.body.tracker} verified`);
  } else {
    console.log(`${code} has no ballot`);
  }

  // The tally: the sum of every ballot's ciphertexts equals the recorded sums.
  let sums = Array.from({ length: L }, () => ({ alpha: IDENTITY, beta: IDENTITY }));
  for (const e of ballots) {
    const { choices } = codec.decodeBallot(e.body.ballot, ballotParams);
    sums = sums.map((sum, i) => addCiphertexts(sum, choices[i]));
  }
  const tally = of('tally')[0];
  const recorded = tally.body.sums.map((c, i) => codec.decodeCiphertext(c, `sums[${i}]`, { allowIdentity: true }));
  recorded.forEach((c, i) => {
    if (!samePoint(c.alpha, sums[i].alpha) || !samePoint(c.beta, sums[i].beta)) fail(tally.n, `sum ${i + 1} is not the sum of the ballots`);
  });
  console.log(`tally of ${code}: ${ballots.length} ballots summed, ${L} sums equal the record's`);

  // The decryption: partial decryptions verified and combined (§10), and
  // g^count checked for every recorded count (§11).
  const partials = of('partial_decryption').map((e) =>
    codec.decodePartialDecryption({ holder: e.body.holder, factors: e.body.factors }, { length: L }),
  );
  const key = { election: E, publicKey: y };
  const { points, used, rejected } = combine(key, code, params.threshold, vkeys, recorded, partials);
  if (rejected.length) fail(0, `partial decryptions of holders ${rejected} do not verify`);
  const counts = result.body.counts.map((c, i) => int(c, `counts[${i}]`));
  counts.forEach((m, i) => {
    if (!checkCount(points[i], m)) fail(result.n, `count ${i + 1} (${m}) is not what the decryption gives`);
  });
  console.log(`result of ${code}: counts ${counts.join(', ')} confirmed by holders ${used.join(', ')}`);
  console.log('check-record: every check passed');
}

try {
  main(process.argv.slice(2));
} catch (err) {
  console.error(`check-record: ${err instanceof CheckError ? '' : 'error: '}${err.message}`);
  process.exit(1);
}
