// A whole election in a real browser, in one go (issue 5, "done when";
// docs/bve.md "The whole election in the browser"): the key ceremony with
// three members each in their own Chromium context (two logged in with
// password + TOTP, one with the invitation code) and a fourth holder by
// `isoloir key-holder ceremony` with a code (threshold 3 of 4); the organiser prepares
// the seal, the président and a délégué approve it with their fragments; the
// portal checks the seal at the opening time; voters vote in the browser,
// one of them within the 30 minutes after closing; the BVE sees turnout and
// cannot count before closing; the président's desk hands a voter a new
// security key, with which they vote; after closing, three holders give their
// partial decryptions from their browsers, the président combines and
// writes the PVs, the président and the délégué sign every PV, the
// président publishes; /resultats shows the figures and `isoloir verify`
// recomputes the result from the published record.
//
// Time: one `isoloir serve` runs from the ceremony to the publication. Its
// clock (and the CLI's) is moved by libfaketime (Debian's `faketime`, which
// scripts/setup.sh installs) through a file this test rewrites, so that the
// opening, the closing and the end of its grace period come within minutes.
// Nothing in Isoloir knows about it.
//
// Run: cd web && npm run build && node --test e2e/election.e2e.js, or
// tests/web/browser_e2e.sh ISOLOIR SOURCE election. Environment as portal.e2e.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ELECTION, ISOLOIR, ROOT, WEB, addStaff, axe as scan, cliHolder, freePort,
  invitationCodes, logIn, readVoters, startServer, stopAll, watchedPage,
} from './common.js';

const FAKETIME = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/faketime/libfaketimeMT.so.1']
  .find((f) => fs.existsSync(f));
// Fragments: 1 président, 2 délégué SNAD, 3 délégué CFAD (in Chromium),
// 4 délégué UNEX (by CLI). The secrétaire holds none. Threshold 3.
const HOLDERS = [
  { j: 1, role: 'president', id: 'president' },
  { j: 2, role: 'delegue', id: 'delegue-snad' },
  { j: 3, role: 'delegue', id: 'delegue-cfad' },
];
const SCRUTIN = 'CSA-MIN';

let dir;
let data;
let clockFile;
let server;
let port;
let baseURL;
let browser;
let opening;
let closing;
const children = [];

const env = () => ({
  ...process.env, ISOLOIR_DATA: data, LD_PRELOAD: FAKETIME, FAKETIME_TIMESTAMP_FILE: clockFile,
  FAKETIME_NO_CACHE: '1', DONT_FAKE_MONOTONIC: '1',
});
const isoloir = (args) => execFileSync(ISOLOIR, args, { env: env(), encoding: 'utf8' });
const axe = (page, name) => scan(page, ARTIFACTS, `election-${name}`);
const passphraseOf = (j) => `phrase de passe du fragment ${j}, assez longue`;

// The servers' clock: real time moved by `offset` seconds.
let offset = 0;
function setClock(unixSeconds) {
  offset = Math.round(unixSeconds - Date.now() / 1000);
  fs.writeFileSync(clockFile, `${offset >= 0 ? '+' : ''}${offset}\n`);
}
const serverNow = () => Date.now() / 1000 + offset;

/** Signs the document of form `#id` on /bve/signatures with `h`'s fragment; waits for the server's answer. */
async function sign(page, id, h, passphrase = h.passphrase, fragment = h.fragment) {
  await page.setInputFiles(`#${id}-fragment`, fragment);
  await page.fill(`#${id}-phrase`, passphrase);
  await page.click(`#${id} button[type=submit]`, { timeout: 240000 });  // argon2id holds the thread
  if (passphrase === h.passphrase) await page.locator('p.succes[role=status]').waitFor({ state: 'visible', timeout: 120000 });
}

// Each count action's answer is a page at the action's URL.
async function act(page, action) {
  await Promise.all([page.waitForURL(`**/bve/depouillement/${action}`, { waitUntil: 'load' }),
    page.click(`form[action="/bve/depouillement/${action}"] button`)]);
}

/** A voter's browser, logged in with the four secrets of their letters. */
async function voterLogIn(v) {
  const context = await browser.newContext({ baseURL, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/');
  await page.fill('#matricule', v.matricule);
  await page.fill('#naissance', v.naissance);
  await page.fill('#cle', v.cle);
  await page.fill('#mot_de_passe', v.mot_de_passe);
  await Promise.all([page.waitForURL('**/scrutins', { waitUntil: 'load' }), page.click('#login-form button[type=submit]')]);
  return page;
}

/** Votes for the choice at `index` in SCRUTIN; returns the choice's label. */
async function vote(page, index) {
  await page.goto(`/scrutins/${SCRUTIN}`);
  const label = (await page.locator('#choix-form label').allInnerTexts())[index].trim();
  await page.getByLabel(label, { exact: true }).check();
  await page.click('#choix-form button[type=submit]');
  await page.waitForSelector('#cast-form', { state: 'visible' });
  await Promise.all([page.waitForURL(`**/scrutins/${SCRUTIN}/vote`, { waitUntil: 'load' }), page.click('#recap-confirmer')]);
  assert.match(await page.textContent('main'), /Votre vote a été enregistré/);
  return label;
}

/** When the portal itself last recorded a seal check at `moment` (the audit log's time), or 0. */
function portalCheck(moment) {
  let last = 0;
  for (const line of isoloir(['audit', 'verify', '--election', ELECTION]).split('\n')) {
    const m = /^\d+\s+(\d+)\s+portal\s+seal\.check\s+(.*)$/.exec(line);
    if (m && JSON.parse(m[2]).moment === moment) last = Number(m[1]);
  }
  return last;
}

/** Posts of `page` hold none of `h`'s secrets. */
function keptSecrets(page, h) {
  const sealed = JSON.parse(fs.readFileSync(h.fragment, 'utf8')).ciphertext;
  for (const p of page.posts) {
    assert.ok(!p.includes(h.passphrase) && !p.includes(encodeURIComponent(h.passphrase)), `${h.id}'s passphrase was sent`);
    assert.ok(!p.includes(sealed) && !p.includes(encodeURIComponent(sealed)), `${h.id}'s fragment was sent`);
  }
}

before(async () => {
  assert.ok(FAKETIME, 'libfaketime is missing: apt-get install faketime (scripts/setup.sh does)');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-election-e2e-'));
  data = path.join(dir, 'data');
  clockFile = path.join(dir, 'clock');
  setClock(Date.now() / 1000);
  // The demo election cut to one scrutin and four fragments, opening in a
  // day, closing 25 hours later (a vote lasts at least 24 hours).
  const demo = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/election-demo.json'), 'utf8'));
  demo.scrutins = demo.scrutins.filter((s) => s.code === SCRUTIN);
  demo.bve.threshold = 3;
  demo.bve.members = demo.bve.members.filter((m) => m.id !== 'delegue-fdpa')
    .map((m) => ({ ...m, fragments: m.role === 'secretaire' ? 0 : 1 }));
  const template = path.join(dir, 'election.json');
  fs.writeFileSync(template, JSON.stringify(demo, null, 2));
  opening = Math.ceil(Date.now() / 60000) * 60 + 86400;
  closing = opening + 25 * 3600;
  execFileSync('bash', [path.join(ROOT, 'scripts/portal-fixture.sh'), ISOLOIR, data, '5'], {
    env: {
      ...process.env, ISOLOIR_DB: 'sqlite', ISOLOIR_FIXTURE_CEREMONY: 'none', ISOLOIR_FIXTURE_ELECTION: template,
      ISOLOIR_FIXTURE_OPENING: `@${opening}`, ISOLOIR_FIXTURE_CLOSING: `@${closing}`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  port = await freePort();
  baseURL = `http://127.0.0.1:${port}`;
  server = await startServer(ISOLOIR, data, port, ['--election', ELECTION, '--assets', path.join(WEB, 'dist')], env());
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(() => stopAll({ children, browser, server, dir }));

test('an election from the key ceremony to the published PVs, in Chromium', { timeout: 1500000 }, async () => {
  const orga = addStaff(isoloir, 'organisateur', 'orga');
  for (const h of HOLDERS) {
    h.account = addStaff(isoloir, h.role, h.id);
    h.passphrase = passphraseOf(h.j);
    h.fragment = path.join(dir, `fragment-${h.j}.json`);
  }

  // ------------------------------------------------------------ ceremony
  const codes = invitationCodes(isoloir(['ceremony', 'open', '--election', ELECTION]));
  assert.equal(Object.keys(codes).length, 4);
  // The président and the délégué SNAD log in with password and TOTP: no
  // invitation code for them; the délégué CFAD runs it without an account,
  // with the invitation code (as the CLI holder 4 does).
  for (const h of HOLDERS) {
    if (h.j === 3) {
      h.page = await watchedPage(browser, baseURL);
      await h.page.goto('/bve/ceremonie');
      await axe(h.page, 'ceremonie-code');
      await h.page.fill('#invitation', codes[h.j]);
    } else {
      h.page = await logIn(browser, baseURL, h.account, serverNow);
      await h.page.goto('/bve/ceremonie');
      assert.equal(await h.page.isVisible('#invitation'), false);
      assert.match(await h.page.textContent('#ceremonie-fragments'), new RegExp(`\\b${h.j}\\b`));
    }
    await h.page.fill('#phrase', h.passphrase);
    await h.page.fill('#phrase2', h.j === 1 ? 'autre chose, pas la même' : h.passphrase);
    await h.page.click('#ceremonie button[type=submit]');
  }
  const president = HOLDERS[0].page;
  assert.match(await president.textContent('#ceremonie-erreur'), /diffèrent/);
  await axe(president, 'ceremonie-erreur');
  await president.fill('#phrase2', HOLDERS[0].passphrase);
  await president.click('#ceremonie button[type=submit]');
  children.push(cliHolder(baseURL, dir, 4, codes[4], passphraseOf(4)));
  for (let i = 0; ; i++) {
    const st = await (await fetch(`${baseURL}/api/v1/ceremonie`)).json();
    if (st.finished.length === 4) break;
    assert.ok(i < 900, `holders did not finish: ${children.map((c) => c.log).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  isoloir(['ceremony', 'close', '--election', ELECTION]);
  for (const h of HOLDERS) {
    const link = h.page.locator('#ceremonie-lien');
    await link.waitFor({ state: 'visible', timeout: 300000 });
    const [download] = await Promise.all([h.page.waitForEvent('download'), link.click()]);
    await download.saveAs(h.fragment);
    assert.equal(JSON.parse(fs.readFileSync(h.fragment, 'utf8')).format, 'isoloir/fragment/v2');
    keptSecrets(h.page, h);
    assert.deepEqual(h.page.problems, []);
  }
  await axe(president, 'ceremonie-terminee');
  // The audit log names the member who acted, and keeps "fragment j".
  const audit = isoloir(['audit', 'verify', '--election', ELECTION]);
  for (const who of ['president \\(fragment 1\\)', 'delegue-snad \\(fragment 2\\)', 'fragment 3', 'fragment 4']) {
    assert.match(audit, new RegExp(`\\s${who}\\s+ceremony\\.complaints`), who);
  }
  const c4 = children[0];
  if (c4.exitCode === null) await new Promise((r) => c4.once('exit', r));
  assert.equal(c4.exitCode, 0, c4.log);
  // The running portal takes the key (no restart), and refuses ballots until the seal is approved.
  for (let i = 0; !(await (await fetch(`${baseURL}/api/v1/election`)).json()).public_key; i++) {
    assert.ok(i < 50, 'the portal did not take the election key');
    await new Promise((r) => setTimeout(r, 200));  // it looks at most once a second
  }

  // ------------------------------------------------------------ seal
  const o = await logIn(browser, baseURL, orga, serverNow);
  await o.goto('/bve/scellement');
  await Promise.all([o.waitForURL('**/bve/scellement/preparer', { waitUntil: 'load' }), o.click('form[action="/bve/scellement/preparer"] button')]);
  assert.match(await o.textContent('main'), /Scellement préparé/);
  const digest = (await o.textContent('dl.recu dd code')).trim();
  const [p, snad] = [HOLDERS[0], HOLDERS[1]];
  p.page = await logIn(browser, baseURL, p.account, serverNow);
  await p.page.goto('/bve/signatures');
  assert.equal(await p.page.getAttribute('#scellement', 'data-digest'), digest);
  await axe(p.page, 'signatures');
  // A wrong passphrase: a clear error, focused; another member's fragment: refused before any decryption.
  await sign(p.page, 'scellement', p, 'pas la bonne phrase de passe');
  await p.page.locator('#scellement-erreur').waitFor({ state: 'visible', timeout: 120000 });
  assert.match(await p.page.textContent('#scellement-erreur'), /phrase de passe incorrecte/);
  assert.equal(await p.page.evaluate(() => document.activeElement.id), 'scellement-erreur');
  await p.page.setInputFiles('#scellement-fragment', snad.fragment);
  await p.page.fill('#scellement-phrase', snad.passphrase);
  await p.page.click('#scellement button[type=submit]');
  await p.page.waitForFunction(() => /appartient à delegue-snad/.test(document.getElementById('scellement-erreur').textContent));
  await sign(p.page, 'scellement', p);
  snad.page = await logIn(browser, baseURL, snad.account, serverNow);
  await snad.page.goto('/bve/signatures');
  await sign(snad.page, 'scellement', snad);
  assert.match(await snad.page.textContent('main'), /l'élection est scellée/);
  await snad.page.goto('/bve/scellement');
  await Promise.all([snad.page.waitForURL('**/bve/scellement/verifier', { waitUntil: 'load' }),
    snad.page.click('form[action="/bve/scellement/verifier"] button')]);
  assert.match(await snad.page.textContent('#verification'), /Vérification réussie/);
  await axe(snad.page, 'scellement-verifie');
  assert.match(isoloir(['seal', 'check', '--election', ELECTION, '--assets', path.join(WEB, 'dist')]), /every component is as sealed/);

  // ------------------------------------------------------------ vote
  const voters = readVoters(path.join(data, 'identifiants.csv')).filter((v) => v.scrutins.includes(SCRUTIN));
  assert.ok(voters.length >= 5, 'the fixture needs five voters in the scrutin');
  const early = await voterLogIn(voters[0]);
  assert.match(await early.textContent('main'), /ouvrira le/);
  await early.context().close();
  setClock(opening + 60);
  const chosen = [];
  for (const v of voters.slice(0, 2)) {
    const page = await voterLogIn(v);
    chosen.push(await vote(page, 0));
    await page.context().close();
  }
  assert.ok(portalCheck('opening') >= opening, 'the portal checked the seal at the opening time');
  // The seed's desk: a voter who lost their security key gets a new one from
  // the président (identity checked), logs in with it and votes; the seal
  // still holds at the count (docs/seal.md "The desk's new keys").
  p.page = await logIn(browser, baseURL, p.account, serverNow);
  const lost = voters[4];
  await p.page.goto(`/bve/guichet?matricule=${encodeURIComponent(lost.matricule)}`);
  await p.page.check('#document-carte');
  await p.page.fill('#fin_numero', '0917');
  await Promise.all([p.page.waitForURL('**/bve/guichet', { waitUntil: 'load' }), p.page.click('button[value=cle]')]);
  const newKey = (await p.page.textContent('#secret-remis code')).trim();
  assert.notEqual(newKey, lost.cle);
  await axe(p.page, 'guichet-cle');
  const desked = await voterLogIn({ ...lost, cle: newKey });
  chosen.push(await vote(desked, 0));
  await desked.context().close();
  // Supervision during the vote: turnout, and no count before closing.
  await p.page.goto('/bve/supervision');
  assert.match(await p.page.textContent('main'), /\b3\b/);
  await p.page.goto('/bve/depouillement');
  assert.equal(await p.page.locator('form[action="/bve/depouillement/preparer"] button').count(), 0,
    'no count can be prepared during the vote');
  // A voter logged in five minutes before closing votes five minutes after it; one logging in after closing cannot.
  setClock(closing - 300);
  const late = await voterLogIn(voters[2]);
  setClock(closing + 300);
  chosen.push(await vote(late, 1));
  const tooLate = await browser.newPage({ baseURL, locale: 'fr-FR' });
  await tooLate.goto('/');
  await tooLate.fill('#matricule', voters[3].matricule);
  await tooLate.fill('#naissance', voters[3].naissance);
  await tooLate.fill('#cle', voters[3].cle);
  await tooLate.fill('#mot_de_passe', voters[3].mot_de_passe);
  await Promise.all([tooLate.waitForNavigation({ waitUntil: 'load' }), tooLate.click('#login-form button[type=submit]')]);
  assert.match(await tooLate.textContent('main'), /Le vote a été clos le/);
  await axe(tooLate, 'clos');

  // ------------------------------------------------------------ count
  setClock(closing + 31 * 60);
  for (const h of HOLDERS) h.page = await logIn(browser, baseURL, h.account, serverNow);
  await p.page.goto('/bve/depouillement');
  await act(p.page, 'preparer');
  assert.match(await p.page.textContent('main'), /Dépouillement préparé/);
  await axe(p.page, 'depouillement-prepare');
  // Below the threshold: refused, said, nothing changed.
  await act(p.page, 'combiner');
  assert.match(await p.page.textContent('#resume-erreurs'), /0 partial decryption\(s\) given, 3 needed/);
  assert.ok(!fs.existsSync(path.join(data, 'count/results.json')));
  assert.ok(portalCheck('closing') >= closing, 'the portal checked the seal at the closing time');
  // The C++ key holder opens a fragment the browser sealed (@noble's
  // argon2id and XChaCha20-Poly1305, read by libsodium) and decrypts too.
  fs.writeFileSync(path.join(dir, 'pass-1'), `${p.passphrase}\n`);
  isoloir(['key-holder', 'decrypt', '--fragment', p.fragment, '--tally', path.join(data, 'count/tally.json'),
    '--out', path.join(dir, 'cli-partial-1.json'), '--passphrase-file', path.join(dir, 'pass-1')]);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'cli-partial-1.json'), 'utf8')).holder, 1);
  // The three holders at once, each in their own browser.
  await Promise.all(HOLDERS.map(async (h) => {
    await h.page.goto('/bve/dechiffrement');
    await h.page.setInputFiles('#fragment', h.fragment);
    await h.page.fill('#phrase', h.passphrase);
    await h.page.click('#dechiffrement button[type=submit]', { timeout: 240000 });
    await h.page.waitForFunction(() => /reçu et vérifié/.test(document.getElementById('dechiffrement-etat').textContent)
      || !document.getElementById('dechiffrement-erreur').hidden, null, { timeout: 300000 });
    assert.equal(await h.page.isHidden('#dechiffrement-erreur'), true, await h.page.textContent('#dechiffrement-erreur'));
  }));
  await axe(HOLDERS[2].page, 'dechiffrement');
  await p.page.goto('/bve/depouillement');
  await act(p.page, 'combiner');
  assert.match(await p.page.textContent('main'), /Suffrages exprimés/);
  const results = JSON.parse(fs.readFileSync(path.join(data, 'count/results.json'), 'utf8'));
  const counts = results.scrutins.find((s) => s.scrutin === SCRUTIN).counts;
  assert.equal(counts[0], 3, JSON.stringify(counts));
  assert.equal(counts[1], 1, JSON.stringify(counts));
  assert.equal(counts.reduce((a, b) => a + b, 0), 4);
  await act(p.page, 'pv');
  await act(p.page, 'publier');
  assert.match(await p.page.textContent('#resume-erreurs'), /not signed yet/);

  // Every PV signed by the président and the délégué, at once in their browsers.
  const pvs = fs.readdirSync(path.join(data, 'count/pv')).filter((f) => f.endsWith('.pdf'));
  assert.equal(pvs.length, 2, pvs.join(' '));
  await Promise.all([p, snad].map(async (h) => {
    for (const file of pvs) {
      const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(data, 'count/pv', file))).digest('hex');
      await h.page.goto('/bve/signatures');
      const id = await h.page.locator(`form.signer[data-digest="${sha}"]`).getAttribute('id');
      // What is signed is what the member can read first.
      const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.locator(`#${id}-titre ~ dl a`).click()]);
      assert.equal(crypto.createHash('sha256').update(fs.readFileSync(await download.path())).digest('hex'), sha);
      await sign(h.page, id, h);
      assert.match(await h.page.textContent('main'), /signature du procès-verbal est vérifiée/, `${h.id} ${file}`);
    }
  }));
  await p.page.goto('/bve/depouillement');
  await act(p.page, 'publier');
  assert.match(await p.page.textContent('main'), /sont publiés/);
  await axe(p.page, 'publie');
  for (const h of HOLDERS) {
    keptSecrets(h.page, h);
    assert.deepEqual(h.page.problems, []);
  }

  // ------------------------------------------------------------ publication
  const resultsPage = await browser.newPage({ baseURL, locale: 'fr-FR' });
  await resultsPage.goto('/resultats');
  assert.match(await resultsPage.textContent('main'), /Votants\s*4\b/);
  await axe(resultsPage, 'resultats');
  // Anyone recomputes the result from the record the portal publishes.
  const verified = execFileSync(ISOLOIR, ['verify', '--quiet', '--url', baseURL], { encoding: 'utf8' });
  assert.match(verified, /\[ OK \]\s+Combinaison des déchiffrements[^\n]*: 1 scrutins/);
  assert.match(verified, /\[ OK \]\s+Procès-verbaux[^\n]*: [1-9]/);
  assert.match(verified, /toutes les vérifications sont passées/);
  assert.equal(chosen.length, 4);
});
