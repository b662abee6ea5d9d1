import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidAmount, MAX_AMOUNT } from './amount.js';
import { currencyExponent, isCurrency } from './currencies.js';

describe('money', () => {
  it('knows the minor unit of the marketplace currencies', () => {
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('KWD')).toBe(3);
  });

  it('refuses unknown and lower-case currencies', () => {
    expect(isCurrency('XXX')).toBe(false);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('toString')).toBe(false);
  });

  it('accepts only positive safe integers up to the maximum', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double(), fc.constant(MAX_AMOUNT + 1)), (n) => {
        expect(isValidAmount(n)).toBe(Number.isSafeInteger(n) && n > 0 && n <= MAX_AMOUNT);
      }),
    );
  });
});
