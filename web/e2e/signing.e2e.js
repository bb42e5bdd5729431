// The BVE members sign in a real browser (issue 5 §3 and §7, docs/seal.md and
// docs/pv.md "In the browser"): after a key ceremony whose six holders got
// passphrase-protected fragment files (v2, by `key-holder ceremony`), the
// organiser prepares the seal on /bve/scellement; the président and a délégué
// log in with password and TOTP, load their fragment file, type its
// passphrase, and approve the seal on /bve/signatures (a wrong passphrase
// first: a clear error); the election is sealed, and `isoloir seal check`
// agrees. Then the count by CLI, `isoloir pv`, and both sign a PV in the
// browser. The passphrase and the fragment never leave the page (every POST
// body is checked). axe-core: 0 violations on every new page.
//
// Run: cd web && npm run build && node --test e2e/signing.e2e.js, or
// tests/web/browser_e2e.sh ISOLOIR SOURCE signing. Environment as portal.e2e.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  WEB, ISOLOIR, CHROMIUM, ARTIFACTS, ELECTION, CHROMIUM_ARGS, axeViolations, serveClosedElection, invitationCodes, cliHolder, stopAll,
  addStaff as addStaffWith, logIn as logInWith,
} from './common.js';

let dir;
let data;
let server;
let baseURL;
let browser;
const children = [];

const isoloir = (args, opts = {}) => execFileSync(ISOLOIR, args, { env: { ...process.env, ISOLOIR_DATA: data }, encoding: 'utf8', ...opts });
const passphraseOf = (j) => `phrase de passe du fragment ${j}, assez longue`;

const addStaff = (role, id) => addStaffWith(isoloir, role, id);

async function axe(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `signing-${name}.png`), fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${name}`);
}

const logIn = (account) => logInWith(browser, baseURL, account);

/** Signs the document of form `#id` on /bve/signatures with fragment j; waits for the server's answer. */
async function sign(page, id, j, passphrase = passphraseOf(j)) {
  await page.setInputFiles(`#${id}-fragment`, path.join(dir, `holder-${j}/fragment-${j}.json`));
  await page.fill(`#${id}-phrase`, passphrase);
  await page.click(`#${id} button[type=submit]`, { timeout: 240000 });  // argon2id holds the thread
  if (passphrase === passphraseOf(j)) await page.locator('p.succes[role=status]').waitFor({ state: 'visible', timeout: 120000 });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-signing-e2e-'));
  // A vote already closed (the count follows), no ceremony yet, no seal.
  ({ data, baseURL, server } = await serveClosedElection(dir, ['--pv-dir', path.join(dir, 'pv')]));
  // The key ceremony by relay: six holders by CLI, each fragment v2 sealed with a passphrase.
  const codes = invitationCodes(isoloir(['ceremony', 'open', '--election', ELECTION]));
  for (let j = 1; j <= 6; j++) children.push(cliHolder(baseURL, dir, j, codes[j], passphraseOf(j)));
  for (let i = 0; ; i++) {
    const st = await (await fetch(`${baseURL}/api/v1/ceremonie`)).json();
    if (st.finished.length === 6) break;
    assert.ok(i < 900, `holders did not finish: ${children.map((c) => c.log).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  isoloir(['ceremony', 'close', '--election', ELECTION]);
  for (const c of children) {
    if (c.exitCode === null) await new Promise((r) => c.once('exit', r));
    assert.equal(c.exitCode, 0, c.log);
  }
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'holder-1/fragment-1.json'), 'utf8')).format, 'isoloir/fragment/v2');
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(() => stopAll({ children, browser, server, dir }));

test('organiser prepares, président and délégué approve the seal in Chromium, then sign a PV', { timeout: 900000 }, async () => {
  const orga = addStaff('organisateur', 'orga');
  const president = addStaff('president', 'president');
  const delegue = addStaff('delegue', 'delegue-snad');

  // The organiser prepares the seal.
  const o = await logIn(orga);
  await o.goto('/bve/scellement');
  assert.match(await o.textContent('main'), /Aucun scellement/);
  await axe(o, 'scellement-vide');
  await Promise.all([o.waitForURL('**/bve/scellement/preparer', { waitUntil: 'load' }), o.click('form[action="/bve/scellement/preparer"] button')]);
  assert.match(await o.textContent('main'), /Scellement préparé/);
  assert.match(await o.textContent('main'), /binary\/isoloir/);
  assert.match(await o.textContent('main'), /pas encore scellée/);
  await axe(o, 'scellement-prepare');
  const digest = (await o.textContent('dl.recu dd code')).trim();
  assert.match(digest, /^[0-9a-f]{64}$/);

  // The président: a wrong passphrase first, then the right one.
  const p = await logIn(president);
  await p.goto('/bve/signatures');
  assert.equal(await p.getAttribute('#scellement', 'data-digest'), digest);
  await axe(p, 'signatures');
  await sign(p, 'scellement', 1, 'pas la bonne phrase de passe');
  await p.locator('#scellement-erreur').waitFor({ state: 'visible', timeout: 120000 });
  assert.match(await p.textContent('#scellement-erreur'), /phrase de passe incorrecte/);
  assert.equal(await p.evaluate(() => document.activeElement.id), 'scellement-erreur');
  await axe(p, 'signatures-erreur');
  // The délégué's fragment in the président's browser: refused before any decryption.
  await p.setInputFiles('#scellement-fragment', path.join(dir, 'holder-3/fragment-3.json'));
  await p.fill('#scellement-phrase', passphraseOf(3));
  await p.click('#scellement button[type=submit]');
  await p.waitForFunction(() => /appartient à delegue-snad/.test(document.getElementById('scellement-erreur').textContent));
  await sign(p, 'scellement', 1);
  assert.match(await p.textContent('main'), /approbation est vérifiée et enregistrée/);
  assert.match(await p.textContent('main'), /Vous avez signé ce document/);

  // The délégué seals.
  const d = await logIn(delegue);
  await d.goto('/bve/signatures');
  await sign(d, 'scellement', 3);
  assert.match(await d.textContent('main'), /l'élection est scellée/);
  await d.goto('/bve/scellement');
  assert.match(await d.textContent('main'), /L'élection est scellée/);
  await Promise.all([d.waitForURL('**/bve/scellement/verifier', { waitUntil: 'load' }), d.click('form[action="/bve/scellement/verifier"] button')]);
  assert.match(await d.textContent('#verification'), /Vérification réussie/);
  await axe(d, 'scellement-verifie');
  // The CLI agrees: every component as sealed.
  assert.match(isoloir(['seal', 'check', '--election', ELECTION, '--assets', path.join(WEB, 'dist')]), /every component is as sealed/);

  // The count by CLI, then the PVs, signed in the browser.
  const tally = path.join(dir, 'tally.json');
  isoloir(['tally', 'prepare', '--election', ELECTION, '--out', tally]);
  const partials = [];
  for (const j of [1, 2, 3]) {
    const out = path.join(dir, `partial-${j}.json`);
    isoloir(['key-holder', 'decrypt', '--fragment', path.join(dir, `holder-${j}/fragment-${j}.json`), '--tally', tally,
      '--out', out, '--passphrase-file', path.join(dir, `pass-${j}`)]);
    partials.push('--partial', out);
  }
  const results = path.join(dir, 'results.json');
  isoloir(['tally', 'combine', '--election', ELECTION, '--tally', tally, ...partials, '--out', results]);
  isoloir(['pv', '--election', ELECTION, '--results', results, '--out', path.join(dir, 'pv')]);
  const pdf = fs.readFileSync(path.join(dir, 'pv/pv-election.pdf'));
  const sha = crypto.createHash('sha256').update(pdf).digest('hex');
  for (const [page, j] of [[p, 1], [d, 3]]) {
    await page.goto('/bve/signatures');
    const id = await page.locator(`form.signer[data-digest="${sha}"]`).getAttribute('id');
    const link = page.locator(`#${id}-titre ~ dl a`);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.deepEqual(fs.readFileSync(await download.path()), pdf);
    await sign(page, id, j);
    assert.match(await page.textContent('main'), /signature du procès-verbal est vérifiée/);
  }
  await axe(d, 'signatures-pv');
  // The PV's section lists both signatures, read back from the audit log.
  const signed = await d.locator(`section:has(form.signer[data-digest="${sha}"]), section:has(a[href="/bve/pv?fichier=pv-election.pdf"])`).first().textContent();
  assert.match(signed, /president/);
  assert.match(signed, /delegue-snad/);

  // Nothing secret was posted: no passphrase, no fragment.
  for (const page of [o, p, d]) {
    for (const body of page.posts) {
      for (let j = 1; j <= 6; j++) {
        assert.ok(!body.includes(encodeURIComponent(passphraseOf(j)).slice(0, 20)) && !body.includes(passphraseOf(j)), 'a passphrase was posted');
        const f = JSON.parse(fs.readFileSync(path.join(dir, `holder-${j}/fragment-${j}.json`), 'utf8'));
        assert.ok(!body.includes(f.ciphertext) && !body.includes(encodeURIComponent(f.ciphertext)), 'a fragment was posted');
      }
    }
    assert.deepEqual(page.problems, []);
  }
  assert.ok(p.posts.some((b) => b.includes('signature=')), 'the président posted a signature');
});
