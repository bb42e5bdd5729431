// src/protocol/group.js builds P-256 from its SEC 2 constants (to keep
// nist.js's P-384, P-521, ECDSA and SHA-512 out of the booth bundle); they
// must be noble's own p256.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { p256 } from '@noble/curves/nist.js';
import { Point, G, n, p } from '../src/protocol/group.js';

test('the group is noble p256', () => {
  assert.deepEqual(Point.CURVE(), p256.Point.CURVE());
  assert.ok(G.equals(Point.fromAffine(p256.Point.BASE.toAffine())));
  assert.equal(n, p256.Point.Fn.ORDER);
  assert.equal(p, p256.Point.Fp.ORDER);
  assert.deepEqual(G.multiply(12345n).toBytes(false), p256.Point.BASE.multiply(12345n).toBytes(false));
});
