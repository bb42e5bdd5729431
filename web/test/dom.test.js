// The booth's DOM glue (src/booth/dom.js) on a tiny fake DOM
// (testing/fake-dom.js): the contract of docs/booth.md, element by element.
// The real browser behaviour is left to the portal's end-to-end tests.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import nodeCrypto from 'node:crypto';

import { startBooth } from '../src/booth/dom.js';
import { prepareLogin } from '../src/booth/login.js';
import { readParams } from '../src/booth/ballot.js';
import * as codec from '../src/protocol/codec.js';
import { verifyBallot } from '../src/protocol/ballot.js';
import { FakeDocument, FakeStorage } from '../testing/fake-dom.js';

const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/crypto-v1.json', import.meta.url), 'utf8'));
const realRng = { bytes: (count) => new Uint8Array(nodeCrypto.randomBytes(count)) };
const KEY = '7K3QD-M9XWT-2HFRB-YP4NA';
const ELECTION = 'demo-2026';
const SCRUTINS = ['CSA-MIN', 'CAP-A'];
const INVALID = 'Cette clé de sécurité est invalide : 20 caractères, chiffres et lettres.';

function loginPage({ scrutins = JSON.stringify(SCRUTINS), cleName = null } = {}) {
  const doc = new FakeDocument();
  const cleAttrs = { id: 'cle', type: 'text', 'aria-describedby': 'cle-aide cle-erreur', 'data-msg-invalid': INVALID };
  if (cleName) cleAttrs.name = cleName;
  const form = doc.h('form', { id: 'login-form', method: 'post', action: '/connexion', 'data-election': ELECTION, 'data-scrutins': scrutins }, [
    doc.h('input', { id: 'matricule', name: 'matricule', value: '123456' }),
    doc.h('input', { id: 'cle', ...cleAttrs }),
    doc.h('p', { id: 'cle-erreur', hidden: true }),
    doc.h('input', { type: 'hidden', name: 'jeton', id: 'jeton' }),
    doc.h('button', { type: 'submit', text: 'Se connecter' }),
  ]);
  doc.body.children.push(form);
  return { doc, form, cle: doc.getElementById('cle'), jeton: doc.getElementById('jeton'), erreur: doc.getElementById('cle-erreur') };
}

const exampleParams = (over = {}) => ({
  election_id: ELECTION,
  scrutin: 'CSA-MIN',
  fingerprint: V.dkg.election,
  public_key: V.dkg.public_key,
  choices: 11,
  min: 1,
  max: 1,
  selection: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
  ...over,
});

function castPage(params = exampleParams(), { status = false } = {}) {
  const doc = new FakeDocument();
  const form = doc.h('form', {
    id: 'cast-form', method: 'post', action: '/vote/CSA-MIN',
    'data-msg-nokey': 'Reconnectez-vous pour voter.',
    'data-msg-failed': 'Le bulletin n’a pas pu être chiffré.',
    'data-msg-busy': 'Chiffrement…',
  }, [
    doc.h('script', { type: 'application/json', id: 'ballot-params', text: typeof params === 'string' ? params : JSON.stringify(params) }),
    doc.h('input', { type: 'hidden', name: 'bulletin', id: 'bulletin' }),
    doc.h('button', { type: 'submit', text: 'Voter' }),
    doc.h('p', { id: 'cast-error', role: 'alert', hidden: true }),
    ...(status ? [doc.h('p', { id: 'cast-status', role: 'status' })] : []),
  ]);
  doc.body.children.push(form);
  return { doc, form, button: form.children[2], bulletin: doc.getElementById('bulletin'), error: doc.getElementById('cast-error') };
}

function loggedInStorage() {
  const st = new FakeStorage();
  const { secrets } = prepareLogin(KEY, ELECTION, SCRUTINS);
  for (const [s, hex] of Object.entries(secrets)) st.setItem(`isoloir:sk:${ELECTION}:${s}`, hex);
  return { st, secrets };
}

function start(doc, st, over = {}) {
  const queue = [];
  let storageCalls = 0;
  const booth = startBooth({
    document: doc,
    getStorage: () => {
      storageCalls += 1;
      if (st instanceof Error) throw st;
      return st;
    },
    schedule: (fn) => queue.push(fn),
    rng: realRng,
    ...over,
  });
  return { booth, queue, storageCalls: () => storageCalls };
}

describe('login form', () => {
  test('a valid key: token submitted, key cleared and never submitted, signing keys stored', () => {
    const { doc, form, cle, jeton, erreur } = loginPage();
    const st = new FakeStorage({ 'isoloir:sk:demo-2026:STALE': 'old', 'isoloir:sk:other:CSA-MIN': 'keep' });
    start(doc, st);
    cle.value = ' 7k3qd m9xwt-2hfrb-yp4na';
    const event = form.userSubmit();
    const expected = prepareLogin(KEY, ELECTION, SCRUTINS);
    assert.equal(event.defaultPrevented, false);
    assert.deepEqual(form.submitted, { matricule: '123456', jeton: expected.token });
    assert.equal(jeton.value, expected.token);
    assert.equal(cle.value, '');
    assert.equal(erreur.hidden, true);
    assert.deepEqual(st.entries(), {
      'isoloir:sk:other:CSA-MIN': 'keep',
      'isoloir:sk:demo-2026:CSA-MIN': expected.secrets['CSA-MIN'],
      'isoloir:sk:demo-2026:CAP-A': expected.secrets['CAP-A'],
    });
  });

  test('an invalid key: not submitted, message shown, field marked and focused', () => {
    const { doc, form, cle, jeton, erreur } = loginPage();
    const st = new FakeStorage();
    start(doc, st);
    cle.value = '7K3QD-M9XWT-2HFRB-YP4NU';
    const event = form.userSubmit();
    assert.equal(event.defaultPrevented, true);
    assert.equal(erreur.hidden, false);
    assert.equal(erreur.textContent, INVALID);
    assert.equal(cle.getAttribute('aria-invalid'), 'true');
    assert.equal(doc.activeElement, cle);
    assert.equal(cle.value, '7K3QD-M9XWT-2HFRB-YP4NU', 'left for the voter to correct');
    assert.equal(jeton.value, '');
    assert.equal(st.length, 0);

    // Corrected: the error goes away and the form submits.
    cle.value = KEY;
    assert.equal(form.userSubmit().defaultPrevented, false);
    assert.equal(erreur.hidden, true);
    assert.equal(cle.getAttribute('aria-invalid'), null);
    assert.equal(jeton.value, prepareLogin(KEY, ELECTION, SCRUTINS).token);
  });

  test('a key field with a name attribute loses it, so the key is never sent', () => {
    const { doc, form, cle } = loginPage({ cleName: 'cle' });
    start(doc, new FakeStorage());
    assert.equal(cle.getAttribute('name'), null);
    cle.value = KEY;
    form.userSubmit();
    assert.ok(!('cle' in form.submitted));
    assert.ok(!Object.values(form.submitted).some((v) => v.includes('7K3QD')));
  });

  test('a page error or no sessionStorage: submitted without a token, key cleared', () => {
    for (const [page, st] of [
      [loginPage({ scrutins: 'CSA-MIN' }), new FakeStorage()], // not JSON
      [loginPage({ scrutins: '[]' }), new FakeStorage()],
      [loginPage(), new Error('SecurityError')],
    ]) {
      start(page.doc, st);
      page.cle.value = KEY;
      const event = page.form.userSubmit();
      assert.equal(event.defaultPrevented, false);
      assert.deepEqual(page.form.submitted, { matricule: '123456', jeton: '' });
      assert.equal(page.cle.value, '');
      if (st instanceof FakeStorage) assert.equal(st.length, 0);
    }
  });
});

describe('cast form', () => {
  test('encrypts, proves and signs the selection, then submits the ballot', () => {
    const { doc, form, button, bulletin, error } = castPage(exampleParams(), { status: true });
    const { st } = loggedInStorage();
    const { queue } = start(doc, st);
    const event = form.userSubmit();
    assert.equal(event.defaultPrevented, true);
    // Busy until the scheduled work runs.
    assert.equal(button.disabled, true);
    assert.equal(button.textContent, 'Chiffrement…');
    assert.equal(form.getAttribute('aria-busy'), 'true');
    assert.equal(doc.getElementById('cast-status').textContent, 'Chiffrement…');
    assert.equal(queue.length, 1);
    // A second click while busy does nothing.
    assert.equal(form.userSubmit().defaultPrevented, true);
    assert.equal(queue.length, 1);

    queue.shift()();
    assert.equal(form.submitCount, 1);
    assert.equal(error.hidden, true);
    const { protocolParams } = readParams(exampleParams());
    const ballot = codec.decodeBallot(form.submitted.bulletin, protocolParams);
    assert.ok(verifyBallot(protocolParams, ballot).ok);
    assert.equal(bulletin.value, form.submitted.bulletin);
    // The signing key stays until the portal's receipt page forgets it.
    assert.notEqual(st.getItem('isoloir:sk:demo-2026:CSA-MIN'), null);
  });

  test('no signing key in the tab: the nokey message, nothing submitted', () => {
    const { doc, form, button, error } = castPage();
    const st = new FakeStorage({ 'isoloir:sk:demo-2026:CAP-A': 'ab'.repeat(32) });
    const { queue } = start(doc, st);
    assert.equal(form.userSubmit().defaultPrevented, true);
    assert.equal(error.hidden, false);
    assert.equal(error.textContent, 'Reconnectez-vous pour voter.');
    assert.equal(button.disabled, false);
    assert.equal(queue.length, 0);
    assert.equal(form.submitCount, 0);
  });

  test('any failure: the failed message, never the exception, and the button back', () => {
    const cases = [
      () => castPage(exampleParams({ selection: new Array(11).fill(0) })), // outside min..max
      () => castPage(exampleParams({ public_key: 'AA' })),
      () => castPage('{"election_id":'), // not JSON
      () => castPage('null'),
    ];
    for (const make of cases) {
      const { doc, form, button, bulletin, error } = make();
      const { st } = loggedInStorage();
      const { queue } = start(doc, st);
      assert.equal(form.userSubmit().defaultPrevented, true);
      while (queue.length) queue.shift()();
      assert.equal(form.submitCount, 0);
      assert.equal(error.hidden, false);
      assert.equal(error.textContent, 'Le bulletin n’a pas pu être chiffré.');
      assert.equal(button.disabled, false);
      assert.equal(button.textContent, 'Voter');
      assert.equal(form.getAttribute('aria-busy'), null);
      assert.equal(bulletin.value, '');
    }
    // A corrupted stored key fails the same way.
    const { doc, form, error } = castPage();
    const st = new FakeStorage({ 'isoloir:sk:demo-2026:CSA-MIN': 'not hex' });
    const { queue } = start(doc, st);
    form.userSubmit();
    while (queue.length) queue.shift()();
    assert.equal(form.submitCount, 0);
    assert.equal(error.textContent, 'Le bulletin n’a pas pu être chiffré.');
  });

  test('a storage that throws: the failed message', () => {
    const { doc, form, error } = castPage();
    const { queue } = start(doc, new Error('SecurityError'));
    form.userSubmit();
    assert.equal(queue.length, 0);
    assert.equal(error.hidden, false);
    assert.equal(error.textContent, 'Le bulletin n’a pas pu être chiffré.');
  });

  test('the native submit() is used even when a control named "submit" hides it', () => {
    const { doc, form } = castPage();
    let native = 0;
    doc.defaultView = { HTMLFormElement: { prototype: { submit() { native += 1; assert.equal(this, form); } } } };
    form.submit = 'a control named submit';
    const { st } = loggedInStorage();
    const { queue } = start(doc, st);
    form.userSubmit();
    queue.shift()();
    assert.equal(native, 1);
  });

  test('resetCast (back-forward cache) makes a busy page usable again', () => {
    const { doc, form, button, bulletin } = castPage();
    const { st } = loggedInStorage();
    const { booth, queue } = start(doc, st, { schedule: () => {} });
    form.userSubmit();
    assert.equal(button.disabled, true);
    booth.resetCast();
    assert.equal(button.disabled, false);
    assert.equal(button.textContent, 'Voter');
    assert.equal(form.getAttribute('aria-busy'), null);
    assert.equal(bulletin.value, '');
    assert.equal(queue.length, 0);
  });
});

describe('forgetting signing keys', () => {
  test('after a cast: that scrutin only', () => {
    const doc = new FakeDocument();
    doc.body.children.push(doc.h('p', { 'data-forget-scrutin': 'CSA-MIN', 'data-election': ELECTION }));
    const { st, secrets } = loggedInStorage();
    st.setItem('isoloir:sk:other:CSA-MIN', 'x');
    start(doc, st);
    assert.deepEqual(st.entries(), { 'isoloir:sk:demo-2026:CAP-A': secrets['CAP-A'], 'isoloir:sk:other:CSA-MIN': 'x' });
  });

  test('after logout: every key of the election, no other', () => {
    const doc = new FakeDocument();
    doc.body.children.push(doc.h('div', { 'data-forget-all': ELECTION }));
    const { st } = loggedInStorage();
    st.setItem('isoloir:sk:other:CSA-MIN', 'x');
    st.setItem('unrelated', 'y');
    start(doc, st);
    assert.deepEqual(st.entries(), { 'isoloir:sk:other:CSA-MIN': 'x', unrelated: 'y' });
  });

  test('malformed forget elements and a throwing storage are ignored', () => {
    const doc = new FakeDocument();
    doc.body.children.push(doc.h('p', { 'data-forget-scrutin': 'CSA-MIN' }), doc.h('p', { 'data-forget-all': '' }));
    const { st } = loggedInStorage();
    start(doc, st);
    assert.equal(st.length, 2);
    doc.body.children.push(doc.h('p', { 'data-forget-all': ELECTION }));
    assert.doesNotThrow(() => start(doc, new Error('SecurityError')));
  });
});

test('a page without booth elements is left alone (storage not even opened)', () => {
  const doc = new FakeDocument();
  doc.body.children.push(doc.h('form', { id: 'other-form' }, [doc.h('input', { name: 'q' })]));
  const { storageCalls } = start(doc, new FakeStorage());
  assert.equal(storageCalls(), 0);
  assert.equal(doc.body.children[0].listeners.size, 0);
});
