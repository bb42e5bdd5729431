// The browser's side of the key ceremony (src/ceremony/holder.js) with three
// holders over an in-memory relay that behaves like the portal's: one dealer
// cheats, its victim complains, everyone ends with a share that matches the
// verification key and a sealed fragment file v2. (Against the real portal:
// e2e/election.e2e.js.)
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { runCeremony, qualifiedDealings } from '../src/ceremony/holder.js';
import { openFragment } from '../src/protocol/fragment.js';
import * as dkg from '../src/protocol/dkg.js';
import { baseMul, decodeScalar } from '../src/protocol/group.js';
import { fromBase64Url, toBase64Url, hexToBytes } from '../src/protocol/bytes.js';
import * as codec from '../src/protocol/codec.js';

const FAST = { limits: { opslimit: 2, memlimit: 67108864 } };

function fakeRelay({ holders, threshold, cheat }) {
  const fingerprint = '42'.repeat(32);
  const s = { election: 'e', fingerprint, holders, threshold, members: ['a', 'b', 'c'], announcements: [], dealings: [], complaints: [], finished: [], closed: false };
  const byHolder = (list, key) => list.sort((x, y) => x[key] - y[key]);
  const close = () => {
    const params = { election: hexToBytes(fingerprint), holders, threshold };
    const transcript = { announcements: s.announcements, dealings: s.dealings, complaints: s.complaints };
    const q = qualifiedDealings(params, transcript);
    s.transcript = { ...transcript, public_key: codec.encodePointField(dkg.publicKey(q)) };
    s.closed = true;
    return q.map((d) => d.dealer);
  };
  const api = (code) => async (method, path, body) => {
    const j = Number(code);
    if (method === 'GET' && path === '/api/v1/ceremonie') return structuredClone(s);
    if (path === '/api/v1/ceremonie/invitation') return { holder: j, member: s.members[j - 1] };
    if (path.endsWith('/annonce')) s.announcements = byHolder(s.announcements.concat([body]), 'holder');
    if (path.endsWith('/distribution')) {
      if (j === cheat.dealer) {
        const box = fromBase64Url(body.shares[cheat.victim - 1].box);
        box[0] ^= 1;
        body.shares[cheat.victim - 1].box = toBase64Url(box);
      }
      s.dealings = byHolder(s.dealings.concat([body]), 'dealer');
    }
    if (path.endsWith('/reclamations')) {
      s.complaints.push(...body.complaints);
      s.finished.push(j);
    }
    return { holder: j };
  };
  return { s, api, close };
}

test('three holders, a cheating dealer disqualified, shares that match h_j', { timeout: 120000 }, async () => {
  const relay = fakeRelay({ holders: 3, threshold: 2, cheat: { dealer: 3, victim: 1 } });
  const steps = { 1: [], 2: [], 3: [] };
  let qualified;
  const wait = async () => {
    if (!relay.s.closed && relay.s.finished.length === 3) qualified = relay.close();
    await new Promise((r) => setTimeout(r, 5));
  };
  const files = await Promise.all([1, 2, 3].map((j) => runCeremony({
    api: relay.api(String(j)), say: (step, v) => steps[j].push([step, v]), wait,
    passphrase: `passphrase of holder ${j}`, sealOptions: FAST,
  })));
  assert.deepEqual(qualified, [1, 2]);
  assert.equal(relay.s.complaints.length, 1);
  assert.deepEqual([relay.s.complaints[0].dealer, relay.s.complaints[0].accuser], [3, 1]);
  assert.ok(steps[1].some(([step, v]) => step === 'complaint' && v.dealer === 3));
  for (const [i, f] of files.entries()) {
    const share = decodeScalar(openFragment(f, `passphrase of holder ${i + 1}`));
    assert.equal(codec.encodePointField(baseMul(share)), f.verification_key);
    assert.equal(f.public_key, relay.s.transcript.public_key);
    assert.equal(f.holder, i + 1);
  }
  assert.throws(() => openFragment(files[0], 'passphrase of holder 2'), (e) => e.code === 'fragment.passphrase');
});
