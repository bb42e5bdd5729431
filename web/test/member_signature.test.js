// BVE member signatures in the browser (src/protocol/member_signature.js,
// protocol §13) against the shared vector tests/vectors/member-signature-v1.json,
// also checked by C++ (tests/seal/member_signature_vectors_test.cc): same
// context, same bytes from the same §3.3 stream, the C++-identical signature
// verifies, and a moved signature does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { bytesToHex, hexToBytes } from '../src/protocol/bytes.js';
import { baseMul, decodeScalar } from '../src/protocol/group.js';
import { DeterministicStream, systemRng } from '../src/protocol/transcript.js';
import * as codec from '../src/protocol/codec.js';
import { memberSignatureContext, signAsMember, verifyMemberSignature } from '../src/protocol/member_signature.js';

const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/member-signature-v1.json', import.meta.url), 'utf8'));
const x = decodeScalar(hexToBytes(V.share_hex));
const h = codec.decodePointField(V.fragment.verification_key, 'verification_key');

test('the vector key is g^x', () => {
  assert.ok(baseMul(x).equals(h));
});

test('same context and same signature bytes as C++', () => {
  for (const c of V.cases) {
    const digest = hexToBytes(c.digest);
    assert.equal(bytesToHex(memberSignatureContext(hexToBytes(V.fragment.fingerprint), c.purpose, digest, V.fragment.holder)), c.context);
    assert.deepEqual(signAsMember(V.fragment, x, c.purpose, digest, new DeterministicStream(c.seed)), c.deterministic);
  }
});

test('signatures verify; moved ones do not', () => {
  for (const c of V.cases) {
    for (const s of [c.deterministic, c.browser, signAsMember(V.fragment, x, c.purpose, hexToBytes(c.digest), systemRng)]) {
      assert.ok(verifyMemberSignature(s, h));
      assert.equal(verifyMemberSignature({ ...s, purpose: s.purpose === 'seal' ? 'pv' : 'seal' }, h), false);
      assert.equal(verifyMemberSignature({ ...s, holder: s.holder + 1 }, h), false);
      assert.equal(verifyMemberSignature({ ...s, digest: '00'.repeat(32) }, h), false);
      assert.equal(verifyMemberSignature({ ...s, fingerprint: '11'.repeat(32) }, h), false);
    }
  }
  assert.throws(() => signAsMember(V.fragment, x, 'other', new Uint8Array(32), systemRng), /neither/);
});
