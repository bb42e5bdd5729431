// §6 Non-interactive proofs (strong Fiat-Shamir), compact form (c, s).
import { Fn, G, baseMul, mul, mulPublic, baseMulAddPublic } from './group.js';
import { transcript, hashToScalar, randomScalar } from './transcript.js';

export const DLOG_LABEL = 'isoloir/proof/dlog/v1';
export const DLEQ_LABEL = 'isoloir/proof/dleq/v1';
export const MEMBERSHIP_LABEL = 'isoloir/proof/membership/v1';

function dlogChallenge(context, X, A) {
  return hashToScalar(transcript(DLOG_LABEL).digest(context).point(X).point(A).finish());
}

/** §6.2 Schnorr proof of x with X = g^x. Draws w. */
export function proveDlog(context, x, X, rng) {
  const w = randomScalar(rng);
  const A = baseMul(w);
  const c = dlogChallenge(context, X, A);
  const s = Fn.add(w, Fn.mul(c, x));
  return { c, s };
}

/** §6.2 verification: A' = g^s · X^(-c); c == H2S(T(..., X, A')). */
export function verifyDlog(context, X, proof) {
  const A = baseMulAddPublic(proof.s, X, Fn.neg(proof.c));
  return dlogChallenge(context, X, A) === proof.c;
}

function dleqChallenge(context, X, H, Y, A, B) {
  return hashToScalar(
    transcript(DLEQ_LABEL).digest(context).point(X).point(H).point(Y).point(A).point(B).finish(),
  );
}

/** §6.3 Chaum-Pedersen proof that log_g X == log_H Y (= x). Draws w. */
export function proveDleq(context, x, X, H, Y, rng) {
  const w = randomScalar(rng);
  const A = baseMul(w);
  const B = mul(H, w);
  const c = dleqChallenge(context, X, H, Y, A, B);
  return { c, s: Fn.add(w, Fn.mul(c, x)) };
}

/** §6.3 verification. */
export function verifyDleq(context, X, H, Y, proof) {
  const negc = Fn.neg(proof.c);
  const A = baseMulAddPublic(proof.s, X, negc);
  const B = mulPublic(H, proof.s).add(mulPublic(Y, negc));
  return dleqChallenge(context, X, H, Y, A, B) === proof.c;
}

function membershipChallenge(context, y, ct, values, commitments) {
  const t = transcript(MEMBERSHIP_LABEL).digest(context).point(y).point(ct.alpha).point(ct.beta);
  t.u64(values.length);
  for (const v of values) t.u64(v);
  for (const { A, B } of commitments) t.point(A).point(B);
  return hashToScalar(t.finish());
}

function checkValues(values) {
  if (values.length === 0) throw new Error('empty value list');
  for (let j = 0; j < values.length; j++) {
    if (!Number.isSafeInteger(values[j]) || values[j] < 0) throw new Error('values are non-negative integers');
    if (j > 0 && values[j] <= values[j - 1]) throw new Error('values must increase');
  }
}

/**
 * §6.4 disjunctive (CDS) proof that ct = Enc(values[index]; r) under y.
 * For every j in order draws u_j then v'_j; every branch is computed the
 * same way; the true branch is chosen at the end.
 */
export function proveMembership(context, y, ct, values, index, r, rng) {
  checkValues(values);
  const k = values.length;
  if (!Number.isInteger(index) || index < 0 || index >= k) throw new Error('index out of range');
  const u = new Array(k);
  const vp = new Array(k);
  const commitments = new Array(k);
  for (let j = 0; j < k; j++) {
    u[j] = randomScalar(rng);
    vp[j] = randomScalar(rng);
    const betaJ = ct.beta.subtract(baseMul(BigInt(values[j])));
    commitments[j] = {
      A: baseMul(u[j]).add(mul(ct.alpha, vp[j])),
      B: mul(y, u[j]).add(mul(betaJ, vp[j])),
    };
  }
  const c = membershipChallenge(context, y, ct, values, commitments);
  let V = 0n;
  for (let j = 0; j < k; j++) V = Fn.add(V, vp[j]);
  const cV = Fn.add(c, V);
  const trueC = Fn.sub(cV, vp[index]);
  const trueS = Fn.add(u[index], Fn.mul(cV, r));
  const proof = new Array(k);
  for (let j = 0; j < k; j++) {
    // The spec asks for a constant-time select; JavaScript BigInt gives no
    // such guarantee, so both candidates are computed for every branch.
    const simC = Fn.neg(vp[j]);
    const simS = u[j];
    proof[j] = j === index ? { c: trueC, s: trueS } : { c: simC, s: simS };
  }
  return proof;
}

/** §6.4 verification: lengths k, sum of c_j == H2S(T(...)) on recomputed commitments. */
export function verifyMembership(context, y, ct, values, proof) {
  checkValues(values);
  if (!Array.isArray(proof) || proof.length !== values.length) return false;
  const commitments = new Array(values.length);
  let sum = 0n;
  for (let j = 0; j < values.length; j++) {
    const { c, s } = proof[j];
    const negc = Fn.neg(c);
    const betaJ = ct.beta.subtract(mulPublic(G, BigInt(values[j])));
    commitments[j] = {
      A: baseMulAddPublic(s, ct.alpha, negc),
      B: mulPublic(y, s).add(mulPublic(betaJ, negc)),
    };
    sum = Fn.add(sum, c);
  }
  return membershipChallenge(context, y, ct, values, commitments) === sum;
}
