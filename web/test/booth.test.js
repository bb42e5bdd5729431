// The booth's pure logic (src/booth/): login token and signing keys,
// ballot preparation, sessionStorage keys. Checked against the C++
// vectors (tests/vectors/crypto-v1.json) where they apply.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import nodeCrypto from 'node:crypto';

import { prepareLogin } from '../src/booth/login.js';
import { prepareBallot, prepareAudit, readParams, AUDIT_FORMAT } from '../src/booth/ballot.js';
import { InvalidKeyError, BoothInputError, SelectionError } from '../src/booth/errors.js';
import * as storage from '../src/booth/storage.js';
import { credentialDigests } from '../src/check/digests.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, fromBase64Url, toBase64Url } from '../src/protocol/bytes.js';
import { DeterministicStream, randomScalar } from '../src/protocol/transcript.js';
import { encodeScalar, encodePoint, n, G, baseMul, mul } from '../src/protocol/group.js';
import * as codec from '../src/protocol/codec.js';
import { verifyBallot } from '../src/protocol/ballot.js';
import { FakeStorage } from '../testing/fake-dom.js';

const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/crypto-v1.json', import.meta.url), 'utf8'));
const cv = V.credential;
const bv = V.ballot;
// Node 18 has no global crypto: the tests pass their own randomness.
const realRng = { bytes: (count) => new Uint8Array(nodeCrypto.randomBytes(count)) };
const b64ToHex = (s) => bytesToHex(fromBase64Url(s));

describe('prepareLogin', () => {
  const scrutins = cv.signing.map((s) => s.scrutin);

  test('token and signing keys match the C++ vectors', () => {
    const out = prepareLogin(cv.typed, cv.election_id, scrutins);
    assert.equal(out.token, cv.login_token);
    assert.deepEqual(out.secrets, Object.fromEntries(cv.signing.map((s) => [s.scrutin, b64ToHex(s.secret)])));
    for (const hex of [out.token, ...Object.values(out.secrets)]) assert.match(hex, /^[0-9a-f]{64}$/);
  });

  test('accepts the lenient forms of §8.1', () => {
    const expected = prepareLogin(cv.security_key, cv.election_id, scrutins);
    for (const typed of [
      cv.printed,
      cv.typed, // lower case with hyphens
      ' 11bm8 4vkb5\tm7pkr ymmyb ', // spaces and a tab
      'IlBM8-4VKB5-M7PKR-YMMYB', // I and l read as 1
      'iLbm84vkb5m7pkrymmyb',
      '--11BM8--4VKB5-M7PKR-YMMYB--',
    ]) {
      assert.deepEqual(prepareLogin(typed, cv.election_id, scrutins), expected, JSON.stringify(typed));
    }
    assert.deepEqual(
      prepareLogin('oOoOo-00000-OOOOO-ooooo', 'demo-2026', ['CSA-MIN']),
      prepareLogin('0'.repeat(20), 'demo-2026', ['CSA-MIN']),
    );
  });

  test('rejects a bad key with InvalidKeyError', () => {
    const cases = [
      ['', 'length'],
      ['11BM8-4VKB5-M7PKR-YMMY', 'length'],
      ['11BM8-4VKB5-M7PKR-YMMYBB', 'length'],
      ['11BM8-4VKB5-M7PKR-YMMYU', 'character'], // U is not in Crockford's alphabet
      ['11BM8-4VKB5-M7PKR-YMMY*', 'character'],
      ['11BM8-4VKB5-M7PKR-YMMY\u0131', 'character'], // dotless i: no Unicode case mapping
      ['11BM8_4VKB5_M7PKR_YMMYB', 'length'], // underscores are not dropped
      ['11BM8\u00a04VKB5\u00a0M7PKR\u00a0YMMYB', 'length'], // only ASCII spaces are
    ];
    for (const [typed, reason] of cases) {
      assert.throws(() => prepareLogin(typed, cv.election_id, scrutins), (e) => {
        assert.ok(e instanceof InvalidKeyError, `${JSON.stringify(typed)}: ${e}`);
        assert.equal(e.name, 'InvalidKeyError');
        assert.equal(e.reason, reason, JSON.stringify(typed));
        return true;
      });
    }
  });

  test('a malformed election id or scrutin list is a page error, not a key error', () => {
    const bad = [
      ['', ['CSA']],
      ['a:b', ['CSA']],
      ['x'.repeat(65), ['CSA']],
      [cv.election_id, []],
      [cv.election_id, 'CSA'],
      [cv.election_id, ['CSA', 'CSA']],
      [cv.election_id, ['CSA:MIN']],
      [cv.election_id, ['CSA.MIN']],
      [cv.election_id, [7]],
    ];
    for (const [election, list] of bad) {
      assert.throws(() => prepareLogin(cv.typed, election, list), BoothInputError, JSON.stringify([election, list]));
    }
    // Checked before the key, so that a page error is never blamed on the voter.
    assert.throws(() => prepareLogin('bad', 'a:b', ['CSA']), BoothInputError);
  });
});

// The scrutin of the ballot vectors (CSA, 10 lists + blank, one choice).
const vectorParams = (selection) => ({
  election_id: 'demo-2026',
  scrutin: bv.scrutin,
  fingerprint: V.dkg.election,
  public_key: V.dkg.public_key,
  choices: bv.choices,
  min: bv.min,
  max: bv.max,
  selection,
});
// The example of docs/booth.md.
const exampleParams = () => ({
  election_id: 'demo-2026',
  scrutin: 'CSA-MIN',
  fingerprint: V.dkg.election,
  public_key: V.dkg.public_key,
  choices: 11,
  min: 1,
  max: 1,
  selection: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
});

function decodeAndVerify(params, ballotJson) {
  const { protocolParams } = readParams(params);
  const ballot = codec.decodeBallot(ballotJson, protocolParams);
  return { ballot, result: verifyBallot(protocolParams, ballot) };
}

describe('prepareBallot', () => {
  test('the ballot decodes, verifies, and its tracker is the protocol tracker', () => {
    const { secrets } = prepareLogin(cv.typed, cv.election_id, ['CSA']);
    const params = vectorParams([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const out = prepareBallot(params, secrets.CSA, realRng);
    assert.equal(typeof out.ballotJson, 'string');
    assert.match(out.tracker, /^[A-Za-z0-9_-]{43}$/);
    // Canonical: the decoder's own canonical form is the same text.
    assert.equal(codec.canonicalJson(JSON.parse(out.ballotJson)), out.ballotJson);
    const { ballot, result } = decodeAndVerify(params, out.ballotJson);
    assert.ok(result.ok, result.reason);
    assert.equal(result.tracker, out.tracker);
    // Signed with the voter's published CSA credential.
    assert.equal(toBase64Url(encodePoint(ballot.credential)), cv.signing[0].public);
  });

  test('the example of docs/booth.md, with every number of choices from min to max', () => {
    const { secrets } = prepareLogin('7K3QD-M9XWT-2HFRB-YP4NA', 'demo-2026', ['CSA-MIN', 'CAP-A']);
    const params = { ...exampleParams(), scrutin: 'CAP-A', choices: 4, min: 0, max: 2 };
    for (const selection of [[0, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 1]]) {
      const p = { ...params, selection };
      const out = prepareBallot(p, secrets['CAP-A'], realRng);
      const { result } = decodeAndVerify(p, out.ballotJson);
      assert.ok(result.ok, result.reason);
      // Not valid for another scrutin (the context binds the scrutin code).
      const { protocolParams } = readParams({ ...p, scrutin: 'CSA-MIN' });
      assert.equal(verifyBallot(protocolParams, codec.decodeBallot(out.ballotJson, protocolParams)).ok, false);
    }
  });

  test('with the "ballots" stream it reproduces the three C++ ballots byte for byte', () => {
    const s = new DeterministicStream(bv.rng_seed);
    for (const [k, x] of bv.ballots.entries()) {
      const sk = randomScalar(s); // each vector ballot draws its credential secret first
      const out = prepareBallot(vectorParams(x.selection), bytesToHex(encodeScalar(sk)), s);
      assert.equal(out.ballotJson, codec.canonicalJson(x.ballot), `ballot ${k}`);
      assert.equal(out.tracker, x.tracker, `ballot ${k}`);
    }
  });

  test('a deterministic rng gives a fixed output', () => {
    const { secrets } = prepareLogin('7K3QD-M9XWT-2HFRB-YP4NA', 'demo-2026', ['CSA-MIN']);
    const a = prepareBallot(exampleParams(), secrets['CSA-MIN'], new DeterministicStream('booth'));
    const b = prepareBallot(exampleParams(), secrets['CSA-MIN'], new DeterministicStream('booth'));
    assert.deepEqual(a, b);
    // The tracker hashes the signed digest (which covers the context, so the
    // credential, and every ciphertext and proof) and the signature.
    assert.equal(a.tracker, 'wx7DpnU0UCVyXIlakaFRzk5_Pg2QTD8qVrSGt4DqOGw');
    assert.ok(decodeAndVerify(exampleParams(), a.ballotJson).result.ok);
  });

  test('rejects a selection outside min..max with SelectionError', () => {
    const sk = prepareLogin(cv.typed, 'demo-2026', ['CSA-MIN']).secrets['CSA-MIN'];
    const none = new Array(11).fill(0);
    const two = [...none];
    two[1] = 1;
    two[7] = 1;
    for (const selection of [none, two]) {
      assert.throws(() => prepareBallot({ ...exampleParams(), selection }, sk, realRng), (e) => {
        assert.ok(e instanceof SelectionError);
        assert.equal(e.min, 1);
        assert.equal(e.max, 1);
        assert.match(e.message, /between 1 and 1/);
        return true;
      });
    }
  });

  test('rejects malformed parameters, naming the field', () => {
    const sk = prepareLogin(cv.typed, 'demo-2026', ['CSA-MIN']).secrets['CSA-MIN'];
    const compressed = toBase64Url(G.toBytes(true));
    const without = (k) => {
      const p = exampleParams();
      delete p[k];
      return p;
    };
    const cases = [
      [null, 'params'],
      [[], 'params'],
      ['{}', 'params'],
      [{ ...exampleParams(), extra: 1 }, 'extra'],
      ...['election_id', 'scrutin', 'fingerprint', 'public_key', 'choices', 'min', 'max', 'selection'].map((k) => [without(k), k]),
      [{ ...exampleParams(), election_id: 'demo 2026' }, 'election_id'],
      [{ ...exampleParams(), scrutin: '' }, 'scrutin'],
      [{ ...exampleParams(), fingerprint: V.dkg.election.toUpperCase() }, 'fingerprint'],
      [{ ...exampleParams(), fingerprint: V.dkg.election.slice(2) }, 'fingerprint'],
      [{ ...exampleParams(), public_key: compressed }, 'public_key'],
      [{ ...exampleParams(), public_key: 'AA' }, 'public_key'], // the identity
      [{ ...exampleParams(), public_key: `${V.dkg.public_key}=` }, 'public_key'],
      [{ ...exampleParams(), choices: 0, selection: [] }, 'choices'],
      [{ ...exampleParams(), choices: 101, selection: new Array(101).fill(0) }, 'choices'],
      [{ ...exampleParams(), choices: '11' }, 'choices'],
      [{ ...exampleParams(), choices: 11.5 }, 'choices'],
      [{ ...exampleParams(), min: -1 }, 'min'],
      [{ ...exampleParams(), min: 2, max: 1 }, 'max'],
      [{ ...exampleParams(), max: 12 }, 'max'],
      [{ ...exampleParams(), selection: [0, 0, 1] }, 'selection'],
      [{ ...exampleParams(), selection: '00100000000' }, 'selection'],
      [{ ...exampleParams(), selection: [0, 0, true, 0, 0, 0, 0, 0, 0, 0, 0] }, 'selection[2]'],
      [{ ...exampleParams(), selection: [0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] }, 'selection[2]'],
      [{ ...exampleParams(), selection: [0, 0, '1', 0, 0, 0, 0, 0, 0, 0, 0] }, 'selection[2]'],
    ];
    for (const [params, field] of cases) {
      assert.throws(() => prepareBallot(params, sk, realRng), (e) => {
        assert.ok(e instanceof BoothInputError, `${field}: ${e}`);
        assert.equal(e.field, field);
        assert.ok(e.message.startsWith(`${field}: `), e.message);
        return true;
      });
    }
  });

  test('rejects a malformed signing key', () => {
    const nHex = n.toString(16);
    for (const secret of [undefined, '', 'ab', 'A'.repeat(64), 'g'.repeat(64), '0'.repeat(64), nHex, 'f'.repeat(64), `${'1'.repeat(64)}\n`]) {
      assert.throws(() => prepareBallot(exampleParams(), secret, realRng), (e) => e instanceof BoothInputError && e.field === 'secret', String(secret));
    }
  });
});

describe('sessionStorage keys', () => {
  test('store, load and forget', () => {
    const st = new FakeStorage({ 'isoloir:sk:other:CSA-MIN': 'x', 'unrelated': 'y', 'isoloir:sk:demo-2026:OLD': 'z' });
    storage.storeSecrets(st, 'demo-2026', { 'CSA-MIN': 'a', 'CAP-A': 'b' });
    assert.deepEqual(st.entries(), {
      'isoloir:sk:other:CSA-MIN': 'x',
      'unrelated': 'y',
      'isoloir:sk:demo-2026:CSA-MIN': 'a',
      'isoloir:sk:demo-2026:CAP-A': 'b',
    });
    assert.equal(storage.loadSecret(st, 'demo-2026', 'CAP-A'), 'b');
    assert.equal(storage.loadSecret(st, 'demo-2026', 'CAP-B'), null);
    storage.forgetScrutin(st, 'demo-2026', 'CSA-MIN');
    assert.equal(storage.loadSecret(st, 'demo-2026', 'CSA-MIN'), null);
    storage.forgetElection(st, 'demo-2026');
    assert.deepEqual(st.entries(), { 'isoloir:sk:other:CSA-MIN': 'x', 'unrelated': 'y' });
  });

  test('ids that could make keys collide are refused', () => {
    const st = new FakeStorage();
    assert.throws(() => storage.secretKeyName('a:b', 'C'), BoothInputError);
    assert.throws(() => storage.secretKeyName('a', 'b:C'), BoothInputError);
    assert.throws(() => storage.forgetElection(st, ''), BoothInputError);
    assert.throws(() => storage.loadSecret(st, null, 'CSA'), BoothInputError);
  });
});

describe('prepareAudit (protocol §7.6)', () => {
  test('the revealed ballot verifies and opens, with its randomness, to the choice made', () => {
    const { secrets } = prepareLogin('7K3QD-M9XWT-2HFRB-YP4NA', 'demo-2026', ['CSA-MIN']);
    const params = exampleParams();
    const { auditJson, tracker } = prepareAudit(params, secrets['CSA-MIN'], realRng);
    const doc = JSON.parse(auditJson);
    assert.deepEqual(Object.keys(doc).sort(), ['ballot', 'election_id', 'format', 'randomness', 'scrutin', 'tracker']);
    assert.equal(doc.format, AUDIT_FORMAT);
    assert.equal(doc.tracker, tracker);
    assert.equal(doc.election_id, 'demo-2026');
    const { ballot, result } = decodeAndVerify(params, codec.canonicalJson(doc.ballot));
    assert.ok(result.ok, result.reason);
    assert.equal(result.tracker, tracker);
    const y = codec.decodePointField(params.public_key, 'public_key');
    const opened = ballot.choices.map((ch, i) => {
      const r = codec.decodeScalarField(doc.randomness[i], `randomness[${i}]`);
      assert.ok(baseMul(r).equals(ch.alpha), `alpha_${i} = g^r`);
      const m = ch.beta.subtract(mul(y, r));
      if (m.is0()) return 0;
      assert.ok(m.equals(G), `choice ${i} opens to 0 or 1`);
      return 1;
    });
    assert.deepEqual(opened, params.selection);
  });

  test('each audit is a fresh encryption: another tracker than the next cast', () => {
    const { secrets } = prepareLogin('7K3QD-M9XWT-2HFRB-YP4NA', 'demo-2026', ['CSA-MIN']);
    const audit = prepareAudit(exampleParams(), secrets['CSA-MIN'], realRng);
    const cast = prepareBallot(exampleParams(), secrets['CSA-MIN'], realRng);
    assert.notEqual(audit.tracker, cast.tracker);
  });
});

describe('credentialDigests (docs/verification.md §3)', () => {
  test("the digest is SHA-256 of the C++ vectors' public credential; only 4 hex digits are the prefix", () => {
    const out = credentialDigests(cv.typed, cv.election_id, ['CSA']);
    const expected = bytesToHex(sha256(fromBase64Url(cv.signing[0].public)));
    assert.equal(out.CSA.digest, expected);
    assert.equal(out.CSA.prefix, expected.slice(0, 4));
  });
  test('a mistyped key is refused', () => {
    assert.throws(() => credentialDigests('7K3QD', 'demo-2026', ['CSA-MIN']), InvalidKeyError);
  });
});
