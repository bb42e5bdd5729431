// "Nobody voted in my name" (docs/verification.md §3): from the security key
// typed in the page, the digest of each scrutin's public credential and the
// 16-bit prefix the page asks the portal about. The key and the digests stay
// in the tab; only the prefixes travel.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../protocol/bytes.js';
import { encodePoint } from '../protocol/group.js';
import { normaliseKey, signingSecret, publicCredential } from '../protocol/credential.js';
import { BoothInputError } from '../booth/errors.js';
import { checkElectionId, checkScrutinCode } from '../booth/ids.js';

/** Hex digits of the prefix asked for (portal/credential_check.h). */
export const PREFIX_DIGITS = 4;

/**
 * credentialDigests(keyText, electionId, scrutins) ->
 *   { [scrutin]: { digest: 64 lowercase hex, prefix: its first 4 digits } }
 *
 * digest = SHA-256 of the §2.3 encoding of g^(sk_S) (§8.3). Throws
 * InvalidKeyError when the key does not normalise (§8.1), BoothInputError
 * for a malformed election id or scrutin list.
 */
export function credentialDigests(keyText, electionId, scrutins) {
  checkElectionId(electionId);
  if (!Array.isArray(scrutins) || scrutins.length === 0) {
    throw new BoothInputError('scrutins', 'expected a non-empty list of scrutin codes');
  }
  scrutins.forEach((s, i) => checkScrutinCode(s, `scrutins[${i}]`));
  const key = normaliseKey(keyText);
  return Object.fromEntries(scrutins.map((s) => {
    const digest = bytesToHex(sha256(encodePoint(publicCredential(signingSecret(electionId, s, key)))));
    return [s, { digest, prefix: digest.slice(0, PREFIX_DIGITS) }];
  }));
}
