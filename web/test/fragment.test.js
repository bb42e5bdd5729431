// Fragment file v2 in the browser (src/protocol/fragment.js): opens the
// shared vector tests/vectors/fragment-v2.json (also opened by libsodium in
// tests/counting/sealed_test.cc), refuses a wrong passphrase and an altered
// public field, and round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import * as fragment from '../src/protocol/fragment.js';
import { bytesToHex } from '../src/protocol/bytes.js';

const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/fragment-v2.json', import.meta.url), 'utf8'));
const FAST = { opslimit: 2, memlimit: 67108864 };  // libsodium's interactive limits

test('opens the shared vector with libsodium parameters', () => {
  assert.equal(bytesToHex(fragment.openFragment(V.file, V.passphrase)), V.share_hex);
});

test('a wrong passphrase is refused with a clear message', () => {
  assert.throws(() => fragment.openFragment(V.file, 'correct horse battery stapler'),
    (e) => e.code === 'fragment.passphrase' && /wrong passphrase/.test(e.message));
});

test('public fields are authenticated; absurd limits refused', () => {
  const pub = { election: 'e', fingerprint: '00'.repeat(32), public_key: 'P', holder: 1, member: 'president', verification_key: 'V' };
  const share = new Uint8Array(32).fill(9);
  const file = fragment.sealFragment(pub, share, 'a long enough passphrase', { limits: FAST });
  assert.deepEqual(fragment.openFragment(file, 'a long enough passphrase'), share);
  assert.throws(() => fragment.openFragment({ ...file, member: 'secretaire' }, 'a long enough passphrase'),
    (e) => e.code === 'fragment.passphrase');
  assert.throws(() => fragment.openFragment({ ...file, kdf: { ...file.kdf, memlimit: 2 ** 40 } }, 'x'),
    (e) => e.code === 'fragment.kdf_limits');
});
