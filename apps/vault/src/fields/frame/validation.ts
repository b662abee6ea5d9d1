import {
  availableBrands,
  brandRules,
  type CardBrand,
  cvcValid,
  detectBrand,
  expiryState,
  normalizeDigits,
  panState,
  parseExpiry,
} from '../../cards/index.js';
import type { ErrorCode } from '../messages/index.js';
import type { FieldName } from '../protocol.js';

/** Where a field stands, and the error it shows when asked to (on blur, on tokenize). */
export interface Check {
  empty: boolean;
  complete: boolean;
  valid: boolean;
  error: ErrorCode | null;
}

export function checkNumber(digits: string): Check {
  const state = panState(digits);
  const brand = detectBrand(digits);
  // A 16-digit Visa failing Luhn is still "incomplete" for panState (Visa runs to 19), but a
  // shopper who leaves it there has mistyped it: say invalid, not incomplete.
  const atLength = brand !== null && brandRules[brand].panLengths.includes(digits.length);
  const complete = state === 'valid' || atLength || digits.length >= 19;
  let error: ErrorCode | null = null;
  if (state !== 'valid') error = state === 'invalid' || atLength ? 'invalid_number' : 'incomplete_number';
  return { empty: state === 'empty', complete, valid: state === 'valid', error };
}

export function checkExpiry(text: string, now: Date): Check {
  const digits = normalizeDigits(text);
  if (digits.length < 4) {
    return { empty: digits.length === 0, complete: false, valid: false, error: 'incomplete_expiry' };
  }
  const parsed = parseExpiry(text);
  const state = parsed ? expiryState(parsed.month, parsed.year, now) : 'invalid';
  const error: ErrorCode | null = !parsed
    ? 'invalid_expiry_month'
    : state === 'expired'
      ? 'expired_card'
      : state === 'invalid'
        ? 'invalid_expiry_year'
        : null;
  return { empty: false, complete: true, valid: error === null, error };
}

/** The CVC length follows the card's network, which the number frame tells the CVC frame. */
export function checkCvc(cvc: string, brand: CardBrand | null): Check {
  const needed = brand ? brandRules[brand].cvcLength : 3;
  const valid = cvcValid(cvc, brand);
  let error: ErrorCode | null = null;
  if (!valid) error = cvc.length < needed ? 'incomplete_cvc' : 'invalid_cvc';
  return { empty: cvc.length === 0, complete: cvc.length >= needed, valid, error };
}

export function checkHolderName(name: string): Check {
  const valid = name.trim().length > 0;
  return { empty: !valid, complete: valid, valid, error: valid ? null : 'incomplete_holder_name' };
}

/** The `card` object of `POST /v1/tokens`. */
export interface TokenCard {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc?: string;
  holder_name?: string;
  brand?: CardBrand;
}

export interface CardInput {
  /** Values gathered from the frames of the mount, as each field holds them. */
  values: Partial<Record<FieldName, string>>;
  /** Fields the merchant mounted: those are required. */
  fields: readonly FieldName[];
  /** The cardholder's choice among the networks of a co-badged card. */
  chosenBrand: CardBrand | null;
  now: Date;
}

export type CardValidation =
  | { ok: true; card: TokenCard }
  | { ok: false; errors: { field: FieldName; code: ErrorCode }[] };

/** Validates the whole card before it leaves for the server, field by field. */
export function validateCard({ values, fields, chosenBrand, now }: CardInput): CardValidation {
  const number = normalizeDigits(values.number ?? '');
  const brand = detectBrand(number);
  const checks: [FieldName, Check][] = [
    ['number', checkNumber(number)],
    ['expiry', checkExpiry(values.expiry ?? '', now)],
  ];
  if (fields.includes('cvc')) checks.push(['cvc', checkCvc(normalizeDigits(values.cvc ?? ''), brand)]);
  if (fields.includes('holder_name')) checks.push(['holder_name', checkHolderName(values.holder_name ?? '')]);
  const errors = checks.flatMap(([field, check]) => (check.error ? [{ field, code: check.error }] : []));
  const expiry = parseExpiry(values.expiry ?? '');
  if (errors.length > 0 || !expiry) return { ok: false, errors };
  const card: TokenCard = { number, exp_month: expiry.month, exp_year: expiry.year };
  if (fields.includes('cvc')) card.cvc = normalizeDigits(values.cvc ?? '');
  if (fields.includes('holder_name')) card.holder_name = (values.holder_name ?? '').trim();
  const offered = availableBrands(number);
  if (offered.length > 1)
    card.brand = chosenBrand && offered.includes(chosenBrand) ? chosenBrand : offered[0];
  return { ok: true, card };
}

/** The field a server error's `param` names (`card[exp_month]` → expiry), or null. */
export function fieldOfParam(param: string | undefined): FieldName | null {
  const name = /^card\[(\w+)\]$/.exec(param ?? '')?.[1];
  if (name === 'number' || name === 'brand') return 'number';
  if (name === 'exp_month' || name === 'exp_year') return 'expiry';
  if (name === 'cvc') return 'cvc';
  if (name === 'holder_name') return 'holder_name';
  return null;
}

const missing: Record<FieldName, ErrorCode> = {
  number: 'incomplete_number',
  expiry: 'incomplete_expiry',
  cvc: 'incomplete_cvc',
  holder_name: 'incomplete_holder_name',
};

/** The catalogue entry for a server error code shown in a field, or null to show its message. */
export function errorCodeOf(field: FieldName, code: string): ErrorCode | null {
  if (code === 'parameter_missing') return missing[field];
  const known: readonly string[] = [
    'invalid_number',
    'invalid_expiry_month',
    'invalid_expiry_year',
    'expired_card',
    'invalid_cvc',
  ];
  return known.includes(code) ? (code as ErrorCode) : null;
}
