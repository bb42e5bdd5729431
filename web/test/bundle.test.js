// The built bundle (npm run build -> dist/booth.js), as the portal serves
// it: present, free of eval, and working when loaded as a classic script
// in a page (here a node:vm context with the fake DOM standing in for the
// browser's).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import vm from 'node:vm';
import nodeCrypto from 'node:crypto';

import { prepareLogin } from '../src/booth/login.js';
import { readParams } from '../src/booth/ballot.js';
import * as codec from '../src/protocol/codec.js';
import { verifyBallot } from '../src/protocol/ballot.js';
import { FakeDocument, FakeStorage, FakeEvent } from '../testing/fake-dom.js';

const BUNDLE = new URL('../dist/booth.js', import.meta.url);
const MAP = new URL('../dist/booth.js.map', import.meta.url);
const V = JSON.parse(fs.readFileSync(new URL('../../tests/vectors/crypto-v1.json', import.meta.url), 'utf8'));

function readBundle() {
  assert.ok(fs.existsSync(BUNDLE), 'dist/booth.js is missing: run `npm run build` (npm test does)');
  return fs.readFileSync(BUNDLE, 'utf8');
}

/** A window-like global for the bundle: document, sessionStorage, timers, crypto. */
function browserContext(doc, storage) {
  const ctx = {
    document: doc,
    sessionStorage: storage,
    setTimeout,
    TextEncoder, // a browser global; vm contexts have only the language built-ins
    requestAnimationFrame: (fn) => setTimeout(fn, 0),
    crypto: { getRandomValues: (a) => { nodeCrypto.randomFillSync(a); return a; } },
    listeners: {},
    addEventListener(type, fn) { (ctx.listeners[type] ||= []).push(fn); },
  };
  ctx.window = ctx;
  vm.createContext(ctx);
  return ctx;
}

async function until(cond, ms = 30000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('dist/booth.js', () => {
  test('exists with its source map, one IIFE, no eval or Function constructor', () => {
    const js = readBundle();
    assert.ok(fs.existsSync(MAP), 'dist/booth.js.map is missing');
    assert.ok(js.startsWith('(()=>{'), 'an IIFE');
    assert.ok(!js.includes('eval('), 'eval(');
    assert.ok(!/new Function\b/.test(js), 'new Function');
    assert.ok(!/\bFunction\(/.test(js), 'Function(');
    assert.ok(!/\bimport\s*\(|\bexport\s|\brequire\(/.test(js), 'no module syntax left');
    // No network access of its own.
    for (const api of ['fetch(', 'XMLHttpRequest', 'WebSocket', 'sendBeacon', 'EventSource', 'localStorage', 'indexedDB']) {
      assert.ok(!js.includes(api), api);
    }
    // No inline style (CSP style-src 'self').
    assert.ok(!/\.style\b|cssText|insertRule/.test(js), 'style');
    assert.ok(js.length < 64 * 1024, `size ${js.length}`);
  });

  test('runs in a page: login then cast', async () => {
    const js = readBundle();
    const storage = new FakeStorage();

    // Login page; the script is parsed before DOMContentLoaded.
    const login = new FakeDocument();
    login.body.children.push(login.h('form', { id: 'login-form', 'data-election': 'demo-2026', 'data-scrutins': '["CSA-MIN","CAP-A"]' }, [
      login.h('input', { id: 'cle', 'data-msg-invalid': 'invalide' }),
      login.h('p', { id: 'cle-erreur', hidden: true }),
      login.h('input', { type: 'hidden', name: 'jeton', id: 'jeton' }),
    ]));
    vm.runInContext(js, browserContext(login, storage));
    login.dispatchEvent(new FakeEvent('DOMContentLoaded'));
    const form = login.getElementById('login-form');
    login.getElementById('cle').value = 'x';
    assert.equal(form.userSubmit().defaultPrevented, true);
    assert.equal(login.getElementById('cle-erreur').textContent, 'invalide');
    login.getElementById('cle').value = '7K3QD-M9XWT-2HFRB-YP4NA';
    assert.equal(form.userSubmit().defaultPrevented, false);
    const expected = prepareLogin('7K3QD-M9XWT-2HFRB-YP4NA', 'demo-2026', ['CSA-MIN', 'CAP-A']);
    assert.deepEqual(form.submitted, { jeton: expected.token });
    assert.equal(storage.getItem('isoloir:sk:demo-2026:CSA-MIN'), expected.secrets['CSA-MIN']);

    // Vote page, already parsed when the script runs (readyState complete):
    // the choice step, then the cast form; the portal's parameters carry
    // no selection.
    const params = {
      election_id: 'demo-2026', scrutin: 'CSA-MIN', fingerprint: V.dkg.election, public_key: V.dkg.public_key,
      choices: 11, min: 1, max: 1, selection: [],
    };
    const cast = new FakeDocument();
    cast.readyState = 'complete';
    const radios = Array.from({ length: 11 }, (_, i) => cast.h('input', { type: 'radio', name: 'choix', id: `choix-${i}`, value: String(i), 'data-label': i === 10 ? 'Vote blanc' : `Liste ${i + 1}` }));
    cast.body.children.push(
      cast.h('form', { id: 'choix-form', hidden: true, 'data-msg-none': 'none' }, [
        cast.h('p', { id: 'choix-erreur', hidden: true }),
        ...radios,
        cast.h('button', { type: 'submit', text: 'Valider mon choix' }),
      ]),
      cast.h('form', { id: 'cast-form', hidden: true, 'data-msg-nokey': 'nokey', 'data-msg-failed': 'failed', 'data-msg-busy': 'busy' }, [
        cast.h('script', { type: 'application/json', id: 'ballot-params', text: JSON.stringify(params) }),
        cast.h('input', { type: 'hidden', name: 'csrf', value: 'c' }),
        cast.h('input', { type: 'hidden', name: 'bulletin', id: 'bulletin' }),
        cast.h('h2', { id: 'recap-titre', tabindex: '-1' }),
        cast.h('strong', { id: 'recap-choix' }),
        cast.h('button', { type: 'button', id: 'recap-modifier', text: 'Modifier' }),
        cast.h('button', { type: 'submit', id: 'recap-confirmer', text: 'Voter' }),
        cast.h('p', { id: 'cast-error', role: 'alert', hidden: true }),
      ]),
    );
    const ctx = browserContext(cast, storage);
    vm.runInContext(js, ctx);
    const choixForm = cast.getElementById('choix-form');
    const castForm = cast.getElementById('cast-form');
    assert.equal(choixForm.hidden, false);
    assert.equal(choixForm.userSubmit().defaultPrevented, true);
    assert.equal(cast.getElementById('choix-erreur').textContent, 'none');
    radios[2].pick();
    assert.equal(choixForm.userSubmit().defaultPrevented, true);
    assert.equal(castForm.hidden, false);
    assert.equal(cast.getElementById('recap-choix').textContent, 'Liste 3');
    assert.equal(castForm.userSubmit().defaultPrevented, true);
    assert.equal(castForm.getAttribute('aria-busy'), 'true');
    await until(() => castForm.submitCount === 1 || !cast.getElementById('cast-error').hidden);
    assert.equal(cast.getElementById('cast-error').hidden, true);
    assert.deepEqual(Object.keys(castForm.submitted).sort(), ['bulletin', 'csrf']);
    const { protocolParams } = readParams({ ...params, selection: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0] });
    assert.ok(verifyBallot(protocolParams, codec.decodeBallot(castForm.submitted.bulletin, protocolParams)).ok);
    assert.equal(ctx.listeners.pageshow.length, 1);

    // Receipt page: the scrutin's key is forgotten.
    const receipt = new FakeDocument();
    receipt.readyState = 'interactive';
    receipt.body.children.push(receipt.h('p', { 'data-forget-scrutin': 'CSA-MIN', 'data-election': 'demo-2026' }));
    vm.runInContext(js, browserContext(receipt, storage));
    assert.deepEqual(Object.keys(storage.entries()), ['isoloir:sk:demo-2026:CAP-A']);
  });
});

describe('dist/verify.js (the credential check page only)', () => {
  test('exists, one IIFE, no eval; its only request is fetch, no storage, no inline style', () => {
    const url = new URL('../dist/verify.js', import.meta.url);
    assert.ok(fs.existsSync(url), 'dist/verify.js is missing: run `npm run build`');
    const js = fs.readFileSync(url, 'utf8');
    assert.ok(js.startsWith('(()=>{'), 'an IIFE');
    assert.ok(!js.includes('eval(') && !/new Function\b/.test(js), 'eval');
    for (const api of ['XMLHttpRequest', 'WebSocket', 'sendBeacon', 'EventSource', 'localStorage', 'sessionStorage', 'indexedDB']) {
      assert.ok(!js.includes(api), api);
    }
    assert.ok(js.includes('/api/v1/identifiants-utilises'), 'asks the portal\'s own API');
    assert.ok(!/\.style\b|cssText|insertRule/.test(js), 'style');
  });
});
