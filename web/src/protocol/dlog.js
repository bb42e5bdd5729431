// §11 Counts from g^m: baby-step giant-step over [0, B].
import { G, IDENTITY, encodePoint, mulPublic } from './group.js';
import { bytesToHex } from './bytes.js';

/** Finds m in [0, bound] with g^m == target, or throws. */
export function discreteLog(target, bound) {
  if (!Number.isSafeInteger(bound) || bound < 0) throw new Error('bound is a non-negative integer');
  const steps = Math.ceil(Math.sqrt(bound + 1));
  const baby = new Map();
  let P = IDENTITY;
  for (let b = 0; b < steps; b++) {
    const key = bytesToHex(encodePoint(P));
    if (!baby.has(key)) baby.set(key, b);
    P = P.add(G);
  }
  const giant = mulPublic(G, BigInt(steps)).negate();
  let Q = target;
  for (let a = 0; a * steps <= bound; a++) {
    const b = baby.get(bytesToHex(encodePoint(Q)));
    if (b !== undefined) {
      const m = a * steps + b;
      if (m <= bound) return m;
    }
    Q = Q.add(giant);
  }
  throw new Error(`no m in [0, ${bound}] with g^m equal to the target`);
}

/** Check of a claimed count: g^m == target. */
export function checkCount(target, m) {
  return mulPublic(G, BigInt(m)).equals(target);
}
