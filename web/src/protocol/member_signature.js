// §13 A BVE member's signature with their key-ceremony fragment: a Schnorr
// proof of knowledge of x_j (§6.2) bound to E, a purpose and a digest; the
// file isoloir/member-signature/v1 (docs/seal.md). Pure; mirrors src/seal/member_signature.h.
import { transcript } from './transcript.js';
import { proveDlog, verifyDlog } from './proofs.js';
import { bytesToHex, hexToBytes } from './bytes.js';
import * as codec from './codec.js';

export const MEMBER_SIGNATURE_FORMAT = 'isoloir/member-signature/v1';
export const MEMBER_SIGNATURE_LABEL = 'isoloir/context/member-signature/v1';
export const PURPOSES = ['seal', 'pv'];

/** T("isoloir/context/member-signature/v1", "P-256", E, purpose, digest, u64(holder)). */
export function memberSignatureContext(fingerprint, purpose, digest, holder) {
  return transcript(MEMBER_SIGNATURE_LABEL)
    .string('P-256').digest(fingerprint).string(purpose).digest(digest).u64(holder).finish();
}

function checkPurpose(purpose) {
  if (!PURPOSES.includes(purpose)) throw new Error(`purpose "${purpose}" is neither "seal" nor "pv"`);
}

/**
 * The signature file (an object to JSON.stringify) of `digest` (32 bytes) for
 * `purpose`, by the holder of `fragment` (its public fields, as in the
 * fragment file) whose share is `x` (a scalar, g^x == verification_key).
 */
export function signAsMember(fragment, x, purpose, digest, rng) {
  checkPurpose(purpose);
  const fingerprint = hexToBytes(fragment.fingerprint);
  const h = codec.decodePointField(fragment.verification_key, 'verification_key');
  const proof = proveDlog(memberSignatureContext(fingerprint, purpose, digest, fragment.holder), x, h, rng);
  return {
    format: MEMBER_SIGNATURE_FORMAT,
    election: fragment.election,
    fingerprint: fragment.fingerprint,
    purpose,
    digest: bytesToHex(digest),
    holder: fragment.holder,
    member: fragment.member,
    signature: codec.encodeProof(proof),
  };
}

/** Does the signature file's proof verify against h_j (a point)? */
export function verifyMemberSignature(file, verificationKey) {
  checkPurpose(file.purpose);
  const context = memberSignatureContext(hexToBytes(file.fingerprint), file.purpose,
    hexToBytes(file.digest), file.holder);
  return verifyDlog(context, verificationKey, codec.decodeProof(file.signature, 'signature'));
}
