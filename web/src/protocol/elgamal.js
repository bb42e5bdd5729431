// §5 Exponential ElGamal.
import { G, IDENTITY, baseMul, mul, mulPublic } from './group.js';

/** Enc(m; r) = (g^r, g^m · y^r). */
export function encrypt(y, m, r) {
  const alpha = baseMul(r);
  const beta = baseMul(BigInt(m)).add(mul(y, r));
  return { alpha, beta };
}

/** Component-wise product: Enc(a; r)·Enc(b; s) = Enc(a+b; r+s). */
export function addCiphertexts(a, b) {
  return { alpha: a.alpha.add(b.alpha), beta: a.beta.add(b.beta) };
}

/** Product of a list of ciphertexts; the identity pair for an empty list. */
export function sumCiphertexts(list) {
  return list.reduce(addCiphertexts, { alpha: IDENTITY, beta: IDENTITY });
}

/** g^m = beta / alpha^x (single-key decryption, for tests). */
export function decryptToPoint(ct, x) {
  return ct.beta.subtract(mulPublic(ct.alpha, x));
}

export { G };
