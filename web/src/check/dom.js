// DOM glue of /static/verify.js, loaded only by /verification/identifiant
// (docs/verification.md §3): "nobody voted in my name". The key typed in
// #cle-verif gives each scrutin's credential digest in the tab; only its
// 4-digit prefix is sent (GET /api/v1/identifiants-utilises), and the
// answer's digests are compared here. Results go to #identifiant-resultats,
// one item per scrutin, with the page's data-msg-* texts. This is the only
// script of the portal that makes a request of its own; the booth makes none.
import { credentialDigests } from './digests.js';
import { InvalidKeyError } from '../booth/errors.js';

const attr = (el, name) => el.getAttribute(name);
const submitButtons = (form) => Array.from(form.querySelectorAll('button, input')).filter((el) => el.type === 'submit');

/** env: { document, fetchJson: (url) => Promise<{ status, body }> } */
export function bindCredentialCheck({ document, fetchJson }) {
  const form = document.getElementById('identifiant-form');
  const input = document.getElementById('cle-verif');
  const results = document.getElementById('identifiant-resultats');
  if (!form || !input || !results || typeof fetchJson !== 'function') return;
  const erreur = document.getElementById('cle-verif-erreur');
  const button = submitButtons(form)[0] || null;
  if (attr(input, 'name') !== null) input.removeAttribute('name');
  form.hidden = false;
  let busy = false;
  const show = (items) => {
    while (results.firstChild) results.removeChild(results.firstChild);
    const list = document.createElement('ul');
    for (const [label, text] of items) {
      const li = document.createElement('li');
      const strong = document.createElement('strong');
      strong.textContent = label;
      li.appendChild(strong);
      li.appendChild(document.createTextNode(` : ${text}`));
      list.appendChild(li);
    }
    results.appendChild(list);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    let scrutins;
    let digests;
    try {
      scrutins = JSON.parse(attr(form, 'data-scrutins'));
      digests = credentialDigests(input.value, attr(form, 'data-election'), scrutins.map((s) => s.code));
    } catch (e) {
      if (e instanceof InvalidKeyError && erreur) {
        erreur.textContent = attr(input, 'data-msg-invalid') || erreur.textContent;
        erreur.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      return;
    }
    if (erreur) erreur.hidden = true;
    input.removeAttribute('aria-invalid');
    input.value = '';
    busy = true;
    if (button) button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    const items = [];
    for (const s of scrutins) {
      const { digest, prefix } = digests[s.code];
      let text;
      try {
        const r = await fetchJson(`/api/v1/identifiants-utilises?scrutin=${encodeURIComponent(s.code)}&prefixe=${prefix}`);
        if (r.status === 200 && r.body && Array.isArray(r.body.empreintes)) {
          text = attr(form, r.body.empreintes.includes(digest) ? 'data-msg-used' : 'data-msg-none');
        } else {
          text = (r.body && r.body.error && r.body.error.code === 'credential_check.not_closed')
            ? attr(form, 'data-msg-not-closed') : attr(form, 'data-msg-failed');
        }
      } catch {
        text = attr(form, 'data-msg-failed');
      }
      items.push([s.title, text || '']);
    }
    show(items);
    busy = false;
    if (button) button.disabled = false;
    form.removeAttribute('aria-busy');
    results.focus();
  });
}
