import { describe, expect, it } from 'vitest';
import { formatAmount } from './format.js';

/** Intl writes a narrow no-break space in some locales; compare on plain spaces. */
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('amounts', () => {
  it.each([
    [4990, 'EUR', 'fr-FR', '49,90 €'],
    [4990, 'EUR', 'en-US', '€49.90'],
    [4990, 'EUR', 'es-ES', '49,90 €'],
    [12800, 'JPY', 'ja-JP', '￥12,800'],
    [12800, 'JPY', 'en-US', '¥12,800'],
    [199, 'USD', 'en-US', '$1.99'],
    [5, 'USD', 'en-US', '$0.05'],
    [123456789, 'EUR', 'fr-FR', '1 234 567,89 €'],
    [1000, 'KWD', 'en-US', 'KWD 1.000'],
  ])('%i %s in %s is %s', (minor, currency, locale, expected) => {
    expect(plain(formatAmount(minor, currency, locale))).toBe(expected);
  });
});
