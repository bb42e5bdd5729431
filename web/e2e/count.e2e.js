// The count in a real browser (issue 5 §3, docs/counting.md "In the browser"):
// after a vote, the président prepares the count on /bve/depouillement, three
// key holders (the threshold) give their partial decryption from
// /bve/dechiffrement (computed in Chromium, posted to the server; fragment
// and passphrase never leave the tab), the président combines, writes the
// PVs, is refused publication until the PVs are signed, the président and
// the délégué sign every PV on /bve/signatures (in Chromium, with their
// fragment), the président publishes, and /resultats shows the figures.
// axe-core (0 violations) on every page, before and after.
//
// Run: cd web && npm run build && node --test e2e/count.e2e.js, or
// tests/web/browser_e2e.sh ISOLOIR SOURCE count. Environment as ceremony.e2e.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { sealFragment } from '../src/protocol/fragment.js';
import { fromBase64Url } from '../src/protocol/bytes.js';
import {
  ARTIFACTS, CAST, CHROMIUM, CHROMIUM_ARGS, ISOLOIR, ROOT, WEB, axe as scan, freePort, startServer, totp,
} from './common.js';

const ELECTION = 'demo-2026';
// The threshold: fragment 1 (président), 2 (secrétaire), 3 (délégué SNAD).
const HOLDERS = [
  { j: 1, role: 'president', id: 'president' },
  { j: 2, role: 'secretaire', id: 'secretaire' },
  { j: 3, role: 'delegue', id: 'delegue-snad' },
];
// The lightest argon2id a fragment reader accepts, to keep the test short.
const LIGHT = { opslimit: 2, memlimit: 67108864 };

let dir;
let data;
let server;
let baseURL;
let browser;
let expected;

const isoloir = (args) => execFileSync(ISOLOIR, args, { env: { ...process.env, ISOLOIR_DATA: data }, encoding: 'utf8' });

function addStaff(role, id) {
  const out = isoloir(['staff', 'add', '--election', ELECTION, '--role', role, '--id', id]);
  return { id, password: out.match(/Mot de passe initial[^:]*: (\S+)/)[1], secret: out.match(/Secret TOTP \(base32\) : (\S+)/)[1] };
}

const axe = (page, name) => scan(page, ARTIFACTS, `count-${name}`);

/** A browser logged in as `account`, with every request body it sends. */
async function logIn(account) {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR' });
  const page = await context.newPage();
  page.problems = [];
  page.posts = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (404|409)/.test(m.text())) page.problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => { page.posts.push(`${r.url()} ${r.postData() || ''}`); });
  await page.goto('/bve');
  await page.fill('#bve_identifiant', account.id);
  await page.fill('#bve_mot_de_passe', account.password);
  await page.fill('#bve_code', totp(account.secret, Math.floor(Date.now() / 1000)));
  await Promise.all([page.waitForURL('**/bve/accueil'), page.click('main form button[type=submit]')]);
  return page;
}

// Each action's answer is a page at the action's URL (always another one than the current).
async function act(page, action) {
  await Promise.all([page.waitForURL(`**/bve/depouillement/${action}`, { waitUntil: 'load' }),
    page.click(`form[action="/bve/depouillement/${action}"] button`)]);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-count-e2e-'));
  data = path.join(dir, 'data');
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  // A sealed election (local key ceremony, v1 fragments), closed an hour ago.
  execFileSync('bash', [path.join(ROOT, 'scripts/portal-fixture.sh'), ISOLOIR, data, '6'], {
    env: { ...process.env, ISOLOIR_DB: 'sqlite', ISOLOIR_FIXTURE_OPENING: '-2 days', ISOLOIR_FIXTURE_CLOSING: '-1 hour' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  expected = execFileSync(CAST, [data, path.join(data, 'identifiants.csv')], { encoding: 'utf8' });
  // Each holder's fragment as the ceremony in the browser or `key-holder
  // ceremony` writes it: v2, sealed with their passphrase.
  for (const h of HOLDERS) {
    const v1 = JSON.parse(fs.readFileSync(path.join(data, `fragments/fragment-${h.j}.json`), 'utf8'));
    h.passphrase = `phrase de passe de ${h.id}, assez longue`;
    h.secretShare = v1.share;
    h.fragment = path.join(dir, `fragment-v2-${h.j}.json`);
    const v2 = sealFragment(v1, fromBase64Url(v1.share), h.passphrase, { limits: LIGHT });
    h.ciphertext = v2.ciphertext;
    fs.writeFileSync(h.fragment, JSON.stringify(v2, null, 2));
    h.account = addStaff(h.role, h.id);
  }
  server = await startServer(ISOLOIR, data, port, ['--election', ELECTION, '--assets', path.join(WEB, 'dist')]);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (dir && !process.env.E2E_KEEP_DATA) fs.rmSync(dir, { recursive: true, force: true });
});

test('from the closed vote to the published PVs, in Chromium', { timeout: 600000 }, async () => {
  const resultsPage = await browser.newPage({ baseURL, locale: 'fr-FR' });
  await resultsPage.goto('/resultats');
  await axe(resultsPage, 'resultats-before');

  const president = await logIn(HOLDERS[0].account);
  await president.goto('/bve/depouillement');
  await axe(president, 'depouillement-closed');
  await act(president, 'preparer');
  assert.match(await president.textContent('main'), /Dépouillement préparé/);
  await axe(president, 'depouillement-prepared');
  // Combine below the threshold: refused, said, nothing changed.
  await act(president, 'combiner');
  assert.match(await president.textContent('#resume-erreurs'), /0 partial decryption\(s\) given, 3 needed/);
  assert.ok(!fs.existsSync(path.join(data, 'count/results.json')));

  // The three holders, each in their own browser.
  for (const h of HOLDERS) {
    const page = h.j === 1 ? president : await logIn(h.account);
    h.page = page;
    await page.goto('/bve/dechiffrement');
    await axe(page, `dechiffrement-${h.j}`);
    await page.setInputFiles('#fragment', h.fragment);
    await page.fill('#phrase', h.passphrase);
    await page.click('#dechiffrement button[type=submit]', { timeout: 240000 });  // argon2id holds the thread
    await page.waitForFunction(() => /reçu et vérifié/.test(document.getElementById('dechiffrement-etat').textContent)
      || !document.getElementById('dechiffrement-erreur').hidden, null, { timeout: 240000 });
    assert.equal(await page.isHidden('#dechiffrement-erreur'), true, await page.textContent('#dechiffrement-erreur'));
    assert.match(await page.textContent('#dechiffrement-resume'), /CSA-MIN/);
    await axe(page, `dechiffrement-${h.j}-done`);
    // The fragment and the passphrase never left the tab.
    for (const p of page.posts) {
      assert.ok(!p.includes(h.passphrase), 'the passphrase was sent');
      assert.ok(!p.includes(h.ciphertext), 'the sealed fragment was sent');
      assert.ok(!p.includes(h.secretShare), 'the share was sent');
    }
    assert.ok(page.posts.some((p) => p.includes('isoloir/partial/v1')), 'no partial decryption posted');
    assert.deepEqual(page.problems, []);
    assert.ok(fs.existsSync(path.join(data, `count/partials/partial-${h.j}.json`)));
  }

  await president.goto('/bve/depouillement');
  assert.match(await president.textContent('main'), /3 déchiffrement\(s\) partiel\(s\) reçu\(s\) ; 3/);
  await act(president, 'combiner');
  assert.match(await president.textContent('main'), /Suffrages exprimés/);
  await axe(president, 'depouillement-results');
  const results = JSON.parse(fs.readFileSync(path.join(data, 'count/results.json'), 'utf8'));
  for (const line of expected.trim().split('\n')) {
    const [code, counts] = line.split(' ');
    const s = results.scrutins.find((x) => x.scrutin === code);
    assert.deepEqual(s.counts, counts.split(',').map(Number), code);
  }
  await act(president, 'pv');
  assert.match(await president.textContent('main'), /pv-election\.pdf/);
  await act(president, 'publier');
  assert.match(await president.textContent('#resume-erreurs'), /not signed yet/);
  await axe(president, 'depouillement-unsigned');

  // Every PV signed by the président and the délégué in their browsers
  // (/bve/signatures): the PDF's SHA-256 signed with their fragment.
  const pvs = fs.readdirSync(path.join(data, 'count/pv')).filter((f) => f.endsWith('.pdf'));
  assert.ok(pvs.length >= 2);
  for (const h of [HOLDERS[0], HOLDERS[2]]) {
    const page = h.page;
    for (const file of pvs) {
      const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(data, 'count/pv', file))).digest('hex');
      await page.goto('/bve/signatures');
      const id = await page.locator(`form.signer[data-digest="${sha}"]`).getAttribute('id');
      await page.setInputFiles(`#${id}-fragment`, h.fragment);
      await page.fill(`#${id}-phrase`, h.passphrase);
      await page.click(`#${id} button[type=submit]`, { timeout: 240000 });  // argon2id holds the thread
      await page.locator('p.succes[role=status]').waitFor({ state: 'visible', timeout: 120000 });
      assert.match(await page.textContent('main'), /signature du procès-verbal est vérifiée/, `${h.id} ${file}`);
    }
    await axe(page, `signatures-${h.j}`);
    for (const p of page.posts) {
      assert.ok(!p.includes(h.passphrase), 'the passphrase was sent');
      assert.ok(!p.includes(h.ciphertext), 'the sealed fragment was sent');
    }
    assert.deepEqual(page.problems, []);
  }
  await president.goto('/bve/depouillement');
  await act(president, 'publier');
  assert.match(await president.textContent('main'), /sont publiés/);
  await axe(president, 'depouillement-published');
  assert.deepEqual(president.problems, []);

  await resultsPage.goto('/resultats');
  const shown = await resultsPage.textContent('main');
  for (const line of expected.trim().split('\n')) {
    const votants = line.split(' ')[1].split(',').map(Number).reduce((a, b) => a + b, 0);
    assert.match(shown, new RegExp(`Votants\\s*${votants}\\b`), `${line}: ${shown}`);
  }
  await axe(resultsPage, 'resultats-after');
  // The seal was checked at closing by the portal itself.
  assert.match(isoloir(['audit', 'verify', '--election', ELECTION]), /seal\.check/);
});
