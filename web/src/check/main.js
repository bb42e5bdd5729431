// Entry point of /static/verify.js (docs/verification.md §3).
import { bindCredentialCheck } from './dom.js';

function run() {
  bindCredentialCheck({
    document,
    fetchJson: async (url) => {
      const r = await window.fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      return { status: r.status, body: await r.json().catch(() => null) };
    },
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
