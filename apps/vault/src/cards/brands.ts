import { luhnValid } from './luhn.js';

export type CardBrand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'discover'
  | 'jcb'
  | 'diners'
  | 'unionpay'
  | 'cartes_bancaires';

export interface BrandRules {
  /** Lengths a complete number of this brand may have. */
  panLengths: readonly number[];
  cvcLength: 3 | 4;
  /** Positions after which a space is shown: 4 4 4 4 (3 more on a 19-digit number), or 4 6 5 for Amex. */
  gaps: readonly number[];
}

export const brandRules: Record<CardBrand, BrandRules> = {
  visa: { panLengths: [13, 16, 19], cvcLength: 3, gaps: [4, 8, 12, 16] },
  mastercard: { panLengths: [16], cvcLength: 3, gaps: [4, 8, 12] },
  amex: { panLengths: [15], cvcLength: 4, gaps: [4, 10] },
  discover: { panLengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 8, 12, 16] },
  jcb: { panLengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 8, 12, 16] },
  diners: { panLengths: [14, 15, 16, 17, 18, 19], cvcLength: 3, gaps: [4, 10] },
  unionpay: { panLengths: [16, 17, 18, 19], cvcLength: 3, gaps: [4, 8, 12, 16] },
  cartes_bancaires: { panLengths: [16], cvcLength: 3, gaps: [4, 8, 12] },
};

/**
 * IIN ranges of the international networks, [from, to] on the leading digits, most specific
 * first (Discover's 622126–622925 sits inside UnionPay's 62).
 */
const ranges: readonly [CardBrand, number, number][] = [
  ['discover', 622126, 622925],
  ['discover', 6011, 6011],
  ['discover', 644, 649],
  ['discover', 65, 65],
  ['unionpay', 62, 62],
  ['unionpay', 81, 81],
  ['amex', 34, 34],
  ['amex', 37, 37],
  ['diners', 300, 305],
  ['diners', 3095, 3095],
  ['diners', 36, 36],
  ['diners', 38, 39],
  ['jcb', 3528, 3589],
  ['mastercard', 2221, 2720],
  ['mastercard', 51, 55],
  ['visa', 4, 4],
];

/**
 * Whether leading digits too short for any range's prefix can still grow into one: `22` may
 * become Mastercard's 2221, `35` JCB's 3528, `60` Discover's 6011.
 */
function couldBecomeBrand(digits: string): boolean {
  return ranges.some(([, from, to]) => {
    const missing = String(from).length - digits.length;
    if (missing <= 0) return false;
    const scale = 10 ** missing;
    const lowest = Number(digits) * scale;
    return lowest <= to && lowest + scale - 1 >= from;
  });
}

/**
 * Cartes Bancaires has no IIN range of its own: its cards are Visa or Mastercard cards that the
 * issuer also enrols in CB, known by BIN. Production reads a BIN table; these prefixes are the
 * co-badged test cards the providers publish (Stripe's 4000 0025 0000 1001 and
 * 5555 5525 0000 1001, Adyen's 4035 5010 0000 0008).
 */
const cartesBancairesPrefixes = ['40000025', '55555525', '403550'];

/** The network a number's leading digits belong to, or null while unknown. */
export function detectBrand(digits: string): CardBrand | null {
  for (const [brand, from, to] of ranges) {
    const size = String(from).length;
    if (digits.length < size) continue;
    const head = Number(digits.slice(0, size));
    if (head >= from && head <= to) return brand;
  }
  return null;
}

/**
 * Every network that can process the card. For a co-badged Cartes Bancaires card both are
 * offered and the cardholder chooses (EU Interchange Fee Regulation 2015/751, art. 8):
 * payin never picks for them.
 */
export function availableBrands(digits: string): CardBrand[] {
  const brand = detectBrand(digits);
  if (!brand) return [];
  if (
    (brand === 'visa' || brand === 'mastercard') &&
    cartesBancairesPrefixes.some((p) => digits.startsWith(p))
  ) {
    return ['cartes_bancaires', brand];
  }
  return [brand];
}

export type PanState = 'empty' | 'incomplete' | 'invalid' | 'valid';

/**
 * Where a number being typed stands: `incomplete` while it can still become valid, `invalid`
 * when it cannot (unknown network, too long, or a full length failing Luhn).
 */
export function panState(digits: string): PanState {
  if (digits.length === 0) return 'empty';
  const brand = detectBrand(digits);
  if (!brand) return couldBecomeBrand(digits) ? 'incomplete' : 'invalid';
  const { panLengths } = brandRules[brand];
  const longest = panLengths[panLengths.length - 1] ?? 19;
  if (digits.length > longest) return 'invalid';
  if (panLengths.includes(digits.length) && luhnValid(digits)) return 'valid';
  if (digits.length === longest) return 'invalid';
  return 'incomplete';
}

/** The number grouped as it is printed on the card: `4242 4242 4242 4242`, `3782 822463 10005`. */
export function formatPan(digits: string, brand: CardBrand | null): string {
  const gaps = brandRules[brand ?? 'visa'].gaps;
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (gaps.includes(i)) out += ' ';
    out += digits[i];
  }
  return out;
}

/** The CVC length the brand prints (4 on the front of an Amex, 3 on the back of the others). */
export function cvcValid(cvc: string, brand: CardBrand | null): boolean {
  if (!/^\d+$/.test(cvc)) return false;
  return brand ? cvc.length === brandRules[brand].cvcLength : cvc.length === 3 || cvc.length === 4;
}
