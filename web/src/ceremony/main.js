// Entry point of /static/ceremony.js: the key holder's page /bve/ceremonie
// (docs/counting.md §3.1). Reads the form, runs the ceremony in this tab
// (holder.js) and offers the sealed fragment file for download.
import { runCeremony, CeremonyError } from './holder.js';

const MIN_PASSPHRASE = 12;

function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ''));
}

function run() {
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
    const code = form.invitation.value.trim();
    const passphrase = form.phrase.value;
    if (passphrase.length < MIN_PASSPHRASE) return fail(status.dataset.short);
    if (passphrase !== form.phrase2.value) return fail(status.dataset.differ);
    form.phrase.value = '';
    form.phrase2.value = '';
    for (const el of form.elements) el.disabled = true;
    const api = async (method, path, body) => {
      const r = await fetch(path, {
        method,
        headers: { Authorization: `Invitation ${code}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'omit',
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
      const blob = new Blob([JSON.stringify(file, null, 2) + '\n'], { type: 'application/json' });
      link.href = URL.createObjectURL(blob);
      link.download = `fragment-${file.holder}.json`;
      fileBox.hidden = false;
      link.focus();
    } catch (e) {
      fail(`${status.dataset.failed} ${e.message}`);
      for (const el of form.elements) el.disabled = false;
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
