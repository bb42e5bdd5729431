// What the browser end-to-end tests share: where the binaries and artifacts
// are (environment as portal.e2e.js says), Chromium's flags for the closed
// network, a free port, staff accounts and their login (RFC 6238 codes), the
// axe-core scan (WCAG 2.0/2.1 A and AA) injected past the page's CSP, the
// fixture's voters, and key holders by CLI for a ceremony by relay.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB, '..');
// Relative paths in the environment are taken from the current folder.
export const ISOLOIR = process.env.ISOLOIR_BIN ? path.resolve(process.env.ISOLOIR_BIN) : path.join(ROOT, 'build/release/src/cli/isoloir');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = process.env.E2E_ARTIFACTS ? path.resolve(process.env.E2E_ARTIFACTS) : path.join(ROOT, 'build/e2e-artifacts');
export const AXE_SOURCE = fs.readFileSync(path.join(WEB, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const ELECTION = 'demo-2026';
// Flags for the closed network here: no background requests, no QUIC,
// no first-run or component updates. Playwright adds --headless and a
// fresh temporary --user-data-dir for each launch.
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) of a base32 secret, at `seconds`. */
export function totp(base32, seconds) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = crypto.createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/** The page's axe-core violations ("id: targets"), axe injected by CDP (the CSP refuses inline scripts). */
export async function axeViolations(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Runtime.evaluate', { expression: AXE_SOURCE });
  await cdp.detach();
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
}

/** `isoloir serve` of `data` on 127.0.0.1:port (in `env`), once /sante answers; .log holds its output. */
export async function startServer(isoloir, data, port, args, env = process.env) {
  const server = spawn(isoloir, ['serve', '--port', String(port), '--address', '127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ISOLOIR_DATA: data },
  });
  server.log = '';
  server.stdout.on('data', (d) => { server.log += d; });
  server.stderr.on('data', (d) => { server.log += d; });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/sante`)).ok) return server;
    } catch { /* not yet */ }
    if (i > 300) throw new Error(`isoloir serve did not start:\n${server.log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Screenshot to `artifacts/name.png`, then axe-core on the page: no violation. */
export async function axe(page, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  assert.deepEqual(await axeViolations(page), [], `axe-core on ${name}`);
}

/** `ceremony open`'s output: the invitation code of each fragment, by number. */
export function invitationCodes(output) {
  const codes = {};
  for (const line of output.split('\n')) {
    const m = /^fragment (\d+) \([^)]*\): (\S+)$/.exec(line);
    if (m) codes[m[1]] = m[2];
  }
  return codes;
}

/**
 * Holder j's `isoloir key-holder ceremony` against the relay at baseURL, in
 * `dir`/holder-j, with `dir`/code-j and `dir`/pass-j; the child keeps its output in .log.
 */
export function cliHolder(baseURL, dir, j, code, passphrase) {
  fs.writeFileSync(path.join(dir, `code-${j}`), `${code}\n`);
  fs.writeFileSync(path.join(dir, `pass-${j}`), `${passphrase}\n`);
  const c = spawn(ISOLOIR, ['key-holder', 'ceremony', '--url', baseURL, '--invitation-file', path.join(dir, `code-${j}`),
    '--dir', path.join(dir, `holder-${j}`), '--passphrase-file', path.join(dir, `pass-${j}`), '--poll', '0.5', '--timeout', '500'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  c.log = '';
  c.stdout.on('data', (d) => { c.log += d; });
  c.stderr.on('data', (d) => { c.log += d; });
  return c;
}

/** The end of a test file: CLI children, the browser, the server, then the folder (unless E2E_KEEP_DATA). */
export async function stopAll({ children = [], browser, server, dir }) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  if (browser) await browser.close();
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (dir && !process.env.E2E_KEEP_DATA) fs.rmSync(dir, { recursive: true, force: true });
}

/** `isoloir staff add` through `run` (arguments → standard output): the account's id, initial password and TOTP secret. */
export function addStaff(run, role, id) {
  const out = run(['staff', 'add', '--election', ELECTION, '--role', role, '--id', id]);
  return { id, password: out.match(/Mot de passe initial[^:]*: (\S+)/)[1], secret: out.match(/Secret TOTP \(base32\) : (\S+)/)[1] };
}

/** A page in a fresh browser context that keeps .problems (page and console errors) and .posts (every request's URL and body). */
export async function watchedPage(browser, baseURL) {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, locale: 'fr-FR' });
  const page = await context.newPage();
  page.problems = [];
  page.posts = [];
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (404|409)/.test(m.text())) page.problems.push(`console: ${m.text()}`); });
  page.on('request', (r) => { page.posts.push(`${r.url()} ${r.postData() || ''}`); });
  return page;
}

/**
 * A watchedPage logged in on /bve as `account` with its password and a TOTP
 * code of the server's time `now()` (Unix seconds; a fresh step for each
 * login, as a code is used once).
 */
export async function logIn(browser, baseURL, account, now = () => Date.now() / 1000) {
  const page = await watchedPage(browser, baseURL);
  await page.goto('/bve');
  await page.fill('#bve_identifiant', account.id);
  await page.fill('#bve_mot_de_passe', account.password);
  account.step = Math.max((account.step ?? 0) + 30, Math.floor(now()));
  await page.fill('#bve_code', totp(account.secret, account.step));
  await Promise.all([page.waitForURL('**/bve/accueil', { waitUntil: 'load' }), page.click('main form button[type=submit]')]);
  return page;
}

/** identifiants.csv (scripts/portal-fixture.sh): matricule;nom;prenom;naissance;cle;mot_de_passe;reassort;scrutins. */
export function readVoters(file) {
  const lines = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const head = lines.shift().split(';');
  return lines.map((line) => {
    const cells = line.split(';');
    const v = Object.fromEntries(head.map((h, i) => [h, cells[i]]));
    v.scrutins = v.scrutins.split(/[,| ]+/).filter(Boolean);
    return v;
  });
}
