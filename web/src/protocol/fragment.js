// A key holder's fragment file v2 (docs/counting.md §3.3) in the browser:
// the share sealed with the holder's passphrase, argon2id (@noble/hashes,
// libsodium's crypto_pwhash parameters) then XChaCha20-Poly1305 (@noble/ciphers).
import { argon2id } from '@noble/hashes/argon2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { toBase64Url, fromBase64Url, utf8ToBytes } from './bytes.js';

export const FRAGMENT_V2 = 'isoloir/fragment/v2';
export const KDF = 'argon2id13';
export const AEAD = 'xchacha20poly1305-ietf';
// libsodium's crypto_pwhash_OPSLIMIT/MEMLIMIT_MODERATE, and the range a reader accepts.
export const MODERATE = { opslimit: 3, memlimit: 268435456 };
const LIMITS = { ops: [2, 4], mem: [67108864, 1073741824] };

export class FragmentError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

function deriveKey(passphrase, salt, opslimit, memlimit) {
  // crypto_pwhash(ALG_ARGON2ID13): version 0x13, parallelism 1, memlimit in bytes.
  return argon2id(utf8ToBytes(passphrase), salt, { t: opslimit, m: memlimit / 1024, p: 1, dkLen: 32 });
}

/** {kdf, aead, ciphertext} sealing `plain` (Uint8Array); `ad` is authenticated. */
export function seal(passphrase, plain, ad, { salt = randomBytes(16), nonce = randomBytes(24), limits = MODERATE } = {}) {
  const key = deriveKey(passphrase, salt, limits.opslimit, limits.memlimit);
  const box = xchacha20poly1305(key, nonce, utf8ToBytes(ad)).encrypt(plain);
  key.fill(0);
  return {
    kdf: { algorithm: KDF, opslimit: limits.opslimit, memlimit: limits.memlimit, salt: toBase64Url(salt) },
    aead: { algorithm: AEAD, nonce: toBase64Url(nonce) },
    ciphertext: toBase64Url(box),
  };
}

/** The plaintext, or a FragmentError ("fragment.passphrase" for a wrong passphrase). */
export function unseal(passphrase, sealed, ad) {
  const { kdf, aead, ciphertext } = sealed;
  if (!kdf || kdf.algorithm !== KDF || !aead || aead.algorithm !== AEAD) {
    throw new FragmentError('fragment.format', 'not a sealed file this version reads');
  }
  const ops = kdf.opslimit;
  const mem = kdf.memlimit;
  if (!Number.isInteger(ops) || !Number.isInteger(mem) || ops < LIMITS.ops[0] || ops > LIMITS.ops[1] ||
      mem < LIMITS.mem[0] || mem > LIMITS.mem[1] || mem % 1024 !== 0) {
    throw new FragmentError('fragment.kdf_limits', "limits outside libsodium's interactive..sensitive range");
  }
  const salt = fromBase64Url(kdf.salt);
  const nonce = fromBase64Url(aead.nonce);
  const box = fromBase64Url(ciphertext);
  if (salt.length !== 16 || nonce.length !== 24 || box.length < 16) {
    throw new FragmentError('fragment.format', 'salt, nonce or ciphertext of the wrong length');
  }
  const key = deriveKey(passphrase, salt, ops, mem);
  try {
    return xchacha20poly1305(key, nonce, utf8ToBytes(ad)).decrypt(box);
  } catch {
    throw new FragmentError('fragment.passphrase', 'wrong passphrase (or the file was altered): nothing was decrypted');
  } finally {
    key.fill(0);
  }
}

/** What the AEAD authenticates of a fragment v2: its public fields, in order. */
export function fragmentAd(f) {
  return [FRAGMENT_V2, f.election, f.fingerprint, String(f.holder), f.member, f.public_key, f.verification_key].join('\n');
}

/** The fragment file v2 (an object to JSON.stringify) for `share` (32 bytes, big-endian). */
export function sealFragment(pub, share, passphrase, options) {
  const head = {
    format: FRAGMENT_V2,
    election: pub.election,
    fingerprint: pub.fingerprint,
    public_key: pub.public_key,
    holder: pub.holder,
    member: pub.member,
    verification_key: pub.verification_key,
  };
  return { ...head, ...seal(passphrase, share, fragmentAd(head), options) };
}

/** The 32-byte share of a fragment file v2 (the caller checks g^share against verification_key). */
export function openFragment(file, passphrase) {
  if (!file || file.format !== FRAGMENT_V2) {
    throw new FragmentError('fragment.format', `not a fragment file (${FRAGMENT_V2})`);
  }
  const share = unseal(passphrase, file, fragmentAd(file));
  if (share.length !== 32) throw new FragmentError('fragment.format', 'the sealed share is not 32 bytes');
  return share;
}
