// §10 Threshold decryption: partial decryptions, Lagrange coefficients,
// combination.
import { Fn, GROUP_NAME, mul, mulPublic, baseMul } from './group.js';
import { transcript } from './transcript.js';
import { proveDleq, verifyDleq } from './proofs.js';

/** §4 decryption context = T("isoloir/context/decryption/v1", "P-256", E, y, scope, u64(holder)). */
export function decryptionContext({ election, publicKey }, scope, holder) {
  return transcript('isoloir/context/decryption/v1')
    .string(GROUP_NAME)
    .digest(election)
    .point(publicKey)
    .string(scope)
    .u64(holder)
    .finish();
}

/** §10.1 holder j's partial decryption of the tally ciphertexts, one factor per choice. */
export function partialDecrypt(params, scope, holder, share, sums, rng) {
  const ctx = decryptionContext(params, scope, holder);
  const h = baseMul(share);
  const factors = sums.map(({ alpha }) => {
    const factor = mul(alpha, share);
    return { factor, proof: proveDleq(ctx, share, h, alpha, factor, rng) };
  });
  return { holder, factors };
}

/** §10.1 check: every factor has a DLEQ proof log_g h_j = log_alpha_i d_ji. */
export function verifyPartialDecryption(params, scope, verificationKey, sums, partial) {
  if (partial.factors.length !== sums.length) return false;
  const ctx = decryptionContext(params, scope, partial.holder);
  return partial.factors.every(({ factor, proof }, i) =>
    verifyDleq(ctx, verificationKey, sums[i].alpha, factor, proof),
  );
}

/** §10.2 lambda_j = prod_{m in S, m != j} m / (m - j) mod n. */
export function lagrange(set, j) {
  let num = 1n;
  let den = 1n;
  for (const m of set) {
    if (m === j) continue;
    num = Fn.mul(num, Fn.create(BigInt(m)));
    den = Fn.mul(den, Fn.create(BigInt(m) - BigInt(j)));
  }
  return Fn.div(num, den);
}

/**
 * §10.3 combination. partials: decoded partial decryptions in the order
 * received; verificationKeys: holder number -> h_j. Invalid ones are
 * rejected and named; the first t valid are used. Returns
 * { points: [g^m_i], used: [holders], rejected: [holders] }.
 */
export function combine(params, scope, threshold, verificationKeys, sums, partials) {
  const valid = [];
  const rejected = [];
  for (const pd of partials) {
    // Unknown and repeated holders are not covered by §10.3; like the C++
    // implementation, they stop the combination.
    const h = verificationKeys.get(pd.holder);
    if (!h) throw new Error(`unknown key holder ${pd.holder}`);
    if (valid.some((v) => v.holder === pd.holder)) throw new Error(`key holder ${pd.holder} decrypted twice`);
    if (verifyPartialDecryption(params, scope, h, sums, pd)) valid.push(pd);
    else rejected.push(pd.holder);
  }
  if (valid.length < threshold) throw new Error(`only ${valid.length} valid partial decryptions, ${threshold} needed`);
  const chosen = valid.slice(0, threshold);
  const set = chosen.map((pd) => pd.holder);
  const lambdas = set.map((j) => lagrange(set, j));
  const points = sums.map(({ beta }, i) => {
    let denom = null;
    chosen.forEach((pd, k) => {
      const term = mulPublic(pd.factors[i].factor, lambdas[k]);
      denom = denom ? denom.add(term) : term;
    });
    return beta.subtract(denom);
  });
  return { points, used: set, rejected };
}
