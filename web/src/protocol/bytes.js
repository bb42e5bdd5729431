// Byte helpers shared by the protocol modules: strict base64url (§12),
// hex, concatenation, UTF-8. Encodings only; no cryptographic primitive.
import { bytesToHex, hexToBytes, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export { bytesToHex, hexToBytes, concatBytes, utf8ToBytes };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

/** RFC 4648 §5 base64url without padding. */
export function toBase64Url(bytes) {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63] + ALPHABET[v & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const v = bytes[i] << 16;
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63];
  } else if (rest === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += ALPHABET[v >> 18] + ALPHABET[(v >> 12) & 63] + ALPHABET[(v >> 6) & 63];
  }
  return out;
}

/**
 * Strict base64url decoding (§12): rejects padding, characters outside the
 * alphabet, an impossible length (4k+1) and non-zero trailing bits.
 */
export function fromBase64Url(text) {
  if (typeof text !== 'string') throw new Error('not a string');
  if (text.length % 4 === 1) throw new Error('invalid base64url length');
  const vals = new Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c] : -1;
    if (v < 0) throw new Error(`invalid base64url character at ${i}`);
    vals[i] = v;
  }
  const full = Math.floor(text.length / 4);
  const rest = text.length % 4;
  const out = new Uint8Array(full * 3 + (rest === 0 ? 0 : rest - 1));
  let o = 0;
  for (let q = 0; q < full; q++) {
    const v = (vals[4 * q] << 18) | (vals[4 * q + 1] << 12) | (vals[4 * q + 2] << 6) | vals[4 * q + 3];
    out[o++] = v >> 16; out[o++] = (v >> 8) & 255; out[o++] = v & 255;
  }
  const b = 4 * full;
  if (rest === 2) {
    if (vals[b + 1] & 15) throw new Error('non-zero trailing bits in base64url');
    out[o++] = (vals[b] << 2) | (vals[b + 1] >> 4);
  } else if (rest === 3) {
    if (vals[b + 2] & 3) throw new Error('non-zero trailing bits in base64url');
    const v = (vals[b] << 18) | (vals[b + 1] << 12) | (vals[b + 2] << 6);
    out[o++] = v >> 16; out[o++] = (v >> 8) & 255;
  }
  return out;
}

/** 8-byte big-endian encoding of a non-negative integer below 2^64. */
export function u64(value) {
  const v = BigInt(value);
  if (v < 0n || v >= 1n << 64n) throw new RangeError('u64 out of range');
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v, false);
  return out;
}

/** 4-byte big-endian encoding. */
export function u32(value) {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError('u32 out of range');
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
