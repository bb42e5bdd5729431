// A BVE member's signature in the page (docs/seal.md "In the browser"): checks
// that the fragment file v2 is this election's and the logged-in member's,
// opens it with the passphrase, and signs (protocol §13). The share stays here.
import { openFragment, FragmentError, FRAGMENT_V2 } from '../protocol/fragment.js';
import { signAsMember } from '../protocol/member_signature.js';
import { baseMul, decodeScalar } from '../protocol/group.js';
import { hexToBytes } from '../protocol/bytes.js';
import { systemRng } from '../protocol/transcript.js';
import * as codec from '../protocol/codec.js';

/** code: "file", "election" (values.field), "member" (values.member), "passphrase", "key". */
export class SignError extends Error {
  constructor(code, values = {}) {
    super(`${code} ${JSON.stringify(values)}`);
    this.code = code;
    this.values = values;
  }
}

/**
 * page: {election, fingerprint (hex), publicKey, member, keys: [h_1...] (base64url)};
 * fragmentText: the fragment file's text. Returns the member-signature file (an object).
 */
export function signWithFragment(page, fragmentText, passphrase, purpose, digestHex, rng = systemRng) {
  let f;
  try {
    f = JSON.parse(fragmentText);
  } catch {
    throw new SignError('file');
  }
  if (!f || f.format !== FRAGMENT_V2 || !Number.isInteger(f.holder)) throw new SignError('file');
  const { holder } = f;
  const pub = { election: f.election, fingerprint: f.fingerprint, holder, member: f.member, verification_key: f.verification_key };
  if (f.election !== page.election) throw new SignError('election', { field: 'election' });
  if (f.fingerprint !== page.fingerprint) throw new SignError('election', { field: 'fingerprint' });
  if (f.public_key !== page.publicKey) throw new SignError('election', { field: 'public_key' });
  if (holder < 1 || holder > page.keys.length || f.verification_key !== page.keys[holder - 1]) {
    throw new SignError('election', { field: 'verification_key' });
  }
  if (f.member !== page.member) throw new SignError('member', { member: String(f.member), me: page.member });
  let share;
  try {
    share = openFragment(f, passphrase);
  } catch (e) {
    if (e instanceof FragmentError && e.code === 'fragment.passphrase') throw new SignError('passphrase');
    throw new SignError('file');
  }
  const x = decodeScalar(share);
  share.fill(0);
  if (codec.encodePointField(baseMul(x)) !== f.verification_key) throw new SignError('key');
  return signAsMember(pub, x, purpose, hexToBytes(digestHex), rng);
}
