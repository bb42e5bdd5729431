// Entry point of /static/sign.js, the BVE members' signing page
// /bve/signatures: each form signs one document (the seal, a PV) with the
// fragment in this tab (signer.js) and posts only the signature.
import { signWithFragment, SignError } from './signer.js';

function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? String(values[k]) : ''));
}

function run() {
  const box = document.getElementById('signataire');
  const send = document.getElementById('signature-envoi');
  const status = document.getElementById('signature-etat');
  if (!box || !send) return;
  const d = box.dataset;
  const page = {
    election: d.election,
    fingerprint: d.fingerprint,
    publicKey: d.publicKey,
    member: d.member,
    keys: JSON.parse(d.keys),
  };
  const messages = { file: d.errFormat, election: d.errElection, member: d.errMember, key: d.errKey, passphrase: d.errPassphrase };
  for (const form of document.querySelectorAll('form.signer')) {
    const error = document.getElementById(`${form.id}-erreur`);
    const fail = (message) => {
      status.textContent = '';
      error.textContent = `${d.failed} ${message}`;
      error.hidden = false;
      error.focus();
    };
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      const file = form.fragment.files[0];
      const passphrase = form.phrase.value;
      if (!file || !passphrase) {
        fail(d.missing);
        return;
      }
      form.phrase.value = '';
      status.textContent = d.busy;
      // Let the message paint before argon2id takes the thread.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      try {
        const signature = signWithFragment(page, await file.text(), passphrase, form.dataset.purpose, form.dataset.digest);
        send.signature.value = JSON.stringify(signature);
        send.submit();
      } catch (e) {
        fail(e instanceof SignError ? fill(messages[e.code] ?? '', e.values) : e.message);
      }
    });
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run);
else run();
