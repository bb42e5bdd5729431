// §3 Hashing: transcripts T(), hash to scalar H2S, random scalars and the
// deterministic stream used by the test vectors.
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes, u32, u64 } from './bytes.js';
import { encodePoint, encodeScalar, reduceWide } from './group.js';

/**
 * §3.1 T(label, item_1, ..., item_k) = SHA-256(LP(label) || LP(item_1) || ...)
 * with LP(x) = u32(len(x)) || x. Items are added with typed methods.
 */
export class Transcript {
  constructor(label) {
    if (!label.startsWith('isoloir/') || !/\/v\d+$/.test(label)) {
      throw new Error(`transcript label ${label} does not follow isoloir/.../vN`);
    }
    this.hash = sha256.create();
    this.#lp(utf8ToBytes(label));
  }
  #lp(bytes) {
    this.hash.update(u32(bytes.length));
    this.hash.update(bytes);
    return this;
  }
  /** A string item: its UTF-8 bytes. */
  string(s) { return this.#lp(utf8ToBytes(s)); }
  /** A u64 item: 8 bytes big-endian. */
  u64(v) { return this.#lp(u64(v)); }
  /** A point item: §2.3 encoding (0x00 for the identity). */
  point(P) { return this.#lp(encodePoint(P)); }
  /** A scalar item: §2.2 encoding. */
  scalar(k) { return this.#lp(encodeScalar(k)); }
  /** A digest item: its 32 bytes. */
  digest(d) {
    if (d.length !== 32) throw new Error('a digest item has 32 bytes');
    return this.#lp(d);
  }
  /** The 32-byte digest. */
  finish() { return this.hash.digest(); }
}

export function transcript(label) {
  return new Transcript(label);
}

/** §3.2 H2S(d) = (SHA-256(d || 0x01) || SHA-256(d || 0x02)) mod n. */
export function hashToScalar(d) {
  if (d.length !== 32) throw new Error('H2S takes a 32-byte digest');
  const lo = sha256(concatBytes(d, new Uint8Array([1])));
  const hi = sha256(concatBytes(d, new Uint8Array([2])));
  return reduceWide(concatBytes(lo, hi));
}

/** §3.3 A random scalar: 64 bytes big-endian mod n, redrawn if 0. */
export function randomScalar(rng) {
  for (;;) {
    const k = reduceWide(rng.bytes(64));
    if (k !== 0n) return k;
  }
}

/**
 * §3.3 deterministic stream: block i = SHA-256(seed || u64(i)), blocks
 * concatenated and consumed in order. For test vectors only.
 */
export class DeterministicStream {
  constructor(seed) {
    this.seed = typeof seed === 'string' ? utf8ToBytes(seed) : Uint8Array.from(seed);
    this.block = 0n;
    this.buffer = new Uint8Array(0);
    this.offset = 0;
  }
  bytes(count) {
    const out = new Uint8Array(count);
    let o = 0;
    while (o < count) {
      if (this.offset === this.buffer.length) {
        this.buffer = sha256(concatBytes(this.seed, u64(this.block)));
        this.block += 1n;
        this.offset = 0;
      }
      const take = Math.min(count - o, this.buffer.length - this.offset);
      out.set(this.buffer.subarray(this.offset, this.offset + take), o);
      o += take;
      this.offset += take;
    }
    return out;
  }
}

/** Real randomness for the browser (Web Crypto getRandomValues). */
export const systemRng = {
  bytes(count) {
    const out = new Uint8Array(count);
    globalThis.crypto.getRandomValues(out);
    return out;
  },
};
