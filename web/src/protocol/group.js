// §2 The group: NIST P-256, strict scalar and point encodings.
// Group arithmetic is @noble/curves'; this module only adds the encodings
// and the strictness rules of the specification.
import { weierstrassN } from '@noble/curves/abstract/weierstrass.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';

// §2.1 P-256 (SEC 2 secp256r1). noble's nist.js would give the same Point
// but also builds P-384 and P-521 with ECDSA and SHA-512 on load, which
// the booth bundle would then carry; the protocol needs only the group.
export const Point = weierstrassN({
  p: BigInt('0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff'),
  n: BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551'),
  h: BigInt(1),
  a: BigInt('0xffffffff00000001000000000000000000000000fffffffffffffffffffffffc'),
  b: BigInt('0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b'),
  Gx: BigInt('0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296'),
  Gy: BigInt('0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'),
});
/** Scalar field Z_n (noble's Fn: add, sub, mul, neg, inv, all mod n). */
export const Fn = Point.Fn;
/** §2.1 group order n. */
export const n = Point.CURVE().n;
/** Base field prime p. */
export const p = Point.CURVE().p;
/** §2.1 generator and identity. */
export const G = Point.BASE;
export const IDENTITY = Point.ZERO;
/** §2.1 group name used in hashes. */
export const GROUP_NAME = 'P-256';

export const SCALAR_BYTES = 32;
export const POINT_BYTES = 65;

/** §2.2 encoding: 32 bytes big-endian. */
export function encodeScalar(k) {
  if (typeof k !== 'bigint' || k < 0n || k >= n) throw new RangeError('scalar out of range');
  return numberToBytesBE(k, SCALAR_BYTES);
}

/** §2.2 strict decoding: exactly 32 bytes, value < n, no reduction. */
export function decodeScalar(bytes) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_BYTES) {
    throw new Error('the bytes do not encode a scalar: length is not 32');
  }
  const k = bytesToNumberBE(bytes);
  if (k >= n) throw new Error('the bytes do not encode a scalar: value is not below n');
  return k;
}

/** Reduction of an arbitrary big-endian byte string mod n (§3.2, §3.3). */
export function reduceWide(bytes) {
  return Fn.create(bytesToNumberBE(bytes));
}

/** §2.3 encoding: 65-byte uncompressed SEC1, or 0x00 for the identity. */
export function encodePoint(P) {
  if (P.is0()) return new Uint8Array([0]);
  return P.toBytes(false);
}

/**
 * §2.3 strict decoding. Rejects any length but 65 (1 for an allowed
 * identity), a first byte other than 0x04, X >= p or Y >= p and points not
 * on the curve. The identity 0x00 is accepted only with allowIdentity.
 */
export function decodePoint(bytes, { allowIdentity = false } = {}) {
  const bad = (why) => new Error(`the bytes do not encode a point of P-256: ${why}`);
  if (!(bytes instanceof Uint8Array)) throw bad('not bytes');
  if (bytes.length === 1) {
    if (bytes[0] === 0 && allowIdentity) return IDENTITY;
    throw bad(bytes[0] === 0 ? 'the identity is not allowed here' : 'length 1');
  }
  if (bytes.length !== POINT_BYTES) throw bad(`length ${bytes.length}`);
  if (bytes[0] !== 0x04) throw bad(`first byte 0x${bytes[0].toString(16).padStart(2, '0')}`);
  const x = bytesToNumberBE(bytes.subarray(1, 33));
  const y = bytesToNumberBE(bytes.subarray(33, 65));
  if (x >= p || y >= p) throw bad('coordinate not below p');
  const P = Point.fromAffine({ x, y });
  try {
    P.assertValidity(); // curve equation (cofactor 1: no subgroup check needed)
  } catch {
    throw bad('not on the curve');
  }
  return P;
}

// Scalar multiplications. noble's multiply() refuses 0, which the protocol
// can meet (e.g. a simulated challenge), so 0 is mapped to the identity.

/** Constant-time g^k for secret k. */
export function baseMul(k) {
  return k === 0n ? IDENTITY : G.multiply(k);
}

/** Constant-time P^k for secret k. */
export function mul(P, k) {
  return k === 0n || P.is0() ? IDENTITY : P.multiply(k);
}

/** Variable-time P^k for public values (verification). */
export function mulPublic(P, k) {
  return P.multiplyUnsafe(k);
}

/** Variable-time g^a · P^b for public values (verification). */
export function baseMulAddPublic(a, P, b) {
  return G.multiplyUnsafe(a).add(P.multiplyUnsafe(b));
}
