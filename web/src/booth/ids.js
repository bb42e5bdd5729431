// Election ids and scrutin codes as docs/election-file.md defines them.
// Checking them here catches a template error early and guarantees that
// the sessionStorage keys isoloir:sk:<election>:<scrutin> cannot collide
// (neither may contain ':').
import { BoothInputError } from './errors.js';

const ELECTION_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SCRUTIN_CODE = /^[A-Za-z0-9_-]{1,32}$/;

export function checkElectionId(value, field = 'election_id') {
  if (typeof value !== 'string' || !ELECTION_ID.test(value)) {
    throw new BoothInputError(field, 'an election id is 1 to 64 ASCII letters, digits, "-", "_", "."');
  }
  return value;
}

export function checkScrutinCode(value, field = 'scrutin') {
  if (typeof value !== 'string' || !SCRUTIN_CODE.test(value)) {
    throw new BoothInputError(field, 'a scrutin code is 1 to 32 ASCII letters, digits, "-", "_"');
  }
  return value;
}
