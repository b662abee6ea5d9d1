import { type CardBrand, normalizeDigits } from '../../../cards/index.js';
import type { Behaviour } from '../field.js';
import type { SiblingBus } from '../siblings.js';
import { checkCvc } from '../validation.js';

/**
 * The CVC's length depends on the card's network, which only the number frame knows: it
 * tells this frame over the sibling bus, now and whenever the network changes.
 */
export function cvcBehaviour(bus: SiblingBus, onBrand: () => void): Behaviour {
  let brand: CardBrand | null = null;
  bus.on((message) => {
    if (message.t !== 'brand' || message.brand === brand) return;
    brand = message.brand;
    onBrand();
  });
  return {
    attributes: { autocomplete: 'cc-csc', inputmode: 'numeric', autocorrect: 'off' },
    check: (value) => checkCvc(normalizeDigits(value), brand),
  };
}
