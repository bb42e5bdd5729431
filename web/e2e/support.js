// What the browser end-to-end tests share: paths, a free local port, Chromium's
// flags, an `isoloir serve` on 127.0.0.1 waited for, RFC 6238 codes for the
// staff login, and the axe-core scan (0 violations) with a screenshot.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Where things are: the environment (as tests/web/*_e2e.sh set it) or the default build.
export const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = path.resolve(WEB, '..');
const fromEnv = (name, fallback) => (process.env[name] ? path.resolve(process.env[name]) : path.join(ROOT, fallback));
export const ISOLOIR = fromEnv('ISOLOIR_BIN', 'build/release/src/cli/isoloir');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = fromEnv('E2E_ARTIFACTS', 'build/e2e-artifacts');
// tests/counting/cast_votes.cc: votes through the portal's use cases, so that the count has some.
export const CAST = fromEnv('CAST_VOTES_BIN', 'build/release/tests/counting/count_cast_votes');
const AXE_SOURCE = fs.readFileSync(path.join(WEB, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

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

/** `isoloir serve` of `data` on 127.0.0.1:port, once /sante answers; .log holds its output. */
export async function startServer(isoloir, data, port, args) {
  const server = spawn(isoloir, ['serve', '--port', String(port), '--address', '127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ISOLOIR_DATA: data },
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

/** Screenshot to `artifacts/name.png`, then axe-core on the page: no violation. */
export async function axe(page, artifacts, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
  const cdp = await page.context().newCDPSession(page);  // the page's CSP refuses inline scripts
  await cdp.send('Runtime.evaluate', { expression: AXE_SOURCE });
  await cdp.detach();
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
  assert.deepEqual(violations, [], `axe-core on ${name}`);
}
