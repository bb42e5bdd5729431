// End-to-end and accessibility tests of the voter portal in a real browser
// (issue 4 §4): Debian's Chromium driven by playwright-core, against
// `isoloir serve` on a fresh demo election (scripts/portal-fixture.sh).
// Every page visited is scanned by axe-core (WCAG 2.0/2.1 A and AA: zero
// violations) and saved as a screenshot in $E2E_ARTIFACTS.
//
// Run: cd web && npm run e2e, or tests/web/portal_e2e.sh ISOLOIR [SOURCE].
// Environment: ISOLOIR_BIN (default build/release/src/cli/isoloir),
// CHROMIUM (default /usr/bin/chromium), E2E_ARTIFACTS (default
// build/e2e-artifacts), E2E_KEEP_DATA=1 keeps the data folder, E2E_AXE_ALL=1
// lists every page's axe violations at the end instead of stopping at the
// first (the run fails all the same).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { WEB, ROOT, ISOLOIR, CHROMIUM, ARTIFACTS, AXE_SOURCE, AXE_TAGS, ELECTION, CHROMIUM_ARGS, freePort, totp, readVoters } from './common.js';

let dataDir;
let server;
let serverLog = '';
let baseURL;
let browser;
let voters;
let shot = 0;
const scanned = []; // every page scanned by axe: [name, url]
const axeFailures = []; // { name, url, violations }

// ---------------------------------------------------------------- helpers

async function waitForServer(url, ms = 30000) {
  const end = Date.now() + ms;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`isoloir serve exited (${server.exitCode}):\n${serverLog}`);
    try {
      const r = await fetch(`${url}/sante`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`isoloir serve did not answer on ${url} within ${ms} ms:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh browser context (its own cookies and sessionStorage). */
async function newPage({ width = 1024, height = 800, bypassCSP = true, locale = 'fr-FR' } = {}) {
  const context = await browser.newContext({ baseURL, bypassCSP, viewport: { width, height }, locale, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  page.enforcesCSP = !bypassCSP;
  // Anything the page reports as a failure (a CSP refusal, an exception).
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.problems.push(`console: ${m.text()}`);
  });
  return page;
}

function slug(name) {
  return name.normalize('NFD').replace(/\p{M}/gu, '').replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}

/** axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    if (page.enforcesCSP) {
      // Under the portal's real CSP (script-src 'self') an inline script is
      // refused: evaluate axe through the DevTools protocol instead, which
      // the page's CSP does not govern.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Runtime.evaluate', { expression: AXE_SOURCE });
      await cdp.detach();
    } else {
      await page.addScriptTag({ content: AXE_SOURCE });
    }
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  }, AXE_TAGS);
}

/** Screenshot in ARTIFACTS, then an axe-core scan that must find no WCAG 2.0/2.1 A or AA violation. */
async function check(page, name) {
  shot += 1;
  const file = path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const violations = await axeViolations(page);
  scanned.push([name, new URL(page.url()).pathname]);
  if (violations.length) axeFailures.push({ name, url: page.url(), violations });
  // E2E_AXE_ALL=1: go on and list every page's violations at the end (the run still fails).
  if (process.env.E2E_AXE_ALL) return;
  assert.deepEqual(violations, [], `axe on "${name}" (${page.url()}):\n${JSON.stringify(violations, null, 2)}`);
}

async function text(page, selector) {
  return (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
}

async function submitAndWait(page, click, urlPattern) {
  await Promise.all([page.waitForURL(urlPattern, { waitUntil: 'load' }), click()]);
}

async function fillLogin(page, v, { password = v.mot_de_passe, key = v.cle } = {}) {
  await page.fill('#matricule', v.matricule);
  await page.fill('#naissance', v.naissance);
  await page.fill('#cle', key);
  await page.fill('#mot_de_passe', password);
}

async function login(page, v, opts = {}) {
  await page.goto('/');
  await fillLogin(page, v, opts);
  await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/scrutins');
}

async function sessionKeys(page) {
  return page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('isoloir:sk:')).sort());
}

/** The scrutin's state on the list ("À voter" / "A voté"). */
async function scrutinState(page, title) {
  const li = page.locator('li.scrutin', { has: page.locator('h2', { hasText: title }) });
  return (await li.locator('.etat').innerText()).trim();
}

async function scrutinTitles(page) {
  return page.locator('li.scrutin h2').allInnerTexts();
}

/** { code: title } of the scrutins the voter can still vote in. */
async function scrutinCodes(page) {
  return page.evaluate(() => {
    const out = {};
    for (const li of document.querySelectorAll('li.scrutin')) {
      const a = li.querySelector('a[href^="/scrutins/"]');
      if (a) out[a.getAttribute('href').slice('/scrutins/'.length)] = li.querySelector('h2').innerText;
    }
    return out;
  });
}

/** The focused element's identity and whether its focus indicator shows. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      type: el.getAttribute('type'),
      name: el.getAttribute('name'),
      href: el.getAttribute('href'),
      text: (el.innerText || el.value || '').trim().slice(0, 60),
      checked: el.checked === true,
      outline: `${cs.outlineStyle} ${cs.outlineWidth}`,
      visibleOutline: cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2,
    };
  });
}

/** Tab (at most `max` times) until `want(focused)`; every stop must show its focus. */
async function tabTo(page, want, what, max = 30) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.tag !== 'body') assert.ok(f.visibleOutline, `focus not visible on ${JSON.stringify(f)}`);
    if (want(f)) return f;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The accessible name and description Chromium computes for an element (what a screen reader says). */
async function accessible(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `no ${selector}`);
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
    const node = nodes[0];
    const value = (k) => ((node[k] && node[k].value) || '').replace(/\s+/g, ' ').trim();
    const prop = (k) => (node.properties || []).find((x) => x.name === k);
    return { role: value('role'), name: value('name'), description: value('description'), invalid: prop('invalid') ? prop('invalid').value.value : 'false' };
  } finally {
    await cdp.detach();
  }
}

/** Every visible form control has an accessible name. */
async function allControlsNamed(page) {
  const ids = await page.evaluate(() => Array.from(document.querySelectorAll('input:not([type=hidden]), button, select, textarea'))
    .filter((el) => el.offsetParent !== null)
    .map((el, i) => {
      if (!el.id) el.id = `e2e-control-${i}`;
      return el.id;
    }));
  for (const id of ids) {
    const a = await accessible(page, `#${id}`);
    assert.ok(a.name.length > 1, `#${id} has no accessible name`);
  }
  return ids.length;
}

async function noHorizontalScroll(page, what) {
  const w = await page.evaluate(() => document.scrollingElement.scrollWidth);
  assert.ok(w <= 320, `${what}: ${w} px wide at 320 px`);
}

/** Chooses choice `label` on a vote page, validates, and returns the summary's text. */
async function chooseAndValidate(page, label) {
  await page.getByLabel(label, { exact: true }).check();
  await page.click('#choix-form button[type=submit]');
  await page.waitForSelector('#cast-form', { state: 'visible' });
  return text(page, '#recap-choix');
}

async function confirmVote(page, code) {
  await submitAndWait(page, () => page.click('#recap-confirmer'), `**/scrutins/${code}/vote`);
}

/** `isoloir staff add`: the account's initial password and TOTP secret. */
function addStaff(role, id) {
  const out = execFileSync(ISOLOIR, ['staff', 'add', '--election', ELECTION, '--role', role, '--id', id, '--data', dataDir], { encoding: 'utf8' });
  return { id, password: out.match(/Mot de passe initial[^:]*: (\S+)/)[1], secret: out.match(/Secret TOTP \(base32\) : (\S+)/)[1] };
}

// ---------------------------------------------------------------- set-up

before(async () => {
  assert.ok(fs.existsSync(ISOLOIR), `no isoloir binary at ${ISOLOIR} (set ISOLOIR_BIN)`);
  assert.ok(fs.existsSync(path.join(WEB, 'dist/booth.js')), 'no web/dist/booth.js: run npm run build (npm run e2e does)');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.endsWith('.png')) fs.rmSync(path.join(ARTIFACTS, f));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-e2e-'));
  const port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  execFileSync('bash', [path.join(ROOT, 'scripts/portal-fixture.sh'), ISOLOIR, dataDir, '12'], {
    env: { ...process.env, ISOLOIR_PORTAL_URL: baseURL }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  voters = readVoters(path.join(dataDir, 'identifiants.csv'));
  server = spawn(ISOLOIR, ['serve', '--data', dataDir, '--port', String(port), '--address', '127.0.0.1', '--assets', path.join(WEB, 'dist')], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ISOLOIR_DATA: dataDir },
  });
  process.on('exit', () => { if (server.exitCode === null) server.kill('SIGTERM'); });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  await waitForServer(baseURL);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
    assert.equal(server.exitCode, 0, `isoloir serve did not stop cleanly on SIGTERM:\n${serverLog}`);
  }
  if (dataDir && !process.env.E2E_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  console.log(`# e2e: ${shot} screenshots in ${ARTIFACTS}`);
  console.log(`# e2e: axe-core (${AXE_TAGS.join(', ')}) scanned ${scanned.length} page states: ${scanned.map(([n]) => n).join(', ')}`);
  assert.deepEqual(axeFailures, [], `axe-core violations:\n${JSON.stringify(axeFailures, null, 2)}`);
});

// The voters each test uses, so that tests do not interfere (failures,
// votes, lock-out).
const V = {}; // filled by pick()
function pick() {
  if (V.main) return;
  // The main voter votes for a list in CSA-MIN and blank in CAP-A.
  V.main = voters.find((x) => x.scrutins.includes('CSA-MIN') && x.scrutins.includes('CAP-A'));
  assert.ok(V.main, 'the fixture needs a voter in CSA-MIN and CAP-A');
  const rest = voters.filter((x) => x !== V.main && x.scrutins.includes('CSA-MIN'));
  [V.keyboard, V.narrow, V.regen, V.locked, V.logout, V.audit] = rest;
  assert.ok(V.audit, 'the fixture needs seven voters in CSA-MIN');
}

// ---------------------------------------------------------------- tests

// A guard against a hang; the whole run takes about 70 s on 2 cores.
describe('portal in Chromium', { timeout: 300000 }, () => {
  test('the axe-core scan does report violations (on a page made to have them)', async () => {
    for (const bypassCSP of [true, false]) {
      const page = await newPage({ bypassCSP });
      await page.goto('/nulle-part'); // the portal's origin and CSP
      await page.evaluate(() => {
        document.documentElement.removeAttribute('lang');
        document.querySelector('main').insertAdjacentHTML('beforeend', '<input type="text"><p style="color:#bbb">pâle</p>');
      });
      const ids = (await axeViolations(page)).map((v) => v.id).sort();
      assert.deepEqual(ids, ['html-has-lang', 'label'].concat(bypassCSP ? ['color-contrast'] : []).sort(), `bypassCSP ${bypassCSP}`);
      await page.context().close();
    }
  });

  test('public pages: login in French and English, support, privacy, tracker, 404', async () => {
    const page = await newPage();
    const r = await page.goto('/');
    assert.equal(r.status(), 200);
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Se connecter');
    // The security key field is never submitted.
    assert.equal(await page.getAttribute('#cle', 'name'), null);
    // Every field is labelled and described by its help text.
    assert.equal(await allControlsNamed(page), 5);
    assert.equal((await accessible(page, '#cle')).name, 'Code de sécurité', 'the asterisk is not read');
    assert.match((await accessible(page, '#naissance')).description, /JJ\/MM\/AAAA/);
    await check(page, 'connexion (fr)');

    await submitAndWait(page, () => page.click('nav a[hreflang=en]'), '**/?lang=en');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await text(page, 'h1'), 'Log in');
    await check(page, 'login (en)');
    // The choice is kept (cookie) on the next page.
    await page.goto('/support');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await check(page, 'support (en)');
    for (const [url, name] of [['/regeneration', 'regeneration (en)'], ['/suivi', 'tracker (en)'], ['/confidentialite', 'privacy (en)'], ['/nowhere', '404 (en)']]) {
      await page.goto(url);
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      await check(page, name);
    }
    await page.goto('/support');
    await submitAndWait(page, () => page.click('nav a[hreflang=fr]'), '**/support?lang=fr');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, 'h1'), 'Support');
    await check(page, 'support');

    await page.goto('/confidentialite');
    assert.equal(await text(page, 'h1'), 'Vos données personnelles');
    await check(page, 'confidentialite');

    await page.goto('/suivi');
    assert.equal(await text(page, 'h1'), 'Vérifier un numéro de suivi');
    await check(page, 'suivi (vide)');
    // A malformed tracker: the error is linked to its field.
    await page.fill('#suivi', 'pas-un-numero');
    await submitAndWait(page, () => page.click('main form button[type=submit]'), '**/suivi?suivi=*');
    assert.equal(await page.getAttribute('#suivi', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#suivi', 'aria-describedby'), /suivi-erreur/);
    assert.equal(await page.getAttribute('#resume-erreurs a', 'href'), '#suivi');
    await check(page, 'suivi (erreur)');
    // A well-formed tracker that is not in the urne.
    await page.fill('#suivi', 'A'.repeat(43));
    await submitAndWait(page, () => page.click('main form button[type=submit]'), '**/suivi?suivi=*');
    assert.match(await text(page, '.resultat'), /Aucun bulletin/);
    await check(page, 'suivi (absent)');

    const nf = await page.goto('/nulle-part');
    assert.equal(nf.status(), 404);
    assert.equal(await text(page, 'h1'), 'Page introuvable');
    await check(page, '404');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('login: refused without saying which field, field errors linked, an invalid key caught in the browser', async () => {
    pick();
    const v = V.main;
    const page = await newPage();
    const posts = [];
    page.on('request', (req) => { if (req.method() === 'POST') posts.push(req.postData() || ''); });
    await page.goto('/');

    // Wrong password: a generic message at the top, no field singled out.
    await fillLogin(page, v, { password: 'zzzz-zzzz-zzzz' });
    await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/connexion');
    const summary = page.locator('#resume-erreurs');
    assert.equal(await summary.getAttribute('role'), 'alert');
    assert.match(await text(page, '#resume-erreurs'), /Ces informations ne permettent pas de vous connecter/);
    // At the top: right after the page title.
    assert.equal(await page.evaluate(() => document.querySelector('main h1').nextElementSibling.id), 'resume-erreurs');
    assert.equal(await summary.locator('a').count(), 0, 'no field is named');
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'no field is marked');
    assert.equal(await page.locator('.champ-erreur').count(), 0);
    assert.equal(await page.inputValue('#matricule'), v.matricule, 'kept for a retry');
    assert.equal(await page.inputValue('#mot_de_passe'), '', 'the password is not sent back');
    assert.equal(await page.inputValue('#cle'), '');
    // The key itself never left the browser: only its token.
    assert.ok(posts.length === 1 && !posts[0].includes(v.cle.slice(0, 5)) && /jeton=[0-9a-f]{64}/.test(posts[0]));
    await check(page, 'connexion (refusée)');

    // A date that does not exist: the server's message is linked to the field.
    await fillLogin(page, { ...v, naissance: '31/02/1990' });
    await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/connexion');
    assert.equal(await page.getAttribute('#resume-erreurs a', 'href'), '#naissance');
    assert.equal(await page.getAttribute('#naissance', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#naissance', 'aria-describedby'), /naissance-erreur/);
    assert.match(await text(page, '#naissance-erreur'), /Date de naissance/);
    assert.match((await accessible(page, '#naissance')).description, /saisissez une date réelle/);
    await page.click('#resume-erreurs a');
    assert.equal((await focused(page)).id, 'naissance', 'the summary link leads to the field');
    await check(page, 'connexion (erreur de champ)');

    // An invalid key: caught in the browser, nothing sent.
    const before = posts.length;
    await fillLogin(page, v, { key: 'ABCDE-FGHIJ' });
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#cle-erreur', { state: 'visible' });
    assert.equal(posts.length, before, 'nothing was submitted');
    assert.match(await text(page, '#cle-erreur'), /20 lettres ou chiffres/);
    assert.equal(await page.getAttribute('#cle', 'aria-invalid'), 'true');
    assert.equal((await focused(page)).id, 'cle');
    // What a screen reader says on the focused field: its label, invalid, and the message.
    const cle = await accessible(page, '#cle');
    assert.match(cle.description, /20 lettres ou chiffres/);
    assert.equal(cle.invalid, 'true');
    await check(page, 'connexion (clé invalide)');

    // Corrected: logged in, the scrutin list.
    await page.fill('#cle', v.cle.toLowerCase().replace(/-/g, ' '));
    await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/scrutins');
    assert.equal(await text(page, 'h1'), 'Vos scrutins');
    assert.equal((await sessionKeys(page)).length, 3, 'a signing key for each scrutin of the election');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('vote in two scrutins (a list, then blank), receipts, tracker lookup, a second vote refused', async () => {
    pick();
    const v = V.main;
    const page = await newPage();
    const posted = [];
    page.on('request', (req) => {
      if (req.method() === 'POST' && /\/vote$/.test(req.url())) posted.push(req.postData());
    });
    await login(page, v);
    const titles = await scrutinTitles(page);
    assert.equal(titles.length, v.scrutins.length);
    const titleOf = await scrutinCodes(page);
    for (const t of titles) assert.equal(await scrutinState(page, t), 'À voter');
    assert.equal(await page.locator('main .alerte').count(), 0, 'no phase message while the vote is open');
    await check(page, 'scrutins (à voter)');

    // First scrutin: a list, after one "Modifier mon choix"; then the blank vote.
    const [first, second] = ['CSA-MIN', 'CAP-A'];
    assert.deepEqual(Object.keys(titleOf).sort(), [...v.scrutins].sort());
    const allKeys = ['CAP-A', 'CSA-MIN', 'CSA-PROX'].map((c) => `isoloir:sk:${ELECTION}:${c}`);
    assert.deepEqual(await sessionKeys(page), allKeys, 'a signing key for each scrutin of the election');
    await submitAndWait(page, () => page.click(`a[href="/scrutins/${first}"]`), `**/scrutins/${first}`);
    assert.equal(await page.isVisible('#choix-form'), true, 'the script shows the choice step');
    assert.equal(await page.isVisible('#cast-form'), false);
    const radios = page.locator('input[name=choix]');
    const n = await radios.count();
    const labels = await page.locator('#choix-form label').allInnerTexts();
    assert.ok(n >= 3);
    assert.deepEqual(JSON.parse(await page.textContent('#ballot-params')).selection, [], 'the portal does not know the choice');
    await check(page, `vote ${first} (choix)`);

    // No choice: the message, the radios marked, the focus on the first.
    await page.click('#choix-form button[type=submit]');
    await page.waitForSelector('#choix-erreur', { state: 'visible' });
    assert.match(await text(page, '#choix-erreur'), /choisissez une liste ou le vote blanc/);
    assert.equal(await radios.first().getAttribute('aria-invalid'), 'true');
    assert.equal((await focused(page)).id, 'choix-0');
    const radio0 = await accessible(page, '#choix-0');
    assert.equal(radio0.name, labels[0]);
    assert.match(radio0.description, /choisissez une liste ou le vote blanc/, 'the message is read on the focused choice');
    assert.equal(radio0.invalid, 'true');
    assert.equal(await page.isVisible('#cast-form'), false);
    await check(page, `vote ${first} (aucun choix)`);

    assert.equal(await chooseAndValidate(page, labels[0]), labels[0]);
    assert.equal(await page.isVisible('#choix-form'), false);
    assert.equal((await focused(page)).id, 'recap-titre');
    await check(page, `vote ${first} (récapitulatif)`);
    await page.click('#recap-modifier');
    await page.waitForSelector('#choix-form', { state: 'visible' });
    assert.equal((await focused(page)).id, 'choix-0', 'back on the checked choice');
    assert.equal(await chooseAndValidate(page, labels[1]), labels[1]);
    await confirmVote(page, first);
    assert.equal(await text(page, 'h1'), 'Accusé de réception');
    const tracker1 = (await text(page, '#suivi')).trim();
    assert.match(tracker1, /^[A-Za-z0-9_-]{43}$/);
    assert.match(await text(page, '.succes'), /Votre vote a été enregistré/);
    assert.deepEqual(await sessionKeys(page), allKeys.filter((k) => !k.endsWith(`:${first}`)), 'the key of that scrutin is forgotten');
    await check(page, `reçu ${first}`);

    // The posted form: the CSRF token and the ballot, never the choice.
    assert.equal(posted.length, 1);
    const form = new URLSearchParams(posted[0]);
    assert.deepEqual([...form.keys()].sort(), ['bulletin', 'csrf']);
    const ballotJson = form.get('bulletin');
    assert.ok(!ballotJson.includes('selection') && !labels.some((l) => ballotJson.includes(l)));

    // The receipt download link.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[download]')]);
    assert.equal(download.suggestedFilename(), `accuse-reception-${first}.txt`);
    const receiptText = fs.readFileSync(await download.path(), 'utf8');
    assert.ok(receiptText.includes(tracker1));
    assert.ok(receiptText.includes(`${baseURL}/suivi?suivi=${tracker1}`), 'the lookup address is in the receipt');
    assert.match(receiptText, /Accusé de réception/);

    // The tracker lookup from the receipt.
    await submitAndWait(page, () => page.click('a[href^="/suivi?suivi="]'), '**/suivi?suivi=*');
    assert.equal(await page.inputValue('#suivi'), tracker1);
    assert.match(await text(page, '.resultat'), /Ce bulletin est dans l'urne du scrutin/);
    await check(page, 'suivi (trouvé)');

    // Second scrutin: the blank vote.
    await page.goto('/scrutins');
    assert.equal(await scrutinState(page, titleOf[first]), 'A voté');
    assert.equal(await scrutinState(page, titleOf[second]), 'À voter');
    await submitAndWait(page, () => page.click(`a[href="/scrutins/${second}"]`), `**/scrutins/${second}`);
    await check(page, `vote ${second} (choix)`);
    assert.equal(await chooseAndValidate(page, 'Vote blanc'), 'Vote blanc');
    await check(page, `vote ${second} (récapitulatif, blanc)`);
    await confirmVote(page, second);
    const tracker2 = (await text(page, '#suivi')).trim();
    assert.notEqual(tracker2, tracker1);
    assert.deepEqual(await sessionKeys(page), allKeys.filter((k) => !k.endsWith(`:${first}`) && !k.endsWith(`:${second}`)));
    await check(page, `reçu ${second}`);

    await page.goto('/scrutins');
    for (const code of [first, second]) {
      assert.equal(await scrutinState(page, titleOf[code]), 'A voté');
      assert.equal(await page.locator(`a[href="/scrutins/${code}"]`).count(), 0, `no vote link for ${code}`);
    }
    await check(page, 'scrutins (a voté)');

    // A second vote: the vote page, then the same ballot posted again.
    const again = await page.goto(`/scrutins/${first}`);
    assert.equal(again.status(), 409);
    assert.equal(await text(page, 'h1'), 'Vous avez déjà voté');
    await check(page, 'déjà voté (page de vote)');
    const csrf = await page.getAttribute('input[name=csrf]', 'value');
    const repost = await page.request.post(`/scrutins/${first}/vote`, { form: { csrf, bulletin: ballotJson } });
    assert.equal(repost.status(), 409);
    assert.match(await repost.text(), /Vous avez déjà voté/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('password regeneration: a wrong réassort secret, then the right one; the old password stops working', async () => {
    pick();
    const v = V.regen;
    const page = await newPage();
    await page.goto('/support');
    await submitAndWait(page, () => page.click('a[href="/regeneration"]'), '**/regeneration');
    assert.equal(await text(page, 'h1'), 'Demande de régénération du mot de passe');
    await check(page, 'régénération');

    // Nothing filled in: the first missing field, linked.
    await submitAndWait(page, () => page.click('#regeneration-form button[type=submit]'), '**/regeneration');
    assert.equal(await page.getAttribute('#resume-erreurs a', 'href'), '#matricule');
    assert.equal(await page.getAttribute('#matricule', 'aria-invalid'), 'true');
    await check(page, 'régénération (champ manquant)');

    const regen = async (reassort) => {
      await page.fill('#matricule', v.matricule);
      await page.fill('#naissance', v.naissance);
      await page.fill('#reassort', reassort);
      await submitAndWait(page, () => page.click('#regeneration-form button[type=submit]'), '**/regeneration');
    };
    await regen(wrongReassort(v.reassort));
    assert.match(await text(page, '#resume-erreurs'), /ne correspondent pas/);
    assert.equal(await page.inputValue('#reassort'), '', 'the secret is not sent back');
    await check(page, 'régénération (refusée)');

    await regen(v.reassort);
    assert.equal(await text(page, 'h1'), 'Votre nouveau mot de passe');
    const password = (await text(page, '#nouveau-mot-de-passe code')).trim();
    assert.match(password, /^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    assert.notEqual(password, v.mot_de_passe);
    await check(page, 'régénération (nouveau mot de passe)');

    // The old password is refused, the new one opens a session.
    await page.goto('/');
    await fillLogin(page, v);
    await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/connexion');
    assert.match(await text(page, '#resume-erreurs'), /ne permettent pas de vous connecter/);
    await login(page, v, { password });
    assert.equal(await text(page, 'h1'), 'Vos scrutins');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('regeneration locked after five wrong réassort secrets: go to the BVE president', async () => {
    pick();
    const v = V.locked;
    const page = await newPage();
    await page.goto('/regeneration');
    for (let i = 1; i <= 5; i += 1) {
      await page.fill('#matricule', v.matricule);
      await page.fill('#naissance', v.naissance);
      await page.fill('#reassort', wrongReassort(v.reassort, i));
      await submitAndWait(page, () => page.click('#regeneration-form button[type=submit]'), '**/regeneration');
      if (i < 5) assert.match(await text(page, '#resume-erreurs'), /ne correspondent pas/, `attempt ${i}`);
    }
    assert.equal(await text(page, 'h1'), 'Régénération bloquée');
    assert.match(await text(page, 'main'), /président de votre bureau de vote électronique/);
    await check(page, 'régénération (bloquée)');
    // Even the right secret is refused now.
    await page.goto('/regeneration');
    await page.fill('#matricule', v.matricule);
    await page.fill('#naissance', v.naissance);
    await page.fill('#reassort', v.reassort);
    await submitAndWait(page, () => page.click('#regeneration-form button[type=submit]'), '**/regeneration');
    assert.equal(await text(page, 'h1'), 'Régénération bloquée');
    // The password of the letter still works: only regeneration is locked.
    await login(page, v);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('logout clears the signing keys; the session is over', async () => {
    pick();
    const v = V.logout;
    const page = await newPage();
    await login(page, v);
    assert.equal((await sessionKeys(page)).length, 3, 'a signing key for each scrutin of the election');
    await submitAndWait(page, () => page.click('form.deconnexion button'), '**/deconnexion');
    assert.equal(await text(page, 'h1'), 'Vous êtes déconnecté');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'sessionStorage is empty');
    await check(page, 'déconnexion');
    const r = await page.goto('/scrutins');
    assert.equal(r.status(), 401);
    assert.equal(await text(page, 'h1'), 'Session terminée');
    await check(page, 'session terminée');
    const r2 = await page.goto('/scrutins/CSA-MIN');
    assert.equal(r2.status(), 401);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('keyboard only, under the real CSP: log in and vote with Tab, Space, arrows and Enter; focus always visible', async () => {
    pick();
    const v = V.keyboard;
    const page = await newPage({ bypassCSP: false });
    await page.addInitScript(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto('/');
    await check(page, 'connexion (clavier, CSP)');
    await page.reload(); // a fresh focus start
    // The first Tab reaches the skip link, shown on focus.
    await page.keyboard.press('Tab');
    let f = await focused(page);
    assert.equal(f.href, '#contenu');
    assert.ok(f.visibleOutline);
    const box = await page.locator('a.evitement').boundingBox();
    assert.ok(box && box.x >= 0 && box.y >= 0, 'the skip link is on screen when focused');
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).id, 'contenu');

    const field = (id) => (x) => x.id === id;
    await tabTo(page, field('matricule'), '#matricule');
    await page.keyboard.type(v.matricule);
    await tabTo(page, field('naissance'), '#naissance', 1);
    await page.keyboard.type(v.naissance);
    await tabTo(page, field('cle'), '#cle', 1);
    await page.keyboard.type(v.cle);
    await tabTo(page, field('mot_de_passe'), '#mot_de_passe', 1);
    await page.keyboard.type(v.mot_de_passe);
    await tabTo(page, (x) => x.tag === 'button' && x.text === 'Se connecter', 'the login button', 1);
    await Promise.all([page.waitForURL('**/scrutins'), page.keyboard.press('Enter')]);
    assert.equal(await text(page, 'h1'), 'Vos scrutins');
    await check(page, 'scrutins (clavier)');

    await tabTo(page, (x) => x.href === '/scrutins/CSA-MIN', 'the vote link');
    await Promise.all([page.waitForURL('**/scrutins/CSA-MIN'), page.keyboard.press('Enter')]);
    const labels = await page.locator('#choix-form label').allInnerTexts();
    f = await tabTo(page, (x) => x.name === 'choix', 'the choices');
    assert.equal(f.id, 'choix-0');
    await page.keyboard.press('Space');
    assert.equal((await focused(page)).checked, true);
    await page.keyboard.press('ArrowDown');
    f = await focused(page);
    assert.equal(f.id, 'choix-1');
    assert.equal(f.checked, true, 'the arrow keys move the choice');
    assert.ok(f.visibleOutline);
    await check(page, 'vote (clavier, choix)');
    await tabTo(page, (x) => x.text === 'Valider mon choix', 'the validate button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cast-form', { state: 'visible' });
    f = await focused(page);
    assert.equal(f.id, 'recap-titre', 'the summary takes the focus');
    assert.ok(f.visibleOutline, 'and shows it');
    assert.equal(await text(page, '#recap-choix'), labels[1]);
    await tabTo(page, field('recap-modifier'), 'Modifier mon choix', 1);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#choix-form', { state: 'visible' });
    f = await focused(page);
    assert.equal(f.id, 'choix-1', 'back on the checked choice');
    assert.ok(f.visibleOutline);
    await page.keyboard.press('ArrowDown');
    assert.equal((await focused(page)).id, 'choix-2');
    await tabTo(page, (x) => x.text === 'Valider mon choix', 'the validate button');
    await page.keyboard.press('Space');
    await page.waitForSelector('#cast-form', { state: 'visible' });
    assert.equal(await text(page, '#recap-choix'), labels[2]);
    await check(page, 'vote (clavier, récapitulatif)');
    await tabTo(page, field('recap-confirmer'), 'Confirmer mon vote', 2);
    await Promise.all([page.waitForURL('**/scrutins/CSA-MIN/vote', { waitUntil: 'load' }), page.keyboard.press('Enter')]);
    assert.equal(await text(page, 'h1'), 'Accusé de réception');
    await check(page, 'reçu (clavier)');
    assert.deepEqual(await page.evaluate(() => window.__csp), [], 'no CSP violation');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('BVE: the president logs in with a one-time code and hands the locked voter a new password; the helpdesk cannot', async () => {
    pick();
    const v = V.locked; // locked out of regeneration by the test above
    const president = addStaff('president', 'president');
    const agent = addStaff('assistance', 'agent1');
    const page = await newPage();
    await page.goto('/bve');
    await check(page, 'BVE connexion');
    assert.ok((await allControlsNamed(page)) >= 4);
    const now = Math.floor(Date.now() / 1000);
    await page.fill('#bve_identifiant', president.id);
    await page.fill('#bve_mot_de_passe', president.password);
    await page.fill('#bve_code', totp(president.secret, now));
    await submitAndWait(page, () => page.click('main form button[type=submit]'), '**/bve/accueil');
    await check(page, 'BVE accueil (président)');
    await page.goto(`/bve/guichet?matricule=${encodeURIComponent(v.matricule)}`);
    assert.match(await text(page, '.electeur'), /bloquée/);
    await check(page, 'BVE guichet (électeur trouvé)');
    // Without the identity check: the error names the field.
    await submitAndWait(page, () => page.click('button[value=mot_de_passe]'), '**/bve/guichet');
    assert.match(await text(page, '#resume-erreurs'), /Document présenté/);
    await check(page, 'BVE guichet (erreur)');
    await page.check('#document');
    await page.fill('#fin_numero', '4821');
    await submitAndWait(page, () => page.click('button[value=mot_de_passe]'), '**/bve/guichet');
    assert.equal(await text(page, 'h1'), 'Nouveau mot de passe remis');
    const password = await text(page, '#secret-remis code');
    await check(page, 'BVE guichet (mot de passe remis)');
    await page.goto('/bve/supervision');
    assert.ok(await page.locator('svg.courbe').count() >= 1);
    await check(page, 'BVE participation');
    await page.goto('/bve/emargement');
    await check(page, 'BVE émargement');
    await page.context().close();

    // The voter logs in with the new password; the old one is refused.
    const voter = await newPage();
    await login(voter, v, { password });
    await voter.context().close();

    // The helpdesk sees the status but the desk answers it 403.
    const help = await newPage();
    await help.goto('/bve');
    await help.fill('#bve_identifiant', agent.id);
    await help.fill('#bve_mot_de_passe', agent.password);
    await help.fill('#bve_code', totp(agent.secret, now));
    await submitAndWait(help, () => help.click('main form button[type=submit]'), '**/bve/accueil');
    await help.goto(`/bve/assistance?matricule=${encodeURIComponent(v.matricule)}`);
    await check(help, 'BVE assistance');
    const r = await help.goto('/bve/guichet');
    assert.equal(r.status(), 403);
    assert.deepEqual(help.problems, []);
    await help.context().close();
  });

  test('ballot audit (Benaloh): the test ballot opens to the choice with the CLI, is never cast; the vote gets another tracker', async () => {
    pick();
    const v = V.audit;
    const page = await newPage();
    const posted = [];
    page.on('request', (req) => { if (req.method() === 'POST') posted.push(req.url()); });
    await login(page, v);
    await submitAndWait(page, () => page.click('a[href="/scrutins/CSA-MIN"]'), '**/scrutins/CSA-MIN');
    const label = (await page.locator('#choix-form label').first().innerText()).trim();
    await chooseAndValidate(page, label);
    assert.equal(await page.isVisible('#audit'), false);
    const before = posted.length;
    await page.click('#recap-auditer');
    await page.waitForSelector('#audit', { state: 'visible' });
    assert.equal(posted.length, before, 'the audit sends nothing');
    assert.equal((await focused(page)).id, 'audit-titre');
    assert.equal(await text(page, '#audit-choix'), label);
    const auditTracker = await text(page, '#audit-suivi');
    const auditJson = await page.inputValue('#audit-document');
    assert.equal(JSON.parse(auditJson).format, 'isoloir/ballot-audit/v1');
    await check(page, 'vote CSA-MIN (audit)');

    // An independent program opens it against the portal's record.
    const file = path.join(dataDir, 'audit.json');
    fs.writeFileSync(file, auditJson);
    const out = execFileSync(ISOLOIR, ['audit-ballot', file, '--url', `${baseURL}/record.jsonl`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.ok(out.includes(`suivi ${auditTracker}`), out);
    const sigle = label.split(/\s/)[0];
    assert.ok(out.includes(`Il contient : ${sigle}`), out);
    // A booth that lied about the randomness is caught, naming the choice.
    const lie = JSON.parse(auditJson);
    [lie.randomness[0], lie.randomness[1]] = [lie.randomness[1], lie.randomness[0]];
    fs.writeFileSync(file, JSON.stringify(lie));
    let failed = null;
    try {
      execFileSync(ISOLOIR, ['audit-ballot', file, '--url', `${baseURL}/record.jsonl`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch (e) { failed = e; }
    assert.ok(failed && failed.status === 1, 'a lying audit document is refused');
    assert.match(failed.stdout, /AUDIT ÉCHOUÉ.*choices\[0\]/);

    // Casting encrypts again: another tracker, and the audited ballot is not in the urne.
    await confirmVote(page, 'CSA-MIN');
    const castTracker = await text(page, '#suivi');
    assert.notEqual(castTracker, auditTracker);
    const record = await (await fetch(`${baseURL}/record.jsonl`)).text();
    assert.ok(record.includes(castTracker), 'the cast ballot is in the record');
    assert.ok(!record.includes(auditTracker), 'the audited ballot was never cast');
    await page.close();
  });

  test('verification page: what each check proves, then the portal\'s own verification once published', async () => {
    const page = await newPage();
    await page.goto(`${baseURL}/verification`);
    assert.match(await text(page, 'h1'), /Vérifier l'élection/);
    assert.match(await text(page, '#resultat-portail + p'), /Aucune vérification/);
    assert.ok((await page.locator('pre code').allInnerTexts()).some((t) => t.startsWith('isoloir verify --url')));
    await check(page, 'verification (none yet)');
    fs.mkdirSync(path.join(dataDir, 'verification'), { recursive: true });
    execFileSync(ISOLOIR, ['verify', '--quiet', '--url', `${baseURL}/record.jsonl`, '--save-report', path.join(dataDir, 'verification/report.json')], { stdio: 'ignore' });
    await page.reload();
    assert.match(await text(page, '#resultat-portail + p'), /Toutes les vérifications ont réussi/);
    const rows = await page.locator('table tbody tr').count();
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'verification/report.json'), 'utf8'));
    assert.equal(rows, saved.report.checks.length, 'one row per check');
    await check(page, 'verification (report)');
    await page.goto(`${baseURL}/verification?lang=en`);
    assert.match(await text(page, 'h1'), /Verify the election/);
    await check(page, 'verification (English)');

    // "Nobody voted in my name": the key stays in the page; before the
    // closing the portal answers that the check is not open yet.
    pick();
    const asked = [];
    page.on('request', (req) => asked.push(req.url()));
    await page.goto(`${baseURL}/verification/identifiant?lang=fr`);
    assert.match(await text(page, 'main .alerte'), /à partir du/);
    assert.equal(await page.isVisible('#identifiant-form'), true, 'the script shows the form');
    await check(page, 'verification identifiant');
    await page.fill('#cle-verif', 'ABC');
    await page.click('#identifiant-form button[type=submit]');
    await page.waitForSelector('#cle-verif-erreur', { state: 'visible' });
    assert.equal(await page.getAttribute('#cle-verif', 'aria-invalid'), 'true');
    await page.fill('#cle-verif', V.main.cle);
    await page.click('#identifiant-form button[type=submit]');
    await page.waitForSelector('#identifiant-resultats li');
    const items = await page.locator('#identifiant-resultats li').allInnerTexts();
    assert.equal(items.length, 3, 'one line per scrutin of the election');
    for (const t of items) assert.match(t, /pas encore ouverte/);
    const key = V.main.cle.replace(/-/g, '');
    for (const u of asked) {
      assert.ok(!u.includes(key) && !u.includes(V.main.cle), 'the key never leaves the page');
      if (u.includes('/api/')) assert.match(u, /prefixe=[0-9a-f]{4}$/);
    }
    assert.equal(asked.filter((u) => u.includes('/api/v1/identifiants-utilises')).length, 3);
    await check(page, 'verification identifiant (résultat)');
    await page.close();
  });

  test('320 px wide: no horizontal scrolling on the login, vote and receipt pages', async () => {
    pick();
    const v = V.narrow;
    const page = await newPage({ width: 320, height: 640 });
    for (const [url, name] of [['/', 'connexion'], ['/regeneration', 'régénération'], ['/support', 'support'], ['/suivi', 'suivi']]) {
      await page.goto(url);
      await noHorizontalScroll(page, name);
      await check(page, `${name} (320 px)`);
    }
    await page.goto('/');
    await fillLogin(page, { ...v, naissance: '' });
    await submitAndWait(page, () => page.click('#login-form button[type=submit]'), '**/connexion');
    await noHorizontalScroll(page, 'connexion (erreur)');
    await check(page, 'connexion (erreur, 320 px)');
    await login(page, v);
    await noHorizontalScroll(page, 'scrutins');
    await check(page, 'scrutins (320 px)');
    await page.goto('/scrutins/CSA-MIN');
    await noHorizontalScroll(page, 'vote');
    await check(page, 'vote (320 px)');
    await page.click('#choix-form button[type=submit]');
    await noHorizontalScroll(page, 'vote (aucun choix)');
    await check(page, 'vote (aucun choix, 320 px)');
    const label = (await page.locator('#choix-form label').allInnerTexts())[0];
    await chooseAndValidate(page, label);
    await noHorizontalScroll(page, 'récapitulatif');
    await check(page, 'vote (récapitulatif, 320 px)');
    await confirmVote(page, 'CSA-MIN');
    await noHorizontalScroll(page, 'reçu');
    await check(page, 'reçu (320 px)');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

/** A réassort secret of the right shape that is not the voter's. */
function wrongReassort(right, i = 1) {
  const digits = String(100000 + i).slice(-6);
  const candidate = `ZZZZZZ${digits}`;
  return candidate === right.toUpperCase() ? `YYYYYY${digits}` : candidate;
}
