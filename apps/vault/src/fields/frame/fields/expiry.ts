import type { Behaviour } from '../field.js';
import { checkExpiry } from '../validation.js';

export const expiryBehaviour: Behaviour = {
  attributes: { autocomplete: 'cc-exp', inputmode: 'numeric', autocorrect: 'off' },
  check: (value) => checkExpiry(value, new Date()),
};
