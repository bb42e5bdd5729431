// §9 Key ceremony (Pedersen DKG with Feldman commitments): contexts,
// transport keys, dealings, share checks, public and verification keys.
// The share boxes use ChaCha20-Poly1305, which this package does not
// bundle: functions that seal or open a box take an `aead` object
// { seal(key, nonce, plaintext, ad), open(key, nonce, box, ad) }.
import { Fn, GROUP_NAME, IDENTITY, baseMul, mul, mulPublic, encodeScalar, decodeScalar } from './group.js';
import { transcript, randomScalar } from './transcript.js';
import { proveDlog, verifyDlog, verifyDleq } from './proofs.js';

export const STAGES = ['transport', 'dealing', 'share', 'complaint'];

/** §4 DKG context = T("isoloir/context/dkg/v1", "P-256", E, u64(N), u64(t), stage, u64(holder)). */
export function dkgContext({ election, holders, threshold }, stage, holder) {
  if (!STAGES.includes(stage)) throw new Error(`unknown DKG stage ${stage}`);
  return transcript('isoloir/context/dkg/v1')
    .string(GROUP_NAME)
    .digest(election)
    .u64(holders)
    .u64(threshold)
    .string(stage)
    .u64(holder)
    .finish();
}

/** §9.1 holder j draws e_j and proves knowledge of it. */
export function makeTransportKey(params, holder, rng) {
  const secret = randomScalar(rng);
  const transportKey = baseMul(secret);
  const proof = proveDlog(dkgContext(params, 'transport', holder), secret, transportKey, rng);
  return { secret, announcement: { holder, transportKey, proof } };
}

/** §9.1 check of a transport key announcement. */
export function verifyTransportKey(params, { holder, transportKey, proof }) {
  if (!Number.isInteger(holder) || holder < 1 || holder > params.holders) return false;
  if (transportKey.is0()) return false;
  return verifyDlog(dkgContext(params, 'transport', holder), transportKey, proof);
}

/** f(j) = sum_k a_k · j^k mod n. */
function evalPoly(coefficients, j) {
  let acc = 0n;
  const x = BigInt(j);
  for (let k = coefficients.length - 1; k >= 0; k--) acc = Fn.add(Fn.mul(acc, x), coefficients[k]);
  return acc;
}

/** prod_k C_k^(j^k): the Feldman commitment to f(j). */
export function committedShare(commitments, j) {
  let acc = IDENTITY;
  let power = 1n;
  for (const C of commitments) {
    acc = acc.add(mulPublic(C, power));
    power = Fn.mul(power, BigInt(j));
  }
  return acc;
}

function shareKey(ctx, j, R, K) {
  return transcript('isoloir/dkg/share-key/v1').digest(ctx).u64(j).point(R).point(K).finish();
}

function shareAd(ctx, j, R, commitments) {
  const t = transcript('isoloir/dkg/share-ad/v1').digest(ctx).u64(j).point(R);
  for (const C of commitments) t.point(C);
  return t.finish();
}

const ZERO_NONCE = new Uint8Array(12);

/**
 * §9.2 dealer i's dealing. Randomness: a_{i,0..t-1}, the proof nonce, then
 * k_ij for j = 1..N. Returns the public dealing and the shares (for tests).
 */
export function makeDealing(params, dealer, transportKeys, rng, aead) {
  const { holders: N, threshold: t } = params;
  const coefficients = [];
  for (let k = 0; k < t; k++) coefficients.push(randomScalar(rng));
  const commitments = coefficients.map((a) => baseMul(a));
  const proof = proveDlog(dkgContext(params, 'dealing', dealer), coefficients[0], commitments[0], rng);
  const ctx = dkgContext(params, 'share', dealer);
  const shares = [];
  const secrets = [];
  for (let j = 1; j <= N; j++) {
    const s = evalPoly(coefficients, j);
    const kij = randomScalar(rng);
    const R = baseMul(kij);
    const K = mul(transportKeys[j - 1], kij);
    const box = aead.seal(shareKey(ctx, j, R, K), ZERO_NONCE, encodeScalar(s), shareAd(ctx, j, R, commitments));
    shares.push({ recipient: j, ephemeral: R, box });
    secrets.push(s);
  }
  return { dealing: { dealer, commitments, proof, shares }, shares: secrets };
}

/** §9.2 well-formedness of a (decoded) dealing. Returns null or a reason. */
export function dealingProblem(params, { dealer, commitments, proof, shares }) {
  const { holders: N, threshold: t } = params;
  if (!Number.isInteger(dealer) || dealer < 1 || dealer > N) return 'dealer out of range';
  if (commitments.length !== t) return `expected ${t} commitments`;
  if (shares.length !== N) return `expected ${N} shares`;
  for (let j = 0; j < N; j++) {
    if (shares[j].recipient !== j + 1) return `shares[${j}] is not for holder ${j + 1}`;
    if (shares[j].box.length !== 48) return `shares[${j}].box is not 48 bytes`;
  }
  if (commitments[0].is0()) return 'C_0 is the identity';
  if (!verifyDlog(dkgContext(params, 'dealing', dealer), commitments[0], proof)) return 'proof does not verify';
  return null;
}

/**
 * §9.3 holder j opens its share of a dealing with K (= R^e_j, or the K of a
 * complaint) and checks it against the commitments. Returns the share or
 * null (box does not open, share does not decode, equation fails).
 */
export function openShareWithKey(params, dealing, j, K, aead) {
  const { ephemeral: R, box } = dealing.shares[j - 1];
  const ctx = dkgContext(params, 'share', dealing.dealer);
  const plain = aead.open(shareKey(ctx, j, R, K), ZERO_NONCE, box, shareAd(ctx, j, R, dealing.commitments));
  if (!plain) return null;
  let s;
  try {
    s = decodeScalar(plain);
  } catch {
    return null;
  }
  return baseMul(s).equals(committedShare(dealing.commitments, j)) ? s : null;
}

export function openShare(params, dealing, j, transportSecret, aead) {
  return openShareWithKey(params, dealing, j, mul(dealing.shares[j - 1].ephemeral, transportSecret), aead);
}

/** §9.4 the proof of a complaint: log_g E_j == log_R K, stage complaint, holder j. */
export function verifyComplaintProof(params, { dealer, accuser, sharedKey, proof }, dealing, transportKey) {
  if (dealer !== dealing.dealer) return false;
  const R = dealing.shares[accuser - 1].ephemeral;
  return verifyDleq(dkgContext(params, 'complaint', accuser), transportKey, R, sharedKey, proof);
}

/** §9.5 y = prod_{i in Q} C_{i,0}. */
export function publicKey(qualified) {
  return qualified.reduce((acc, d) => acc.add(d.commitments[0]), IDENTITY);
}

/** §9.5 h_j = prod_{i in Q} prod_k C_{i,k}^(j^k). */
export function verificationKey(qualified, j) {
  return qualified.reduce((acc, d) => acc.add(committedShare(d.commitments, j)), IDENTITY);
}
