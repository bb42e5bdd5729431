// Typed errors of the booth. The DOM glue shows the server's own messages
// (data-msg-* attributes); these types only decide which message.
export { InvalidKeyError } from '../protocol/credential.js';

/**
 * The ballot parameters, the election id, a scrutin code or a stored
 * signing key are malformed: a bug in the page or in the stored data, not
 * something the voter did. `field` names the faulty input.
 */
export class BoothInputError extends Error {
  constructor(field, message) {
    super(`${field}: ${message}`);
    this.name = 'BoothInputError';
    this.field = field;
  }
}

/** The selection does not make between min and max choices. */
export class SelectionError extends Error {
  constructor(count, min, max) {
    super(`selection: ${count} choices made, between ${min} and ${max} allowed`);
    this.name = 'SelectionError';
    this.count = count;
    this.min = min;
    this.max = max;
  }
}
