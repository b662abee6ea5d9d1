import { currencyExponent } from './currencies.js';

/**
 * An amount in the currency's minor unit, as the shopper reads it in their locale:
 * 4990 EUR → "49,90 €" in fr-FR, "€49.90" in en-US; 12800 JPY → "￥12,800" in ja-JP. The minor
 * unit is payin's ISO 4217 table's, the one every amount is stored in (0 for JPY, 2 for EUR, 3
 * for KWD).
 */
export function formatAmount(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const digits = currencyExponent(currency);
  // The major amount as an exact decimal string (Intl formats it without going through a float).
  const negative = minor < 0;
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return format.format(`${negative ? '-' : ''}${major}` as Intl.StringNumericLiteral);
}
