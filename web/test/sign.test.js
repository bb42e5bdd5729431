// The signing page's core (src/sign/signer.js) on the shared fragment vector
// tests/vectors/fragment-v2.json: a fragment of this election and member
// signs; another election's, another member's, a wrong passphrase and a
// file that is no fragment are refused with their own code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { signWithFragment, SignError } from '../src/sign/signer.js';
import { verifyMemberSignature } from '../src/protocol/member_signature.js';
import * as codec from '../src/protocol/codec.js';

const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/fragment-v2.json', import.meta.url), 'utf8'));
const text = JSON.stringify(V.file);
const page = {
  election: V.file.election,
  fingerprint: V.file.fingerprint,
  publicKey: V.file.public_key,
  member: V.file.member,
  keys: ['unused', V.file.verification_key],
};
const digest = 'ab'.repeat(32);
const code = (c) => (e) => e instanceof SignError && e.code === c;

test('signs with the logged-in member\'s fragment of this election', () => {
  const s = signWithFragment(page, text, V.passphrase, 'seal', digest);
  assert.equal(s.member, 'secretaire');
  assert.equal(s.holder, 2);
  assert.equal(s.digest, digest);
  assert.equal(JSON.stringify(s).includes(V.passphrase), false);
  assert.equal(JSON.stringify(s).includes(V.file.ciphertext), false);
  assert.ok(verifyMemberSignature(s, codec.decodePointField(V.file.verification_key, 'h')));
});

test('refuses what is not this election\'s, not this member\'s, or a wrong passphrase', () => {
  assert.throws(() => signWithFragment({ ...page, election: 'other' }, text, V.passphrase, 'seal', digest),
    (e) => code('election')(e) && e.values.field === 'election');
  assert.throws(() => signWithFragment({ ...page, fingerprint: '00'.repeat(32) }, text, V.passphrase, 'seal', digest),
    (e) => code('election')(e) && e.values.field === 'fingerprint');
  assert.throws(() => signWithFragment({ ...page, keys: ['x', 'y'] }, text, V.passphrase, 'seal', digest),
    (e) => code('election')(e) && e.values.field === 'verification_key');
  assert.throws(() => signWithFragment({ ...page, member: 'president' }, text, V.passphrase, 'seal', digest),
    (e) => code('member')(e) && e.values.member === 'secretaire');
  assert.throws(() => signWithFragment(page, text, 'not the passphrase', 'seal', digest), code('passphrase'));
  assert.throws(() => signWithFragment(page, '{"format":"isoloir/partial/v1"}', V.passphrase, 'seal', digest), code('file'));
  assert.throws(() => signWithFragment(page, 'not json', V.passphrase, 'seal', digest), code('file'));
});
