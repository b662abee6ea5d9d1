import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableBrands,
  brandRules,
  type CardBrand,
  cvcValid,
  detectBrand,
  formatPan,
  panState,
} from './brands.js';
import { normalizeDigits } from './digits.js';

describe('detectBrand', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['6221260000000000', 'discover'],
    ['6200000000000005', 'unionpay'],
    ['3566002020360505', 'jcb'],
    ['36227206271667', 'diners'],
    ['30569309025904', 'diners'],
  ] as const)('knows %s as %s', (pan, brand) => {
    expect(detectBrand(pan)).toBe(brand);
  });

  it('says nothing before the leading digits decide', () => {
    expect(detectBrand('')).toBeNull();
    expect(detectBrand('3')).toBeNull();
    expect(detectBrand('1234')).toBeNull();
  });
});

describe('availableBrands', () => {
  it('offers Cartes Bancaires beside the international network of a co-badged card', () => {
    expect(availableBrands('4000002500001001')).toEqual(['cartes_bancaires', 'visa']);
    expect(availableBrands('5555552500001001')).toEqual(['cartes_bancaires', 'mastercard']);
  });

  it('offers one network for a card that has one', () => {
    expect(availableBrands('4242424242424242')).toEqual(['visa']);
    expect(availableBrands('')).toEqual([]);
  });
});

describe('panState', () => {
  it('walks from empty through incomplete to valid', () => {
    expect(panState('')).toBe('empty');
    expect(panState('4242')).toBe('incomplete');
    expect(panState('4242424242424242')).toBe('valid');
    expect(panState('378282246310005')).toBe('valid');
  });

  it('refuses a number at its longest length failing Luhn, an overlong one and an unknown network', () => {
    expect(panState('5555555555554445')).toBe('invalid');
    expect(panState('55555555555544440')).toBe('invalid');
    expect(panState('9999')).toBe('invalid');
  });

  it('keeps prefixes that can still become a network incomplete', () => {
    // Mastercard 2221-2720, JCB 3528-3589, Diners 300-305, Discover 6011 and 644-649.
    for (const prefix of ['2', '22', '222', '27', '3', '30', '35', '352', '6', '60', '601', '64']) {
      expect(panState(prefix), prefix).toBe('incomplete');
    }
    expect(panState('28')).toBe('invalid');
    expect(panState('1')).toBe('invalid');
  });
});

const brands = Object.keys(brandRules) as CardBrand[];

describe('formatPan', () => {
  it('groups as the card prints it', () => {
    expect(formatPan('4242424242424242', 'visa')).toBe('4242 4242 4242 4242');
    expect(formatPan('378282246310005', 'amex')).toBe('3782 822463 10005');
    expect(formatPan('4242424242424242424', 'visa')).toBe('4242 4242 4242 4242 424');
    expect(formatPan('42', null)).toBe('42');
  });

  it('loses no digit: normalizeDigits(formatPan(d)) is d', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 19 }).map((d) => d.join('')),
        fc.option(fc.constantFrom(...brands), { nil: null }),
        (digits, brand) => {
          expect(normalizeDigits(formatPan(digits, brand))).toBe(digits);
        },
      ),
    );
  });
});

describe('cvcValid', () => {
  it('wants four digits for Amex and three for the others', () => {
    expect(cvcValid('1234', 'amex')).toBe(true);
    expect(cvcValid('123', 'amex')).toBe(false);
    expect(cvcValid('123', 'visa')).toBe(true);
    expect(cvcValid('123', 'cartes_bancaires')).toBe(true);
    expect(cvcValid('1234', 'visa')).toBe(false);
  });

  it('takes three or four digits while the brand is unknown, and digits only', () => {
    expect(cvcValid('123', null)).toBe(true);
    expect(cvcValid('1234', null)).toBe(true);
    expect(cvcValid('12a', null)).toBe(false);
    expect(cvcValid('', null)).toBe(false);
  });
});
