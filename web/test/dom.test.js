// The booth's DOM glue (src/booth/dom.js) on a tiny fake DOM
// (testing/fake-dom.js): the contract of docs/booth.md, element by element.
// The real browser behaviour is left to the portal's end-to-end tests.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import nodeCrypto from 'node:crypto';

import { startBooth } from '../src/booth/dom.js';
import { prepareLogin } from '../src/booth/login.js';
import { readParams, prepareBallot } from '../src/booth/ballot.js';
import { oneHot as choiceOneHot } from '../src/booth/choice.js';
import { BoothInputError } from '../src/booth/errors.js';
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
  selection: [], // the portal never knows the choice
  ...over,
});
const oneHot = (i, n = 11) => Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
const LABELS = [...Array.from({ length: 10 }, (_, i) => `Liste ${i + 1}`), 'Vote blanc'];
const NONE = 'Votre choix : choisissez une liste ou le vote blanc.';

/** A deterministic rng, so that a ballot can be compared with the one expected for a selection. */
function seededRng(seed = 'seed') {
  let counter = 0;
  return {
    bytes(count) {
      const out = new Uint8Array(count);
      for (let off = 0; off < count; off += 32) {
        const block = nodeCrypto.createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, count - off)), off);
      }
      return out;
    },
  };
}

/**
 * The vote page as vote.mustache renders it: the choice step (radios
 * outside the posted form) and the hidden cast form with its summary.
 * values: the radios' values (default "0".."10").
 */
function castPage(params = exampleParams(), { status = false, choice = true, values = null } = {}) {
  const doc = new FakeDocument();
  const radios = LABELS.map((label, i) => doc.h('input', {
    type: 'radio', name: 'choix', id: `choix-${i}`, value: values ? values[i] : String(i), 'data-label': label, 'aria-describedby': 'choix-erreur',
  }));
  const choixForm = doc.h('form', { id: 'choix-form', hidden: true, 'data-msg-none': NONE }, [
    doc.h('fieldset', {}, [doc.h('p', { id: 'choix-erreur', hidden: true }), ...radios]),
    doc.h('button', { type: 'submit', text: 'Valider mon choix' }),
  ]);
  const confirm = doc.h('button', { type: 'submit', id: 'recap-confirmer', text: 'Voter' });
  const modifier = doc.h('button', { type: 'button', id: 'recap-modifier', text: 'Modifier mon choix' });
  const form = doc.h('form', {
    id: 'cast-form', method: 'post', action: '/scrutins/CSA-MIN/vote', hidden: true,
    'data-msg-nokey': 'Reconnectez-vous pour voter.',
    'data-msg-failed': 'Le bulletin n’a pas pu être chiffré.',
    'data-msg-busy': 'Chiffrement…',
  }, [
    doc.h('script', { type: 'application/json', id: 'ballot-params', text: typeof params === 'string' ? params : JSON.stringify(params) }),
    doc.h('input', { type: 'hidden', name: 'csrf', value: 'jeton-csrf' }),
    doc.h('input', { type: 'hidden', name: 'bulletin', id: 'bulletin' }),
    doc.h('section', { id: 'recap' }, [
      doc.h('h2', { id: 'recap-titre', tabindex: '-1', text: 'Récapitulatif' }),
      doc.h('strong', { id: 'recap-choix' }),
      doc.h('p', { id: 'cast-error', role: 'alert', hidden: true }),
      ...(status ? [doc.h('p', { id: 'cast-status', role: 'status' })] : []),
      modifier,
      confirm,
    ]),
  ]);
  if (choice) doc.body.children.push(choixForm);
  doc.body.children.push(form);
  return {
    doc, form, choixForm, radios, modifier, button: confirm,
    bulletin: doc.getElementById('bulletin'), error: doc.getElementById('cast-error'),
    choixErreur: doc.getElementById('choix-erreur'), recapChoix: doc.getElementById('recap-choix'),
    recapTitre: doc.getElementById('recap-titre'),
  };
}

/** Picks choice i and validates it: the page shows the summary. */
function choose(page, i) {
  page.radios[i].pick();
  const event = page.choixForm.userSubmit();
  assert.equal(event.defaultPrevented, true, 'the choice step never submits');
  assert.equal(page.choixForm.submitted, undefined);
  return event;
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

describe('choice step', () => {
  test('shown by the script; the cast form stays hidden', () => {
    const page = castPage();
    start(page.doc, loggedInStorage().st);
    assert.equal(page.choixForm.hidden, false);
    assert.equal(page.form.hidden, true);
  });

  test('no choice: nothing submitted, the message shown, the radios marked and the first focused', () => {
    const page = castPage();
    const { st } = loggedInStorage();
    const { queue } = start(page.doc, st);
    const event = page.choixForm.userSubmit();
    assert.equal(event.defaultPrevented, true);
    assert.equal(page.choixForm.submitted, undefined);
    assert.equal(page.choixErreur.hidden, false);
    assert.equal(page.choixErreur.textContent, NONE);
    for (const r of page.radios) assert.equal(r.getAttribute('aria-invalid'), 'true');
    assert.equal(page.doc.activeElement, page.radios[0]);
    assert.equal(page.form.hidden, true, 'no summary without a choice');
    assert.equal(page.choixForm.hidden, false);
    assert.equal(queue.length, 0);
    assert.equal(page.form.submitCount, 0);

    // Then a choice: the message and the marks go away.
    choose(page, 4);
    assert.equal(page.choixErreur.hidden, true);
    for (const r of page.radios) assert.equal(r.getAttribute('aria-invalid'), null);
  });

  test('a choice: the summary shows its label and takes the focus', () => {
    const page = castPage();
    start(page.doc, loggedInStorage().st);
    choose(page, 2);
    assert.equal(page.recapChoix.textContent, 'Liste 3');
    assert.equal(page.choixForm.hidden, true);
    assert.equal(page.form.hidden, false);
    assert.equal(page.doc.activeElement, page.recapTitre);
    assert.equal(page.form.submitCount, 0, 'nothing cast before the confirmation');
  });

  test('"Modifier mon choix" goes back to the choice, focused on the checked radio', () => {
    const page = castPage();
    start(page.doc, loggedInStorage().st);
    choose(page, 2);
    page.modifier.click();
    assert.equal(page.form.hidden, true);
    assert.equal(page.choixForm.hidden, false);
    assert.equal(page.doc.activeElement, page.radios[2]);
    assert.equal(page.radios[2].checked, true, 'the choice is kept');
    choose(page, 10);
    assert.equal(page.recapChoix.textContent, 'Vote blanc');
    assert.equal(page.form.hidden, false);
  });
});

describe('cast form', () => {
  test('encrypts, proves and signs the chosen selection, then submits the ballot and the CSRF token only', () => {
    const page = castPage(exampleParams(), { status: true });
    const { doc, form, button, bulletin, error } = page;
    const { st, secrets } = loggedInStorage();
    const { queue } = start(doc, st, { rng: seededRng('a') });
    choose(page, 2);
    const event = form.userSubmit();
    assert.equal(event.defaultPrevented, true);
    // Busy until the scheduled work runs.
    assert.equal(button.disabled, true);
    assert.equal(button.textContent, 'Chiffrement…');
    assert.equal(page.modifier.disabled, true);
    assert.equal(form.getAttribute('aria-busy'), 'true');
    assert.equal(doc.getElementById('cast-status').textContent, 'Chiffrement…');
    assert.equal(queue.length, 1);
    // A second click while busy does nothing; nor does "Modifier".
    assert.equal(form.userSubmit().defaultPrevented, true);
    assert.equal(queue.length, 1);
    page.modifier.click();
    assert.equal(form.hidden, false);

    queue.shift()();
    assert.equal(form.submitCount, 1);
    assert.equal(error.hidden, true);
    assert.deepEqual(Object.keys(form.submitted).sort(), ['bulletin', 'csrf']);
    assert.equal(form.submitted.csrf, 'jeton-csrf');
    const { protocolParams } = readParams(exampleParams({ selection: oneHot(2) }));
    const ballot = codec.decodeBallot(form.submitted.bulletin, protocolParams);
    assert.ok(verifyBallot(protocolParams, ballot).ok);
    assert.equal(bulletin.value, form.submitted.bulletin);
    // The ballot is the one of choice 2 (same randomness, same ballot).
    const expected = prepareBallot(exampleParams({ selection: oneHot(2) }), secrets['CSA-MIN'], seededRng('a'));
    assert.equal(form.submitted.bulletin, expected.ballotJson);
    // The signing key stays until the portal's receipt page forgets it.
    assert.notEqual(st.getItem('isoloir:sk:demo-2026:CSA-MIN'), null);
  });

  test('changing the choice after "Modifier" changes the ballot', () => {
    const page = castPage();
    const { st, secrets } = loggedInStorage();
    const { queue } = start(page.doc, st, { rng: seededRng('b') });
    choose(page, 2);
    page.modifier.click();
    choose(page, 10);
    page.form.userSubmit();
    queue.shift()();
    assert.equal(page.form.submitCount, 1);
    const blank = prepareBallot(exampleParams({ selection: oneHot(10) }), secrets['CSA-MIN'], seededRng('b'));
    const first = prepareBallot(exampleParams({ selection: oneHot(2) }), secrets['CSA-MIN'], seededRng('b'));
    assert.equal(page.form.submitted.bulletin, blank.ballotJson);
    assert.notEqual(page.form.submitted.bulletin, first.ballotJson);
  });

  test('the posted form never contains the choice', () => {
    for (const i of [0, 5, 10]) {
      const page = castPage();
      const { queue } = start(page.doc, loggedInStorage().st);
      choose(page, i);
      page.form.userSubmit();
      queue.shift()();
      assert.deepEqual(Object.keys(page.form.submitted).sort(), ['bulletin', 'csrf']);
      assert.ok(!('choix' in page.form.submitted));
      // The radios are outside the posted form.
      assert.ok(!Array.from(page.form.descendants()).some((el) => el.getAttribute('name') === 'choix'));
      // Nothing in the ballot names the choice in clear.
      const bulletinText = page.form.submitted.bulletin;
      assert.ok(!bulletinText.includes(LABELS[i]));
      assert.ok(!/"selection"/.test(bulletinText));
    }
  });

  test('the selection comes from the radios, not from the page', () => {
    const page = castPage(exampleParams({ selection: oneHot(7) }));
    const { st, secrets } = loggedInStorage();
    const { queue } = start(page.doc, st, { rng: seededRng('c') });
    choose(page, 3);
    page.form.userSubmit();
    queue.shift()();
    const expected = prepareBallot(exampleParams({ selection: oneHot(3) }), secrets['CSA-MIN'], seededRng('c'));
    assert.equal(page.form.submitted.bulletin, expected.ballotJson);
  });

  test('a cast without a choice goes back to the choice step, nothing submitted', () => {
    const page = castPage();
    const { queue } = start(page.doc, loggedInStorage().st);
    page.form.hidden = false; // as if the summary were shown without a choice
    assert.equal(page.form.userSubmit().defaultPrevented, true);
    assert.equal(queue.length, 0);
    assert.equal(page.form.submitCount, 0);
    assert.equal(page.form.hidden, true);
    assert.equal(page.choixForm.hidden, false);
    assert.equal(page.choixErreur.textContent, NONE);
    assert.equal(page.doc.activeElement, page.radios[0]);
  });

  test('no signing key in the tab: the nokey message, nothing submitted', () => {
    const page = castPage();
    const { doc, form, button, error } = page;
    const st = new FakeStorage({ 'isoloir:sk:demo-2026:CAP-A': 'ab'.repeat(32) });
    const { queue } = start(doc, st);
    choose(page, 1);
    assert.equal(form.userSubmit().defaultPrevented, true);
    assert.equal(error.hidden, false);
    assert.equal(error.textContent, 'Reconnectez-vous pour voter.');
    assert.equal(button.disabled, false);
    assert.equal(queue.length, 0);
    assert.equal(form.submitCount, 0);
    // Back to the choice and to the summary: the old message is gone.
    page.modifier.click();
    choose(page, 1);
    assert.equal(error.hidden, true);
  });

  test('any failure: the failed message, never the exception, and the button back', () => {
    const cases = [
      () => castPage(exampleParams({ min: 2, max: 2 })), // one choice is outside min..max
      () => castPage(exampleParams({ public_key: 'AA' })),
      () => castPage(exampleParams({ choices: 0 })),
      () => castPage('{"election_id":'), // not JSON
      () => castPage('null'),
      () => castPage('[1]'),
      () => castPage(exampleParams(), { values: LABELS.map(() => '11') }), // not below choices
      () => castPage(exampleParams(), { values: LABELS.map(() => '-1') }),
      () => castPage(exampleParams(), { values: LABELS.map(() => '02') }),
      () => castPage(exampleParams(), { values: LABELS.map(() => 'on') }),
    ];
    for (const make of cases) {
      const page = make();
      const { doc, form, button, bulletin, error } = page;
      const { st } = loggedInStorage();
      const { queue } = start(doc, st);
      choose(page, 2);
      assert.equal(form.userSubmit().defaultPrevented, true);
      while (queue.length) queue.shift()();
      assert.equal(form.submitCount, 0);
      assert.equal(error.hidden, false);
      assert.equal(error.textContent, 'Le bulletin n’a pas pu être chiffré.');
      assert.equal(button.disabled, false);
      assert.equal(button.textContent, 'Voter');
      assert.equal(page.modifier.disabled, false);
      assert.equal(form.getAttribute('aria-busy'), null);
      assert.equal(bulletin.value, '');
    }
    // A corrupted stored key fails the same way.
    const page = castPage();
    const st = new FakeStorage({ 'isoloir:sk:demo-2026:CSA-MIN': 'not hex' });
    const { queue } = start(page.doc, st);
    choose(page, 2);
    page.form.userSubmit();
    while (queue.length) queue.shift()();
    assert.equal(page.form.submitCount, 0);
    assert.equal(page.error.textContent, 'Le bulletin n’a pas pu être chiffré.');
  });

  test('a cast form without a choice step cannot cast', () => {
    const page = castPage(exampleParams({ selection: oneHot(2) }), { choice: false });
    const { queue } = start(page.doc, loggedInStorage().st);
    page.form.userSubmit();
    assert.equal(queue.length, 0);
    assert.equal(page.form.submitCount, 0);
    assert.equal(page.error.hidden, false);
    assert.equal(page.error.textContent, 'Le bulletin n’a pas pu être chiffré.');
  });

  test('a storage that throws: the failed message', () => {
    const page = castPage();
    const { queue } = start(page.doc, new Error('SecurityError'));
    choose(page, 2);
    page.form.userSubmit();
    assert.equal(queue.length, 0);
    assert.equal(page.error.hidden, false);
    assert.equal(page.error.textContent, 'Le bulletin n’a pas pu être chiffré.');
  });

  test('the native submit() is used even when a control named "submit" hides it', () => {
    const page = castPage();
    const { doc, form } = page;
    let native = 0;
    doc.defaultView = { HTMLFormElement: { prototype: { submit() { native += 1; assert.equal(this, form); } } } };
    form.submit = 'a control named submit';
    const { st } = loggedInStorage();
    const { queue } = start(doc, st);
    choose(page, 2);
    form.userSubmit();
    queue.shift()();
    assert.equal(native, 1);
  });

  test('resetCast (back-forward cache) makes a busy page usable again', () => {
    const page = castPage();
    const { doc, form, button, bulletin } = page;
    const { st } = loggedInStorage();
    const { booth, queue } = start(doc, st, { schedule: () => {} });
    choose(page, 2);
    form.userSubmit();
    assert.equal(button.disabled, true);
    booth.resetCast();
    assert.equal(button.disabled, false);
    assert.equal(button.textContent, 'Voter');
    assert.equal(page.modifier.disabled, false);
    assert.equal(form.getAttribute('aria-busy'), null);
    assert.equal(bulletin.value, '');
    assert.equal(queue.length, 0);
    page.modifier.click();
    assert.equal(page.choixForm.hidden, false);
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

test('oneHot: a choice index below L, in decimal without sign or leading zero', () => {
  assert.deepEqual(choiceOneHot('0', 3), [1, 0, 0]);
  assert.deepEqual(choiceOneHot('2', 3), [0, 0, 1]);
  assert.deepEqual(choiceOneHot('99', 100)[99], 1);
  for (const bad of ['3', '-1', '01', '1.0', ' 1', '', 'on', '1e0', null, 1]) {
    assert.throws(() => choiceOneHot(bad, 3), (e) => e instanceof BoothInputError && e.field === 'choix', String(bad));
  }
  for (const bad of [0, 101, 1.5, '3', null]) {
    assert.throws(() => choiceOneHot('0', bad), (e) => e instanceof BoothInputError && e.field === 'choices', String(bad));
  }
});
