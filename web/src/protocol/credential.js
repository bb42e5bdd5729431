// §8 Voter credentials: security key, login token and verifier, per-scrutin
// signing key.
import { baseMul } from './group.js';
import { transcript, hashToScalar } from './transcript.js';

/** §8.1 Crockford's base-32 alphabet. */
export const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const KEY_LENGTH = 20;

/** §8.1 generation: 20 random bytes, alphabet[b mod 32] each. */
export function generateKey(rng) {
  const bytes = rng.bytes(KEY_LENGTH);
  let key = '';
  for (const b of bytes) key += KEY_ALPHABET[b % 32];
  return key;
}

/** §8.1 printed form: four groups of five separated by hyphens. */
export function formatKey(key) {
  return key.match(/.{5}/g).join('-');
}

/**
 * A typed security key that §8.1 normalisation refuses. `reason` is
 * 'length' (not 20 characters once spaces, tabs and hyphens are dropped)
 * or 'character' (a character outside the alphabet).
 */
export class InvalidKeyError extends Error {
  constructor(reason, message) {
    super(message);
    this.name = 'InvalidKeyError';
    this.reason = reason;
  }
}

/**
 * §8.1 normalisation of what a person types: drop spaces, tabs and hyphens;
 * upper-case; O -> 0, I and L -> 1; then exactly 20 characters of the
 * alphabet, else an error.
 */
export function normaliseKey(typed) {
  if (typeof typed !== 'string') throw new TypeError('a security key is a string');
  // Upper-casing is ASCII only: a Unicode toUpperCase() would turn the
  // dotless i (U+0131) into I and so into 1, and 'ß' into 'SS'.
  let s = typed.replace(/[ \t-]/g, '').replace(/[a-z]/g, (c) => c.toUpperCase());
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== KEY_LENGTH) throw new InvalidKeyError('length', `a security key has ${KEY_LENGTH} characters`);
  for (const ch of s) {
    if (!KEY_ALPHABET.includes(ch)) {
      throw new InvalidKeyError('character', `character ${JSON.stringify(ch)} is not in the key alphabet`);
    }
  }
  return s;
}

/** §8.2 token = T("isoloir/credential/login/v1", election_id, key). */
export function loginToken(electionId, key) {
  return transcript('isoloir/credential/login/v1').string(electionId).string(key).finish();
}

/** §8.2 verifier = T("isoloir/credential/login-verifier/v1", token). */
export function loginVerifier(token) {
  return transcript('isoloir/credential/login-verifier/v1').digest(token).finish();
}

/** §8.3 sk_S = H2S(T("isoloir/credential/signing/v1", election_id, S, key)). */
export function signingSecret(electionId, scrutin, key) {
  return hashToScalar(
    transcript('isoloir/credential/signing/v1').string(electionId).string(scrutin).string(key).finish(),
  );
}

/** §8.3 public credential g^(sk_S). */
export function publicCredential(secret) {
  return baseMul(secret);
}
