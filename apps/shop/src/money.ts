import { currencyExponent } from '@payin/core';

/**
 * A price in the currency's minor unit as the shopper reads it (the ISO 4217 exponent from
 * payin's currency table, the formatting from Intl): 42900 EUR in fr-FR is "429,00 €".
 */
export function formatPrice(minor: number, currency: string, locale: string): string {
  const digits = currencyExponent(currency);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  const major = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(`${minor < 0 ? '-' : ''}${major}` as Intl.StringNumericLiteral);
}
