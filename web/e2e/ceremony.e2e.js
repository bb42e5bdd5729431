// The key ceremony in a real browser (issue 5 §1-2, docs/counting.md §3.1):
// holder 1, the président, logs in on /bve with password and TOTP and runs
// it in Debian's Chromium on /bve/ceremonie under the portal's real CSP,
// without an invitation code (the page shows who they are and their
// fragment; a visitor without a session still gets the code form); holders
// 2..6 with `isoloir key-holder ceremony` and their codes, the organiser
// opens and closes by CLI. The fragment file the browser offers (v2, sealed
// by @noble's argon2id and XChaCha20-Poly1305) is then opened by the C++
// `key-holder decrypt` and takes part in a count that `tally combine`
// accepts; holder 1 also makes their partial decryption in the browser
// (/bve/dechiffrement, without a session), which `tally combine` checks like
// a CLI one. The pages are scanned by axe-core (0 violations) before and after.
//
// Run: cd web && npm run build && node --test e2e/ceremony.e2e.js, or
// tests/web/browser_e2e.sh ISOLOIR SOURCE ceremony. Environment as portal.e2e.js.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  ROOT, ISOLOIR, CHROMIUM, ARTIFACTS, ELECTION, CHROMIUM_ARGS, axeViolations, serveClosedElection, invitationCodes, cliHolder, stopAll,
  addStaff, logIn,
} from './common.js';

// tests/counting/cast_votes.cc: votes through the portal's use cases, so that the count has some.
const CAST = process.env.CAST_VOTES_BIN ? path.resolve(process.env.CAST_VOTES_BIN) : path.join(ROOT, 'build/release/tests/counting/count_cast_votes');

let dir;
let data;
let server;
let baseURL;
let browser;
const children = [];

const isoloir = (args, opts = {}) => execFileSync(ISOLOIR, args, { env: { ...process.env, ISOLOIR_DATA: data }, encoding: 'utf8', ...opts });

async function state() {
  return (await fetch(`${baseURL}/api/v1/ceremonie`)).json();
}

async function axe(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `ceremony-${name}.png`), fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${name}`);
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-ceremony-e2e-'));
  ({ data, baseURL, server } = await serveClosedElection(dir));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

after(() => stopAll({ children, browser, server, dir }));

test('one holder in Chromium, five by CLI: the browser\'s fragment counts', { timeout: 600000 }, async () => {
  const codes = invitationCodes(isoloir(['ceremony', 'open', '--election', ELECTION]));
  assert.equal(Object.keys(codes).length, 6);

  const context = await browser.newContext({ baseURL, acceptDownloads: true, locale: 'fr-FR' });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // (a 404 of /favicon.ico is no problem of the page)
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(`console: ${m.text()}`); });
  // Without a session: the invitation code form, as for the CLI's holders.
  await page.goto('/bve/ceremonie');
  assert.ok(await page.isVisible('#invitation'));
  await axe(page, 'form');

  // The président, logged in: no code, their name and fragment shown.
  const president = await logIn(browser, baseURL, addStaff(isoloir, 'president', 'president'));
  await president.click('a[href="/bve/ceremonie"]');
  await president.waitForURL('**/bve/ceremonie');
  assert.equal(await president.locator('#invitation').count(), 0);
  assert.match(await president.textContent('.bve-qui'), /president/);
  assert.match(await president.textContent('#ceremonie-fragments'), /détenez : 1$/);
  await axe(president, 'member-form');
  const passphrase = 'phrase de passe du président';
  await president.fill('#phrase', passphrase);
  await president.fill('#phrase2', 'autre chose, pas la même');
  await president.click('#ceremonie button[type=submit]');
  assert.match(await president.textContent('#ceremonie-erreur'), /diffèrent/);
  await president.fill('#phrase', passphrase);
  await president.fill('#phrase2', passphrase);
  await president.click('#ceremonie button[type=submit]');
  // Its announcement is in, by session (the relay names fragment 1's member).
  for (let i = 0; (await state()).announcements.length < 1; i++) {
    assert.ok(i < 120 && await president.isHidden('#ceremonie-erreur'), await president.textContent('#ceremonie-erreur'));
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal((await state()).announcements[0].holder, 1);

  for (let j = 2; j <= 6; j++) children.push(cliHolder(baseURL, dir, j, codes[j], `passphrase of holder ${j}, long`));
  for (let i = 0; (await state()).finished.length < 6; i++) {
    assert.ok(i < 900, `holders did not finish: ${children.map((c) => c.log).join('\n')}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  isoloir(['ceremony', 'close', '--election', ELECTION]);
  const link = president.locator('#ceremonie-lien');
  await link.waitFor({ state: 'visible', timeout: 300000 });
  assert.match(await president.textContent('#ceremonie-etat'), /Cérémonie terminée/);
  await axe(president, 'done');
  const [download] = await Promise.all([president.waitForEvent('download'), link.click()]);
  const mine = path.join(dir, 'fragment-1.json');
  await download.saveAs(mine);
  for (const c of children) {
    if (c.exitCode === null) await new Promise((r) => c.once('exit', r));
    assert.equal(c.exitCode, 0, c.log);
  }
  const file = JSON.parse(fs.readFileSync(mine, 'utf8'));
  assert.equal(file.format, 'isoloir/fragment/v2');
  assert.equal(file.holder, 1);
  assert.ok(!('share' in file));
  // The passphrase never left the tab.
  assert.ok(president.posts.length >= 3 && president.posts.every((p) => !p.includes(passphrase)), 'the passphrase was posted');
  assert.deepEqual(president.problems, []);
  assert.deepEqual(problems, []);
  // The audit log names the member, the others by fragment.
  const audit = isoloir(['audit', 'verify', '--election', ELECTION]);
  assert.match(audit, /president \(fragment 1\) {2}ceremony\.complaints/);
  assert.match(audit, /fragment 2 {2}ceremony\.complaints/);
  assert.match(audit, /audit log intact/);
  await president.context().close();

  // The count. Holder 1 decrypts in the browser (/bve/dechiffrement) with the
  // fragment the browser made; holder 2 runs `key-holder decrypt` on the same
  // fragment (libsodium opens @noble's seal); holders 2 and 4 by CLI too.
  fs.writeFileSync(path.join(dir, 'pass-1'), `${passphrase}\n`);
  // The seal (docs/seal.md), before any vote: holder 1 (the président) with
  // the browser's fragment, the others by CLI with theirs.
  const seal = path.join(dir, 'seal.json');
  isoloir(['seal', 'prepare', '--election', ELECTION, '--out', seal]);
  for (let j = 1; j <= 6; j++) {
    const fragment = j === 1 ? mine : path.join(dir, `holder-${j}/fragment-${j}.json`);
    const approval = path.join(dir, `approval-${j}.json`);
    isoloir(['key-holder', 'approve-seal', '--yes', '--fragment', fragment, '--passphrase-file', path.join(dir, `pass-${j}`),
      '--seal', seal, '--out', approval]);
    isoloir(['seal', 'approve', approval]);
  }
  const expected = execFileSync(CAST, [data, path.join(data, 'identifiants.csv')], { encoding: 'utf8' });
  const tally = path.join(dir, 'tally.json');
  isoloir(['tally', 'prepare', '--election', ELECTION, '--out', tally]);
  isoloir(['key-holder', 'decrypt', '--fragment', mine, '--tally', tally, '--out', path.join(dir, 'cli-partial-1.json'),
    '--passphrase-file', path.join(dir, 'pass-1')]);
  const partials = [];
  for (const j of [2, 4]) {
    const out = path.join(dir, `partial-${j}.json`);
    isoloir(['key-holder', 'decrypt', '--fragment', path.join(dir, `holder-${j}/fragment-${j}.json`), '--tally', tally,
      '--out', out, '--passphrase-file', path.join(dir, `pass-${j}`)]);
    partials.push('--partial', out);
  }
  await page.goto('/bve/dechiffrement');
  await axe(page, 'decrypt-form');
  await page.setInputFiles('#depouillement', tally);
  await page.setInputFiles('#fragment', mine);
  await page.fill('#phrase', 'pas la bonne phrase de passe');
  await page.click('#dechiffrement button[type=submit]', { timeout: 240000 });  // argon2id holds the thread
  await page.locator('#dechiffrement-erreur').waitFor({ state: 'visible', timeout: 120000 });
  assert.match(await page.textContent('#dechiffrement-erreur'), /wrong passphrase/);
  await page.fill('#phrase', passphrase);
  await page.click('#dechiffrement button[type=submit]', { timeout: 240000 });  // argon2id holds the thread
  const partialLink = page.locator('#dechiffrement-lien');
  await partialLink.waitFor({ state: 'visible', timeout: 120000 });
  assert.match(await page.textContent('#dechiffrement-resume'), /CSA-MIN/);
  await axe(page, 'decrypt-done');
  const [partialDownload] = await Promise.all([page.waitForEvent('download'), partialLink.click()]);
  const browserPartial = path.join(dir, 'partial-1.json');
  await partialDownload.saveAs(browserPartial);
  assert.deepEqual(problems, []);
  const summary = isoloir(['tally', 'combine', '--election', ELECTION, '--tally', tally, '--partial', browserPartial,
    ...partials, '--out', path.join(dir, 'results.json')]);
  assert.match(summary, /Scrutin CSA-MIN/);
  const results = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  assert.deepEqual(results.scrutins[0].partial_decryptions.map((h) => h.holder), [1, 2, 4]);
  for (const line of expected.trim().split('\n')) {
    const [code, counts] = line.split(' ');
    const s = results.scrutins.find((x) => x.scrutin === code);
    assert.deepEqual(s.counts, counts.split(',').map(Number), code);
  }
  await context.close();
});
