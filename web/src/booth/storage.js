// The per-scrutin signing keys in the tab's sessionStorage, under
// isoloir:sk:<election>:<scrutin>. `storage` is anything with the Web
// Storage interface (getItem, setItem, removeItem, key, length).
import { checkElectionId, checkScrutinCode } from './ids.js';

export const PREFIX = 'isoloir:sk:';

export function secretKeyName(electionId, scrutin) {
  return `${PREFIX}${checkElectionId(electionId)}:${checkScrutinCode(scrutin)}`;
}

/** Replaces every stored key of the election by `secrets` ({scrutin: hex}). */
export function storeSecrets(storage, electionId, secrets) {
  forgetElection(storage, electionId);
  for (const [scrutin, hex] of Object.entries(secrets)) storage.setItem(secretKeyName(electionId, scrutin), hex);
}

export function loadSecret(storage, electionId, scrutin) {
  return storage.getItem(secretKeyName(electionId, scrutin));
}

export function forgetScrutin(storage, electionId, scrutin) {
  storage.removeItem(secretKeyName(electionId, scrutin));
}

/** Removes every isoloir:sk:<election>: key. */
export function forgetElection(storage, electionId) {
  const prefix = `${PREFIX}${checkElectionId(electionId)}:`;
  const names = [];
  for (let i = 0; i < storage.length; i++) {
    const name = storage.key(i);
    if (name !== null && name.startsWith(prefix)) names.push(name);
  }
  for (const name of names) storage.removeItem(name);
}
