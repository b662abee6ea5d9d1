import type { Behaviour } from '../field.js';
import { checkHolderName } from '../validation.js';

export const holderNameBehaviour: Behaviour = {
  attributes: { autocomplete: 'cc-name', autocapitalize: 'words', maxlength: '100' },
  check: checkHolderName,
};
