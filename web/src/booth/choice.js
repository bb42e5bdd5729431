// The voter's choice on the vote page (docs/booth.md, b): the value of the
// checked `choix` radio, a choice index in the order of §7.1, turned into
// the selection vector that prepareBallot encrypts. The portal never sees
// either: the radios are outside the form that is posted.
import { BoothInputError } from './errors.js';
import { MAX_CHOICES } from './ballot.js';

const INDEX = /^(0|[1-9][0-9]{0,2})$/;

/**
 * oneHot(indexText, choices) -> [0, …, 1, …, 0]
 *
 * indexText: the radio's value, a decimal index without sign or leading
 * zero; choices: L from #ballot-params. Throws BoothInputError('choix')
 * for an index that is not below L, BoothInputError('choices') for an L
 * outside 1..MAX_CHOICES.
 */
export function oneHot(indexText, choices) {
  if (!Number.isSafeInteger(choices) || choices < 1 || choices > MAX_CHOICES) {
    throw new BoothInputError('choices', `expected an integer from 1 to ${MAX_CHOICES}`);
  }
  if (typeof indexText !== 'string' || !INDEX.test(indexText) || Number(indexText) >= choices) {
    throw new BoothInputError('choix', `expected a choice index from 0 to ${choices - 1}`);
  }
  const selection = new Array(choices).fill(0);
  selection[Number(indexText)] = 1;
  return selection;
}
