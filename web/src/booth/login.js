// Login (docs/protocol.md §8): from the security key the voter typed, the
// login token sent to the portal and the per-scrutin signing keys kept in
// the tab. The key itself never leaves this function.
import { bytesToHex } from '../protocol/bytes.js';
import { encodeScalar } from '../protocol/group.js';
import { normaliseKey, loginToken, signingSecret } from '../protocol/credential.js';
import { BoothInputError } from './errors.js';
import { checkElectionId, checkScrutinCode } from './ids.js';

/**
 * prepareLogin(keyText, electionId, scrutins) ->
 *   { token: 64 lowercase hex (§8.2), secrets: { [scrutin]: 64 lowercase hex (§8.3) } }
 *
 * Throws InvalidKeyError (reason 'length' or 'character') when keyText
 * does not normalise (§8.1); BoothInputError for a malformed election id
 * or scrutin list (a page error, not the voter's).
 */
export function prepareLogin(keyText, electionId, scrutins) {
  checkElectionId(electionId);
  if (!Array.isArray(scrutins) || scrutins.length === 0) {
    throw new BoothInputError('scrutins', 'expected a non-empty list of scrutin codes');
  }
  scrutins.forEach((s, i) => checkScrutinCode(s, `scrutins[${i}]`));
  if (new Set(scrutins).size !== scrutins.length) throw new BoothInputError('scrutins', 'a scrutin code appears twice');

  const key = normaliseKey(keyText);
  const token = bytesToHex(loginToken(electionId, key));
  const secrets = Object.fromEntries(
    scrutins.map((s) => [s, bytesToHex(encodeScalar(signingSecret(electionId, s, key)))]),
  );
  return { token, secrets };
}
