/// <reference lib="dom" />
import { availableBrands, type CardBrand, detectBrand, normalizeDigits } from '../../../cards/index.js';
import type { Messages } from '../../messages/index.js';
import type { BrandState, FieldState } from '../../protocol.js';
import { controlField, type FieldControl } from '../field.js';
import type { SiblingBus } from '../siblings.js';
import { checkNumber } from '../validation.js';

const brandNames: Record<CardBrand, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
};

export interface NumberField {
  control: FieldControl;
  brand(): BrandState;
}

/**
 * The card number, its network, and the cardholder's choice of network on a co-badged card:
 * EU Regulation 2015/751 art. 8 lets the cardholder override any default, so when two
 * networks are offered a labelled select appears beside the number (the first network is
 * preselected, as the issuer's default) and what the cardholder picks is what tokenization sends.
 */
export function numberField(
  messages: Messages,
  bus: SiblingBus,
  report: (state: FieldState) => void,
  reportBrand: (brand: BrandState) => void,
): NumberField {
  const control = controlField(
    'number',
    messages,
    {
      attributes: { autocomplete: 'cc-number', inputmode: 'numeric', autocorrect: 'off' },
      check: (value) => checkNumber(normalizeDigits(value)),
    },
    report,
  );
  const badge = document.createElement('span');
  badge.className = 'brand';
  const select = document.createElement('select');
  select.setAttribute('aria-label', messages.brandChoice);
  select.hidden = true;
  control.view.row.append(badge, select);

  let current: BrandState = { brand: null, availableBrands: [], chosen: null };
  let reported = '';
  const update = () => {
    const digits = normalizeDigits(control.value());
    const brand = detectBrand(digits);
    const offered = availableBrands(digits);
    if (offered.join() !== current.availableBrands.join()) {
      select.replaceChildren(
        ...offered.map((b) => {
          const option = document.createElement('option');
          option.value = b;
          option.textContent = brandNames[b];
          return option;
        }),
      );
      select.hidden = offered.length < 2;
    }
    const chosen = offered.length > 1 ? (select.value as CardBrand) : null;
    badge.textContent = brand && !chosen ? brandNames[brand] : '';
    current = { brand, availableBrands: offered, chosen };
    const key = JSON.stringify(current);
    if (key === reported) return;
    const networkChanged = !reported || JSON.parse(reported).brand !== brand;
    reported = key;
    reportBrand(current);
    if (networkChanged) bus.post({ t: 'brand', brand });
  };
  control.view.input.addEventListener('input', update);
  control.view.input.addEventListener('compositionend', update);
  select.addEventListener('change', update);
  // A frame that joins later (the CVC frame loads after this one) asks for the network.
  bus.on((message) => {
    if (message.t === 'join') bus.post({ t: 'brand', brand: current.brand });
  });
  return { control, brand: () => current };
}
