// Casting (docs/protocol.md §7): from the parameters the portal puts in the
// page, the voter's selection and the signing key kept in the tab, the
// ballot as the canonical JSON text that the portal decodes (§12).
import { hexToBytes } from '../protocol/bytes.js';
import { decodeScalar } from '../protocol/group.js';
import { systemRng } from '../protocol/transcript.js';
import { encryptBallot } from '../protocol/ballot.js';
import { decodePointField, encodeBallot, encodeScalarField, canonicalJson } from '../protocol/codec.js';
import { BoothInputError, SelectionError } from './errors.js';
import { checkElectionId, checkScrutinCode } from './ids.js';

/** The keys of the #ballot-params object, all required, no other. */
export const PARAM_KEYS = ['election_id', 'scrutin', 'fingerprint', 'public_key', 'choices', 'min', 'max', 'selection'];
/** §7.1 bound on the number of choices of a scrutin. */
export const MAX_CHOICES = 100;

const HEX64 = /^[0-9a-f]{64}$/;

function integer(v, field, lo, hi) {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) {
    throw new BoothInputError(field, `expected an integer from ${lo} to ${hi}`);
  }
  return v;
}

/**
 * Checks the parameters object and returns the protocol's view of it
 * ({ election, publicKey, scrutin, choices, min, max }) and the selection.
 * Throws BoothInputError naming the field, or SelectionError when the
 * selection makes fewer than min or more than max choices.
 */
export function readParams(params) {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new BoothInputError('params', 'expected an object');
  }
  for (const k of Object.keys(params)) {
    if (!PARAM_KEYS.includes(k)) throw new BoothInputError(k, 'unknown key');
  }
  for (const k of PARAM_KEYS) {
    if (!Object.prototype.hasOwnProperty.call(params, k)) throw new BoothInputError(k, 'missing');
  }
  checkElectionId(params.election_id);
  const scrutin = checkScrutinCode(params.scrutin);
  if (typeof params.fingerprint !== 'string' || !HEX64.test(params.fingerprint)) {
    throw new BoothInputError('fingerprint', 'expected 64 lowercase hex digits (the election fingerprint E)');
  }
  const election = hexToBytes(params.fingerprint);
  let publicKey;
  try {
    publicKey = decodePointField(params.public_key, 'public_key');
  } catch (e) {
    throw new BoothInputError('public_key', 'expected the base64url §2.3 encoding of a point of P-256 (65 bytes, 0x04 || X || Y)');
  }
  const choices = integer(params.choices, 'choices', 1, MAX_CHOICES);
  const min = integer(params.min, 'min', 0, choices);
  const max = integer(params.max, 'max', min, choices);
  const { selection } = params;
  if (!Array.isArray(selection) || selection.length !== choices) {
    throw new BoothInputError('selection', `expected a list of ${choices} entries`);
  }
  let count = 0;
  selection.forEach((m, i) => {
    if (m !== 0 && m !== 1) throw new BoothInputError(`selection[${i}]`, 'expected 0 or 1');
    count += m;
  });
  if (count < min || count > max) throw new SelectionError(count, min, max);
  return { protocolParams: { election, publicKey, scrutin, choices, min, max }, selection: selection.slice() };
}

/** A stored signing key: 64 lowercase hex digits of a non-zero scalar below n. */
export function readSecret(secretHex) {
  if (typeof secretHex !== 'string' || !HEX64.test(secretHex)) {
    throw new BoothInputError('secret', 'expected 64 lowercase hex digits');
  }
  let sk;
  try {
    sk = decodeScalar(hexToBytes(secretHex));
  } catch {
    throw new BoothInputError('secret', 'not below the group order');
  }
  if (sk === 0n) throw new BoothInputError('secret', 'zero');
  return sk;
}

/**
 * prepareBallot(params, secretHex, rng) -> { ballotJson, tracker }
 *
 * params: the #ballot-params object (PARAM_KEYS). secretHex: sk_S of
 * params.scrutin as prepareLogin returned it. rng: { bytes(count) } ->
 * Uint8Array; the default is crypto.getRandomValues (the browser's; Node
 * 18 has no global crypto, so tests pass their own).
 * ballotJson is the canonical JSON text of the ballot (§12); tracker is
 * its §7.4 tracker, base64url (43 characters).
 */
export function prepareBallot(params, secretHex, rng = systemRng) {
  const { protocolParams, selection } = readParams(params);
  const sk = readSecret(secretHex);
  if (!rng || typeof rng.bytes !== 'function') throw new BoothInputError('rng', 'expected { bytes(count) }');
  const out = encryptBallot(protocolParams, selection, sk, rng);
  return { ballotJson: canonicalJson(encodeBallot(out.ballot)), tracker: out.tracker };
}

/** §7.6 the audit document's format. */
export const AUDIT_FORMAT = 'isoloir/ballot-audit/v1';

/**
 * prepareAudit(params, secretHex, rng) -> { auditJson, tracker }
 *
 * The Benaloh challenge (§7.6): encrypts and signs the selection exactly as
 * prepareBallot does, then reveals it instead of casting it. auditJson is
 * the audit document (election, scrutin, tracker, ballot and the r_i of
 * every choice), indented for people; the ballot is never cast, and the
 * next cast encrypts again with fresh randomness.
 */
export function prepareAudit(params, secretHex, rng = systemRng) {
  const { protocolParams, selection } = readParams(params);
  const sk = readSecret(secretHex);
  if (!rng || typeof rng.bytes !== 'function') throw new BoothInputError('rng', 'expected { bytes(count) }');
  const out = encryptBallot(protocolParams, selection, sk, rng);
  const doc = {
    format: AUDIT_FORMAT,
    election_id: params.election_id,
    scrutin: protocolParams.scrutin,
    tracker: out.tracker,
    ballot: encodeBallot(out.ballot),
    randomness: out.randomness.map(encodeScalarField),
  };
  return { auditJson: JSON.stringify(doc, null, 2), tracker: out.tracker };
}
