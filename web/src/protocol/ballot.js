// §7 Ballots: context, encryption with proofs and signature, signed digest,
// tracker, verification.
import { Fn, GROUP_NAME, baseMul } from './group.js';
import { transcript, randomScalar } from './transcript.js';
import { encrypt, sumCiphertexts } from './elgamal.js';
import { proveDlog, verifyDlog, proveMembership, verifyMembership } from './proofs.js';
import { toBase64Url } from './bytes.js';

/**
 * Parameters of one scrutin as seen by the ballot code:
 *   { election: Uint8Array(32) E, publicKey: Point y, scrutin: string,
 *     choices: L, min, max }
 */

function range(min, max) {
  const out = [];
  for (let v = min; v <= max; v++) out.push(v);
  return out;
}

function checkParams({ election, publicKey, scrutin, choices, min, max }) {
  if (!(election instanceof Uint8Array) || election.length !== 32) throw new Error('election fingerprint is 32 bytes');
  if (!publicKey || publicKey.is0()) throw new Error('public key is missing or the identity');
  if (typeof scrutin !== 'string') throw new Error('scrutin code is a string');
  if (!Number.isSafeInteger(choices) || choices < 1) throw new Error('choices must be a positive integer');
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min < 0 || min > max || max > choices) {
    throw new Error('need 0 <= min <= max <= choices');
  }
}

/**
 * §4 ballot context = T("isoloir/context/ballot/v1", "P-256", E, y, scrutin,
 * u64(L), u64(min), u64(max), credential).
 */
export function ballotContext(params, credential) {
  checkParams(params);
  return transcript('isoloir/context/ballot/v1')
    .string(GROUP_NAME)
    .digest(params.election)
    .point(params.publicKey)
    .string(params.scrutin)
    .u64(params.choices)
    .u64(params.min)
    .u64(params.max)
    .point(credential)
    .finish();
}

/** §4 signature context = T("isoloir/context/signature/v1", signed_digest). */
export function signatureContext(signedDigest) {
  return transcript('isoloir/context/signature/v1').digest(signedDigest).finish();
}

function addMembership(t, proof) {
  t.u64(proof.length);
  for (const { c, s } of proof) t.scalar(c).scalar(s);
}

/**
 * §7.3 signed_digest = T("isoloir/ballot/v1", context, u64(L),
 * [alpha_i, beta_i, u64(k_i), c_i0, s_i0, ...], u64(k), c_0, s_0, ...).
 */
export function signedDigest(context, ballot) {
  const t = transcript('isoloir/ballot/v1').digest(context).u64(ballot.choices.length);
  for (const ch of ballot.choices) {
    t.point(ch.alpha).point(ch.beta);
    addMembership(t, ch.proof);
  }
  addMembership(t, ballot.sumProof);
  return t.finish();
}

/** §7.4 tracker = T("isoloir/tracker/v1", signed_digest, signature.c, signature.s). */
export function trackerDigest(digest, signature) {
  return transcript('isoloir/tracker/v1').digest(digest).scalar(signature.c).scalar(signature.s).finish();
}

/** §7.4 the tracker as shown: base64url, 43 characters. */
export function tracker(digest, signature) {
  return toBase64Url(trackerDigest(digest, signature));
}

/**
 * §7.2 encrypt a selection (array of 0/1, length L) with the credential
 * secret sk. Randomness order: r_1, proof_1 (u, v' per branch), r_2, ...,
 * sum proof, signature nonce. Returns the ballot and the values a receipt
 * needs.
 */
export function encryptBallot(params, selection, sk, rng) {
  checkParams(params);
  const { publicKey: y, choices: L, min, max } = params;
  if (!Array.isArray(selection) || selection.length !== L) throw new Error(`selection must have ${L} entries`);
  let total = 0;
  for (const m of selection) {
    if (m !== 0 && m !== 1) throw new Error('each choice is 0 or 1');
    total += m;
  }
  if (total < min || total > max) throw new Error(`between ${min} and ${max} choices must be made`);
  if (sk === 0n) throw new Error('credential secret is zero');

  const credential = baseMul(sk);
  const context = ballotContext(params, credential);
  const choices = [];
  const randomness = [];
  let rSum = 0n;
  for (const m of selection) {
    const r = randomScalar(rng);
    const ct = encrypt(y, m, r);
    const proof = proveMembership(context, y, ct, [0, 1], m, r, rng);
    choices.push({ alpha: ct.alpha, beta: ct.beta, proof });
    randomness.push(r);
    rSum = Fn.add(rSum, r);
  }
  const values = range(min, max);
  const sumCt = sumCiphertexts(choices);
  const sumProof = proveMembership(context, y, sumCt, values, total - min, rSum, rng);
  const ballot = { credential, choices, sumProof, signature: null };
  const digest = signedDigest(context, ballot);
  ballot.signature = proveDlog(signatureContext(digest), sk, credential, rng);
  return {
    ballot,
    context,
    signedDigest: digest,
    tracker: tracker(digest, ballot.signature),
    randomness,
  };
}

/**
 * §7.5 steps 1-4 on a decoded ballot (step 1's strict decoding is done by
 * codec.decodeBallot). Returns { ok: true, signedDigest, tracker } or
 * { ok: false, reason }. Step 5 (credential list, revocation, reuse) is
 * the caller's.
 */
export function verifyBallot(params, ballot) {
  checkParams(params);
  const { publicKey: y, choices: L, min, max } = params;
  if (ballot.choices.length !== L) return { ok: false, reason: `expected ${L} choices` };
  if (ballot.credential.is0()) return { ok: false, reason: 'credential is the identity' };
  const context = ballotContext(params, ballot.credential);
  for (let i = 0; i < L; i++) {
    const ch = ballot.choices[i];
    if (!verifyMembership(context, y, ch, [0, 1], ch.proof)) {
      return { ok: false, reason: `choices[${i}].proof does not verify` };
    }
  }
  const sumCt = sumCiphertexts(ballot.choices);
  if (!verifyMembership(context, y, sumCt, range(min, max), ballot.sumProof)) {
    return { ok: false, reason: 'sum_proof does not verify' };
  }
  const digest = signedDigest(context, ballot);
  if (!verifyDlog(signatureContext(digest), ballot.credential, ballot.signature)) {
    return { ok: false, reason: 'signature does not verify' };
  }
  return { ok: true, context, signedDigest: digest, tracker: tracker(digest, ballot.signature) };
}
