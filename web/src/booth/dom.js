// DOM glue: binds the pure functions to the portal's server-rendered pages.
// It acts only on the elements of the contract in docs/booth.md and does
// nothing on a page that has none of them. No network access of its own
// (the forms submit as usual), no eval, no inline style.
import { prepareLogin } from './login.js';
import { prepareBallot, prepareAudit } from './ballot.js';
import { InvalidKeyError } from './errors.js';
import { storeSecrets, loadSecret, forgetScrutin, forgetElection } from './storage.js';
import { oneHot } from './choice.js';

/**
 * env: {
 *   document,
 *   getStorage: () => Storage (sessionStorage; may throw where the browser refuses it),
 *   schedule: (fn) => void, runs fn once the busy state has been painted,
 *   rng: optional, for tests (default crypto.getRandomValues),
 * }
 * Returns { resetCast } so that a page restored from the back-forward
 * cache can be made usable again.
 */
export function startBooth(env) {
  forgetOnLoad(env);
  bindLogin(env);
  const choice = findChoice(env.document);
  const cast = bindCast(env, choice);
  if (choice) bindChoice(choice, cast);
  if (choice) bindAudit(env, choice, cast);
  return { resetCast: cast.reset };
}

const attr = (el, name) => el.getAttribute(name);

// (c) Pages shown after a cast or after logout remove the keys they name.
function forgetOnLoad({ document, getStorage }) {
  const cast = Array.from(document.querySelectorAll('[data-forget-scrutin]'));
  const all = Array.from(document.querySelectorAll('[data-forget-all]'));
  if (cast.length === 0 && all.length === 0) return;
  let storage;
  try {
    storage = getStorage();
  } catch {
    return; // no storage: nothing was kept either
  }
  for (const el of cast) {
    try {
      forgetScrutin(storage, attr(el, 'data-election'), attr(el, 'data-forget-scrutin'));
    } catch {
      // a malformed id names no stored key
    }
  }
  for (const el of all) {
    try {
      forgetElection(storage, attr(el, 'data-forget-all'));
    } catch {
      // idem
    }
  }
}

// (a) Login: the key is turned into the token and the signing keys; only
// the token is submitted.
function bindLogin({ document, getStorage }) {
  const form = document.getElementById('login-form');
  const cle = document.getElementById('cle');
  const jeton = document.getElementById('jeton');
  if (!form || !cle || !jeton) return;
  // The key field must never be submitted, whatever the template says.
  cle.removeAttribute('name');
  const erreur = document.getElementById('cle-erreur');

  form.addEventListener('submit', (event) => {
    jeton.value = '';
    let result;
    let election;
    try {
      election = attr(form, 'data-election');
      result = prepareLogin(cle.value, election, JSON.parse(attr(form, 'data-scrutins')));
    } catch (e) {
      if (e instanceof InvalidKeyError) {
        event.preventDefault();
        const msg = attr(cle, 'data-msg-invalid');
        if (erreur) {
          if (msg !== null) erreur.textContent = msg;
          erreur.hidden = false;
        }
        cle.setAttribute('aria-invalid', 'true');
        cle.focus();
        return;
      }
      // A page error: submit without a token, as when the script did not
      // run at all; the portal refuses an empty jeton.
      cle.value = '';
      return;
    }
    try {
      storeSecrets(getStorage(), election, result.secrets);
    } catch {
      // No sessionStorage in this tab: voting would be impossible, so the
      // login goes on without a token and the portal refuses it.
      cle.value = '';
      return;
    }
    if (erreur) erreur.hidden = true;
    cle.removeAttribute('aria-invalid');
    jeton.value = result.token;
    cle.value = '';
  });
}

// (b) Choice step: the radios live in #choix-form, outside the posted
// #cast-form, so the choice never reaches the portal. The script shows the
// step (it is hidden for browsers without JavaScript), then the summary.
function findChoice(document) {
  const form = document.getElementById('choix-form');
  const castForm = document.getElementById('cast-form');
  if (!form || !castForm) return null;
  const erreur = document.getElementById('choix-erreur');
  const recapChoix = document.getElementById('recap-choix');
  const recapTitre = document.getElementById('recap-titre');
  const modifier = document.getElementById('recap-modifier');
  const castError = document.getElementById('cast-error');
  const radios = () => Array.from(form.querySelectorAll('input'))
    .filter((el) => el.type === 'radio' && attr(el, 'name') === 'choix');
  const picked = () => radios().find((el) => el.checked) || null;
  const clearError = () => {
    if (erreur) erreur.hidden = true;
    for (const r of radios()) r.removeAttribute('aria-invalid');
  };
  return {
    form,
    castForm,
    modifier,
    picked,
    // Back to the choice step with the "no choice" message, the radios
    // marked invalid and the focus on the first one.
    complain() {
      castForm.hidden = true;
      form.hidden = false;
      const all = radios();
      if (erreur) {
        const msg = attr(form, 'data-msg-none');
        if (msg !== null) erreur.textContent = msg;
        erreur.hidden = false;
      }
      for (const r of all) r.setAttribute('aria-invalid', 'true');
      if (all.length > 0) all[0].focus();
    },
    toSummary(radio) {
      clearError();
      if (castError) castError.hidden = true; // from an earlier attempt
      if (recapChoix) recapChoix.textContent = attr(radio, 'data-label') || '';
      form.hidden = true;
      castForm.hidden = false;
      if (recapTitre) recapTitre.focus();
    },
    back() {
      castForm.hidden = true;
      form.hidden = false;
      const r = picked() || radios()[0];
      if (r) r.focus();
    },
  };
}

function bindChoice(choice, cast) {
  choice.form.hidden = false;
  choice.form.addEventListener('submit', (event) => {
    event.preventDefault();
    const radio = choice.picked();
    if (radio === null) choice.complain();
    else choice.toSummary(radio);
  });
  if (choice.modifier) {
    choice.modifier.addEventListener('click', () => {
      if (cast.isBusy()) return; // the ballot is being prepared: too late
      choice.back();
    });
  }
}

function submitButtons(form) {
  return Array.from(form.querySelectorAll('button, input')).filter((el) => el.type === 'submit');
}

// The form's own submit(), even if a control named "submit" shadows it.
function nativeSubmit(form) {
  const view = form.ownerDocument && form.ownerDocument.defaultView;
  const submit = view && view.HTMLFormElement ? view.HTMLFormElement.prototype.submit : form.submit;
  submit.call(form);
}

// (b) Cast: encrypt, prove and sign the choice in the tab; submit the
// ballot JSON.
function bindCast({ document, getStorage, schedule, rng }, choice) {
  const form = document.getElementById('cast-form');
  const paramsEl = document.getElementById('ballot-params');
  const bulletin = document.getElementById('bulletin');
  const errorEl = document.getElementById('cast-error');
  const statusEl = document.getElementById('cast-status');
  if (!form || !paramsEl || !bulletin) return { reset: () => {}, isBusy: () => false, showError: () => {} };
  const modifier = document.getElementById('recap-modifier');

  let busy = false;
  let saved = null; // labels of the submit buttons while busy

  const showError = (name) => {
    if (!errorEl) return;
    const msg = attr(form, name);
    if (msg !== null) errorEl.textContent = msg;
    errorEl.hidden = false;
  };
  const setBusy = (on) => {
    busy = on;
    const buttons = submitButtons(form);
    if (on) {
      const msg = attr(form, 'data-msg-busy');
      saved = buttons.map((b) => (b.tagName === 'INPUT' ? b.value : b.textContent));
      for (const b of buttons) {
        b.disabled = true;
        if (msg !== null) {
          if (b.tagName === 'INPUT') b.value = msg;
          else b.textContent = msg;
        }
      }
      if (modifier) modifier.disabled = true;
      form.setAttribute('aria-busy', 'true');
      if (statusEl && msg !== null) statusEl.textContent = msg;
    } else {
      buttons.forEach((b, i) => {
        b.disabled = false;
        if (saved && i < saved.length) {
          if (b.tagName === 'INPUT') b.value = saved[i];
          else b.textContent = saved[i];
        }
      });
      saved = null;
      if (modifier) modifier.disabled = false;
      form.removeAttribute('aria-busy');
      if (statusEl) statusEl.textContent = '';
    }
  };
  const fail = () => {
    bulletin.value = '';
    setBusy(false);
    showError('data-msg-failed');
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    if (errorEl) errorEl.hidden = true;
    // The choice is read from the radios, never from the page's parameters.
    const radio = choice ? choice.picked() : null;
    if (choice && radio === null) {
      choice.complain();
      return;
    }
    let params;
    let secret;
    try {
      if (!radio) throw new Error('no choice step on this page');
      params = JSON.parse(paramsEl.textContent);
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error('params');
      params.selection = oneHot(radio.value, params.choices);
      secret = loadSecret(getStorage(), params.election_id, params.scrutin);
    } catch {
      fail();
      return;
    }
    if (secret === null) {
      showError('data-msg-nokey');
      return;
    }
    setBusy(true);
    schedule(() => {
      try {
        const { ballotJson } = prepareBallot(params, secret, rng);
        bulletin.value = ballotJson;
        nativeSubmit(form);
      } catch {
        fail();
      }
    });
  });

  const reset = () => {
    if (busy) {
      bulletin.value = '';
      setBusy(false);
    }
  };
  return { reset, isBusy: () => busy, showError };
}

// (d) Audit (Benaloh challenge, protocol §7.6): on #recap-auditer the
// ballot of the current choice is encrypted and signed, then revealed in
// #audit (tracker, choice, audit document) instead of being cast. Nothing
// is sent; the cast that follows encrypts again with fresh randomness.
function bindAudit({ document, getStorage, rng }, choice, cast) {
  const button = document.getElementById('recap-auditer');
  const section = document.getElementById('audit');
  const paramsEl = document.getElementById('ballot-params');
  if (!button || !section || !paramsEl) return;
  const titre = document.getElementById('audit-titre');
  const suivi = document.getElementById('audit-suivi');
  const choix = document.getElementById('audit-choix');
  const docEl = document.getElementById('audit-document');
  button.addEventListener('click', () => {
    if (cast.isBusy()) return;
    const radio = choice.picked();
    if (radio === null) {
      choice.complain();
      return;
    }
    let secret;
    let params;
    try {
      params = JSON.parse(paramsEl.textContent);
      if (params === null || typeof params !== 'object' || Array.isArray(params)) throw new Error('params');
      params.selection = oneHot(radio.value, params.choices);
      secret = loadSecret(getStorage(), params.election_id, params.scrutin);
    } catch {
      cast.showError('data-msg-failed');
      return;
    }
    if (secret === null) {
      cast.showError('data-msg-nokey');
      return;
    }
    try {
      const { auditJson, tracker } = prepareAudit(params, secret, rng);
      if (suivi) suivi.textContent = tracker;
      if (choix) choix.textContent = attr(radio, 'data-label') || '';
      if (docEl) docEl.value = auditJson;
      section.hidden = false;
      if (titre) titre.focus();
    } catch {
      cast.showError('data-msg-failed');
    }
  });
  // A new choice makes the shown audit stale.
  choice.form.addEventListener('submit', () => { section.hidden = true; });
}

