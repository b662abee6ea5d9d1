import { normalizeDigits } from './digits.js';

export interface Expiry {
  month: number;
  /** Four digits. */
  year: number;
}

/** A month the shopper closed with a separator, alone (`1/`) or with a year (`1/30`, `12/2030`). */
const separatedExpiry = /^\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})?\s*$/;

/**
 * What the expiry field shows while typing `MM / YY`: the slash comes by itself after the
 * month, a single digit above 1 is a month (`5` → `05 / `) and so is a 1 followed by a digit
 * no month has (`13` → `01 / 3`), deleting back over the slash deletes it, and what autofill
 * or a paste brings as `1/30` or `12/2030` lands as `01 / 30` and `12 / 30`.
 */
export function formatExpiryInput(raw: string, deleting = false): string {
  const separated = separatedExpiry.exec(raw.normalize('NFKC'));
  if (separated?.[1] && !deleting) {
    const month = separated[1].padStart(2, '0');
    return `${month} / ${(separated[2] ?? '').slice(-2)}`;
  }
  let digits = normalizeDigits(raw).slice(0, 4);
  if (digits.length === 1 && Number(digits) > 1) digits = `0${digits}`;
  if (!deleting && /^1[3-9]/.test(digits)) digits = `0${digits}`.slice(0, 4);
  if (digits.length < 2) return digits;
  if (digits.length === 2) return deleting ? digits : `${digits} / `;
  return `${digits.slice(0, 2)} / ${digits.slice(2)}`;
}

/** `MM / YY`, `MM/YY`, `MMYY` or `MM / YYYY` → month and four-digit year; null if malformed. */
export function parseExpiry(text: string): Expiry | null {
  const digits = normalizeDigits(text);
  if (digits.length !== 4 && digits.length !== 6) return null;
  const month = Number(digits.slice(0, 2));
  const year = digits.length === 4 ? 2000 + Number(digits.slice(2)) : Number(digits.slice(2));
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export type ExpiryState = 'valid' | 'expired' | 'invalid';

/**
 * A card is valid through the last day of its expiry month. Up to 20 years ahead: further is
 * a typing mistake, not a card.
 */
export function expiryState(month: number, year: number, now: Date = new Date()): ExpiryState {
  if (!Number.isInteger(month) || month < 1 || month > 12 || !Number.isInteger(year)) return 'invalid';
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const expires = year * 12 + (month - 1);
  if (expires < current) return 'expired';
  if (expires > current + 20 * 12) return 'invalid';
  return 'valid';
}
