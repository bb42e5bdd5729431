// Entry point of /static/ceremony.js, the key holder's pages: /bve/ceremonie
// (docs/counting.md §3.1: runs the ceremony in this tab with holder.js, by
// invitation code or as a logged-in member, and offers the sealed fragment file) and /bve/dechiffrement (§5: the partial
// decryption with decrypt.js, posted to the server or offered as a file).
import { runCeremony, CeremonyError } from './holder.js';
import { decryptTally } from './decrypt.js';

const MIN_PASSPHRASE = 12;

function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ''));
}

function offer(link, box, name, object) {
  const blob = new Blob([JSON.stringify(object, null, 2) + '\n'], { type: 'application/json' });
  link.href = URL.createObjectURL(blob);
  link.download = name;
  box.hidden = false;
  link.focus();
}

// Logged in (data-post): the tally comes from the server and the partial
// decryption goes back to it; the fragment and passphrase stay in this tab.
// Otherwise the tally is a file and the result a file to hand over.
async function serverTally(form) {
  const r = await fetch(form.dataset.tally, { credentials: 'same-origin' });
  const answer = await r.text();
  if (!r.ok) throw new Error(JSON.parse(answer)?.error?.message || `HTTP ${r.status}`);
  return answer;
}

async function postPartial(form, file) {
  const r = await fetch(form.dataset.post, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ csrf: form.dataset.csrf, partial: file }),
  });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(answer?.error?.message || `HTTP ${r.status}`);
  return answer;
}

function decryptionPage(form) {
  const status = document.getElementById('dechiffrement-etat');
  const error = document.getElementById('dechiffrement-erreur');
  const list = document.getElementById('dechiffrement-resume');
  const fileBox = document.getElementById('dechiffrement-fichier');
  const link = document.getElementById('dechiffrement-lien');
  const server = Boolean(form.dataset.post);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    const tallyFile = server ? null : form.depouillement.files[0];
    const fragmentFile = form.fragment.files[0];
    const passphrase = form.phrase.value;
    if ((!server && !tallyFile) || !fragmentFile || !passphrase) {
      error.textContent = status.dataset.missing;
      error.hidden = false;
      error.focus?.();
      return;
    }
    form.phrase.value = '';
    status.textContent = status.dataset.busy;
    // Let the message paint before the computation takes the thread.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    let out;
    try {
      const tallyText = server ? await serverTally(form) : await tallyFile.text();
      const fragment = JSON.parse(await fragmentFile.text());
      out = decryptTally(tallyText, fragment, passphrase);
    } catch (e) {
      status.textContent = '';
      error.textContent = `${status.dataset.failed} ${e.message}`;
      error.hidden = false;
      return;
    }
    list.replaceChildren(...out.scrutins.map((s) => {
      const li = document.createElement('li');
      li.textContent = fill(status.dataset.line, s);
      return li;
    }));
    list.hidden = false;
    if (server) {
      try {
        await postPartial(form, out.file);
        status.textContent = fill(status.dataset.done, { holder: out.file.holder });
        return;
      } catch (e) {
        // Refused or unreachable: say why, and offer the file (the offline way).
        status.textContent = '';
        error.textContent = `${status.dataset.refused} ${e.message}`;
        error.hidden = false;
      }
    } else {
      status.textContent = fill(status.dataset.done, { holder: out.file.holder });
    }
    offer(link, fileBox, `partial-${out.file.holder}.json`, out.file);
  });
}

function run() {
  const decryption = document.getElementById('dechiffrement');
  if (decryption) decryptionPage(decryption);
  const form = document.getElementById('ceremonie');
  if (!form) return;
  const status = document.getElementById('ceremonie-etat');
  const error = document.getElementById('ceremonie-erreur');
  const fileBox = document.getElementById('ceremonie-fichier');
  const link = document.getElementById('ceremonie-lien');
  const say = (step, values) => {
    if (status.dataset[step]) status.textContent = fill(status.dataset[step], values);
  };
  const fail = (message) => {
    error.textContent = message;
    error.hidden = false;
    error.focus?.();
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.hidden = true;
    // Logged in on /bve (data-csrf): the session cookie, the fragment chosen
    // and the CSRF token; otherwise the invitation code, without cookies.
    const member = Boolean(form.dataset.csrf);
    const code = member ? '' : form.invitation.value.trim();
    const fragment = member ? form.elements.fragment.value : '';
    if (member && !fragment) return fail(status.dataset.choose);
    const passphrase = form.phrase.value;
    if (passphrase.length < MIN_PASSPHRASE) return fail(status.dataset.short);
    if (passphrase !== form.phrase2.value) return fail(status.dataset.differ);
    form.phrase.value = '';
    form.phrase2.value = '';
    const enabled = [...form.elements].filter((el) => !el.disabled);
    for (const el of enabled) el.disabled = true;
    const who = member
      ? { 'X-Ceremony-Fragment': fragment, 'X-CSRF-Token': form.dataset.csrf }
      : { Authorization: `Invitation ${code}` };
    const api = async (method, path, body) => {
      const r = await fetch(path, {
        method,
        headers: { ...who, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        credentials: member ? 'same-origin' : 'omit',
      });
      const answer = await r.json().catch(() => ({}));
      if (r.ok || answer?.error?.code === 'portal.ceremony_exists') return answer;
      throw new CeremonyError(answer?.error?.code || 'http', answer?.error?.message || `HTTP ${r.status}`);
    };
    try {
      const file = await runCeremony({
        api,
        say,
        passphrase,
        wait: () => new Promise((resolve) => setTimeout(resolve, 1500)),
      });
      offer(link, fileBox, `fragment-${file.holder}.json`, file);
    } catch (e) {
      fail(`${status.dataset.failed} ${e.message}`);
      for (const el of enabled) el.disabled = false;
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
