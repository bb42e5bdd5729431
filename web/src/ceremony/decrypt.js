// A key holder's partial decryption in the browser (docs/counting.md §5):
// what `isoloir key-holder decrypt` does, from the tally file and the
// holder's fragment file v2 (opened with their passphrase), to a partial
// decryption file isoloir/partial/v1 that `tally combine` checks like any.
import { sha256 } from '@noble/hashes/sha2.js';
import { baseMul, decodeScalar } from '../protocol/group.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '../protocol/bytes.js';
import { systemRng } from '../protocol/transcript.js';
import { partialDecrypt } from '../protocol/threshold.js';
import * as codec from '../protocol/codec.js';
import { openFragment, FragmentError } from '../protocol/fragment.js';

export const TALLY_FORMAT = 'isoloir/tally/v1';
export const PARTIAL_FORMAT = 'isoloir/partial/v1';

const text = (v, path) => {
  if (typeof v !== 'string') throw new FragmentError('count.tally', `${path}: expected a string`);
  return v;
};

/**
 * tallyText: the tally file's text; fragment: the fragment file v2 (parsed);
 * returns { file (the partial decryption file, an object), scrutins: [{scrutin, ballots, emargements}] }.
 * Errors name the tally's field that does not match the fragment.
 */
export function decryptTally(tallyText, fragment, passphrase, rng = systemRng) {
  const tally = codec.parseJson(tallyText);
  if (!tally || tally.format !== TALLY_FORMAT) throw new FragmentError('count.tally', `not a tally file (${TALLY_FORMAT})`);
  const j = fragment.holder;
  const mismatch = (field, why) => new FragmentError('count.tally_mismatch', `${field}: ${why}`);
  if (text(tally.election, 'election') !== fragment.election) throw mismatch('election', 'not the election of the fragment');
  if (text(tally.fingerprint, 'fingerprint') !== fragment.fingerprint) throw mismatch('fingerprint', 'not the fingerprint of the fragment (the election file changed?)');
  if (text(tally.public_key, 'public_key') !== fragment.public_key) throw mismatch('public_key', "not the election key of the fragment's key ceremony");
  const keys = tally.verification_keys;
  if (!Array.isArray(keys) || keys[j - 1] !== fragment.verification_key) {
    throw mismatch(`verification_keys[${j - 1}]`, `not the verification key of fragment ${j}`);
  }
  const x = decodeScalar(openFragment(fragment, passphrase));
  if (codec.encodePointField(baseMul(x)) !== fragment.verification_key) {
    throw new FragmentError('count.fragment_share', 'the decrypted share does not match the verification_key: the file is damaged');
  }
  const params = { election: hexToBytes(tally.fingerprint), publicKey: codec.decodePointField(tally.public_key, 'public_key') };
  const scrutins = [];
  const summary = [];
  for (const [i, s] of tally.scrutins.entries()) {
    const path = `scrutins[${i}]`;
    const sums = s.tally.map((c, k) => codec.decodeCiphertext(c, `${path}.tally[${k}]`, { allowIdentity: true }));
    const pd = partialDecrypt(params, text(s.scrutin, `${path}.scrutin`), j, x, sums, rng);
    scrutins.push({ scrutin: s.scrutin, partial_decryption: codec.encodePartialDecryption(pd) });
    summary.push({ scrutin: s.scrutin, ballots: codec.decodeInt(s.ballots, `${path}.ballots`), emargements: codec.decodeInt(s.emargements, `${path}.emargements`) });
  }
  const file = {
    format: PARTIAL_FORMAT,
    election: tally.election,
    fingerprint: tally.fingerprint,
    tally_digest: bytesToHex(sha256(utf8ToBytes(codec.canonicalJson(tally)))),
    holder: j,
    scrutins,
  };
  return { file, scrutins: summary };
}
