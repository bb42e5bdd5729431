// A key holder's side of the key ceremony by relay, in the browser
// (docs/counting.md §3.1): the same steps as `isoloir key-holder ceremony`,
// over the portal's JSON API, ending with a fragment file v2. DOM-free: the
// page (main.js) gives fetch, a progress callback and the passphrase.
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { Fn, baseMul, mul, encodeScalar } from '../protocol/group.js';
import { hexToBytes, toBase64Url } from '../protocol/bytes.js';
import { systemRng } from '../protocol/transcript.js';
import { proveDleq } from '../protocol/proofs.js';
import * as dkg from '../protocol/dkg.js';
import * as codec from '../protocol/codec.js';
import { sealFragment } from '../protocol/fragment.js';

/** ChaCha20-Poly1305 (IETF) for the share boxes (protocol §9.2). */
export const aead = {
  seal: (key, nonce, plaintext, ad) => chacha20poly1305(key, nonce, ad).encrypt(plaintext),
  open(key, nonce, box, ad) {
    try {
      return chacha20poly1305(key, nonce, ad).decrypt(box);
    } catch {
      return null;
    }
  },
};

/** §9.4 holder j reveals K = R^e_j for one dealing, with its DLEQ proof. */
export function makeComplaint(params, dealing, accuser, transportSecret, rng) {
  const R = dealing.shares[accuser - 1].ephemeral;
  const sharedKey = mul(R, transportSecret);
  const proof = proveDleq(dkg.dkgContext(params, 'complaint', accuser), transportSecret,
    baseMul(transportSecret), R, sharedKey, rng);
  return { dealer: dealing.dealer, accuser, sharedKey, proof };
}

export const encodeTransportKey = ({ holder, transportKey, proof }) =>
  ({ holder, transport_key: codec.encodePointField(transportKey), proof: codec.encodeProof(proof) });
export const encodeDealing = ({ dealer, commitments, proof, shares }) => ({
  dealer,
  commitments: commitments.map(codec.encodePointField),
  proof: codec.encodeProof(proof),
  shares: shares.map(({ recipient, ephemeral, box }) =>
    ({ recipient, ephemeral: codec.encodePointField(ephemeral), box: toBase64Url(box) })),
});
export const encodeComplaint = ({ dealer, accuser, sharedKey, proof }) =>
  ({ dealer, accuser, shared_key: codec.encodePointField(sharedKey), proof: codec.encodeProof(proof) });

export class CeremonyError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** §9.4-§9.5 the qualified dealings of a transcript, judged as `ceremony close` does. */
export function qualifiedDealings(params, transcript) {
  const keys = transcript.announcements.map((a) => codec.decodeTransportKey(a).transportKey);
  const dealings = transcript.dealings.map((d) => codec.decodeDealing(d));
  const cheaters = new Set();
  for (const c of (transcript.complaints || []).map((x) => codec.decodeComplaint(x))) {
    const d = dealings.find((x) => x.dealer === c.dealer);
    if (!d || !dkg.verifyComplaintProof(params, c, d, keys[c.accuser - 1])) {
      throw new CeremonyError('ceremony.transcript', `a complaint of holder ${c.accuser} does not check`);
    }
    if (dkg.openShareWithKey(params, d, c.accuser, c.sharedKey, aead) === null) cheaters.add(c.dealer);
  }
  return dealings.filter((d) => !cheaters.has(d.dealer));
}

/**
 * Runs holder `code`'s ceremony: api(method, path, body?) -> parsed JSON
 * (throws CeremonyError on an error answer); say(step) reports progress;
 * wait() pauses between two looks at the relay. Returns the fragment file
 * v2 (an object) sealed with `passphrase` (sealOptions: tests only).
 */
export async function runCeremony({ api, say, wait, passphrase, rng = systemRng, sealOptions }) {
  const me = await api('GET', '/api/v1/ceremonie/invitation');
  let state = await api('GET', '/api/v1/ceremonie');
  const j = me.holder;
  const params = { election: hexToBytes(state.fingerprint), holders: state.holders, threshold: state.threshold };
  say('holder', { holder: j, member: me.member, election: state.election, fingerprint: state.fingerprint });
  const until = async (what, ready) => {
    for (;;) {
      state = await api('GET', '/api/v1/ceremonie');
      if (ready(state)) return state;
      say('waiting', { what });
      await wait();
    }
  };
  // §9.1
  const { secret: e, announcement } = dkg.makeTransportKey(params, j, rng);
  await api('POST', '/api/v1/ceremonie/annonce', encodeTransportKey(announcement));
  say('announced');
  // §9.2
  await until('announcements', (s) => s.announcements.length === params.holders);
  const announcements = state.announcements.map((a) => codec.decodeTransportKey(a));
  for (const a of announcements) {
    if (!dkg.verifyTransportKey(params, a)) {
      throw new CeremonyError('ceremony.announcement', `holder ${a.holder}'s transport key does not check`);
    }
  }
  const { dealing } = dkg.makeDealing(params, j, announcements.map((a) => a.transportKey), rng, aead);
  await api('POST', '/api/v1/ceremonie/distribution', encodeDealing(dealing));
  say('dealt');
  // §9.3-§9.4
  await until('dealings', (s) => s.dealings.length === params.holders);
  const complaints = [];
  for (const d of state.dealings.map((x) => codec.decodeDealing(x))) {
    if (dkg.openShare(params, d, j, e, aead) === null) {
      complaints.push(encodeComplaint(makeComplaint(params, d, j, e, rng)));
      say('complaint', { dealer: d.dealer });
    }
  }
  await api('POST', '/api/v1/ceremonie/reclamations', { complaints });
  say('checked', { complaints: complaints.length });
  // §9.5
  await until('close', (s) => s.closed);
  const qualified = qualifiedDealings(params, state.transcript);
  if (qualified.length < params.threshold) throw new CeremonyError('ceremony.transcript', 'too few qualified dealers');
  const y = dkg.publicKey(qualified);
  if (codec.encodePointField(y) !== state.transcript.public_key) {
    throw new CeremonyError('ceremony.transcript', 'the public key is not the qualified dealers\' product');
  }
  let x = 0n;
  for (const d of qualified) {
    const s = dkg.openShare(params, d, j, e, aead);
    if (s === null) throw new CeremonyError('ceremony.transcript', `the share of qualified holder ${d.dealer} does not open`);
    x = Fn.add(x, s);
  }
  const h = dkg.verificationKey(qualified, j);
  if (!baseMul(x).equals(h)) throw new CeremonyError('ceremony.transcript', 'x_j does not match h_j');
  const file = sealFragment({
    election: state.election,
    fingerprint: state.fingerprint,
    public_key: state.transcript.public_key,
    holder: j,
    member: me.member,
    verification_key: codec.encodePointField(h),
  }, encodeScalar(x), passphrase, sealOptions);
  say('done', { holder: j });
  return file;
}
