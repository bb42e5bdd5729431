// §12 strict JSON decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as codec from '../src/protocol/codec.js';
import { toBase64Url, fromBase64Url } from '../src/protocol/bytes.js';

test('base64url round trip and strictness', () => {
  for (let len = 0; len < 70; len++) {
    const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + len) & 255);
    const text = toBase64Url(bytes);
    assert.ok(!text.includes('='));
    assert.deepEqual(fromBase64Url(text), bytes);
    assert.equal(Buffer.from(bytes).toString('base64url'), text);
  }
  assert.throws(() => fromBase64Url('AA=='), /character/);
  assert.throws(() => fromBase64Url('AA+/'), /character/);
  assert.throws(() => fromBase64Url('A A'), /character/);
  assert.throws(() => fromBase64Url('A'), /length/);
  assert.throws(() => fromBase64Url('AB'), /trailing bits/); // 'B' sets low bits
  assert.throws(() => fromBase64Url('AAB'), /trailing bits/);
  assert.deepEqual(fromBase64Url('AA'), new Uint8Array([0]));
});

test('strict JSON: duplicate keys, depth, list bound, trailing text', () => {
  assert.throws(() => codec.parseJson('{"c":"AA","c":"AA"}'), /duplicate key/);
  assert.throws(() => codec.parseJson('{"a":1} x'), /trailing/);
  assert.throws(() => codec.parseJson('{"a":1,}'), /invalid JSON/);
  const deep = '['.repeat(64) + ']'.repeat(64);
  assert.doesNotThrow(() => codec.parseJson(deep));
  assert.throws(() => codec.parseJson('['.repeat(65) + ']'.repeat(65)), /nesting deeper than 64/);
  const long = `[${new Array(1000).fill(0).join(',')}]`;
  assert.equal(codec.parseJson(long).length, 1000);
  assert.throws(() => codec.parseJson(`[${new Array(1001).fill(0).join(',')}]`), /more than 1000 items/);
});

test('integers are plain non-negative JSON integers', () => {
  const ok = (text) => codec.decodeTransportKey(`{"holder":${text},"transport_key":"${P}","proof":{"c":"${S}","s":"${S}"}}`).holder;
  assert.equal(ok('0'), 0);
  assert.equal(ok('3'), 3);
  assert.equal(ok('4294967295'), 4294967295);
  for (const bad of ['-1', '-0', '1.0', '1e0', '"1"', 'true', 'null', '4294967296', '9007199254740993', '100000000000000000000']) {
    assert.throws(() => ok(bad), /^Error: holder: |^CodecError: holder: /, bad);
  }
  // Not JSON at all (RFC 8259 forbids leading zeros and '+').
  for (const bad of ['01', '+1']) assert.throws(() => ok(bad), /invalid JSON/, bad);
});

// g and the scalar 1, for shapes.
const P = 'BGsX0fLhLEJH-Lzm5WOkQPJ3A32BLeszoPShOUXYmMKWT-NC4v4af5uO5-tKfA-eFivOM1drMV7Oy7ZAaDe_UfU';
const S = toBase64Url(Uint8Array.from({ length: 32 }, (_, i) => (i === 31 ? 1 : 0)));

test('objects have exactly their keys, paths name the field', () => {
  assert.throws(() => codec.decodeProof({ c: S }, 'signature'), { message: 'signature.s: missing' });
  assert.throws(() => codec.decodeProof({ c: S, s: S, x: S }, 'signature'), { message: 'signature.x: unknown key' });
  assert.throws(() => codec.decodeProof([S, S], 'signature'), { message: 'signature: expected an object' });
  assert.throws(() => codec.decodePartialDecryption({ holder: 1, factors: [{ factor: P, proof: { c: S, s: 'AA' } }] }), {
    message: 'factors[0].proof.s: the bytes do not encode a scalar',
  });
  const dealing = { dealer: 1, commitments: [P], proof: { c: S, s: S }, shares: [{ recipient: 1, ephemeral: P, box: toBase64Url(new Uint8Array(47)) }] };
  assert.equal(codec.decodeDealing(dealing).shares[0].box.length, 47);
  assert.throws(() => codec.decodeDealing({ ...dealing, shares: [] }), { message: 'shares: empty list' });
  assert.throws(() => codec.decodeDealing({ ...dealing, shares: [{ ...dealing.shares[0], box: 'A' }] }), /^CodecError: shares\[0\]\.box: invalid base64url length/);
  assert.throws(() => codec.decodeDealing({ ...dealing, commitments: ['AA'] }), {
    message: 'commitments[0]: the bytes do not encode a point of P-256',
  });
  assert.throws(() => codec.decodeComplaint({ dealer: 1, accuser: 2, shared_key: 'AA', proof: { c: S, s: S } }), {
    message: 'shared_key: the bytes do not encode a point of P-256',
  });
});

test('canonical JSON sorts keys and has no whitespace', () => {
  assert.equal(codec.canonicalJson({ b: [1, { d: 'x', c: true }], a: null }), '{"a":null,"b":[1,{"c":true,"d":"x"}]}');
});
