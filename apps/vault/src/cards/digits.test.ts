import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDigits } from './digits.js';

/** ０-９ as a Japanese IME types them in full-width mode. */
const fullWidth = (digits: string) =>
  [...digits].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');

describe('normalizeDigits', () => {
  it('folds full-width digits into ASCII', () => {
    expect(normalizeDigits('４２４２ ４２４２ ４２４２ ４２４２')).toBe('4242424242424242');
  });

  it('drops the spaces, dashes and slashes a shopper or an autofill adds', () => {
    expect(normalizeDigits(' 4242-4242 4242/4242 ')).toBe('4242424242424242');
    expect(normalizeDigits('12 / 30')).toBe('1230');
  });

  it('reads any mix of full-width and ASCII digits as the same digits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.boolean()), { maxLength: 19 }),
        (typed) => {
          const ascii = typed.map(([d]) => String(d)).join('');
          const mixed = typed.map(([d, wide]) => (wide ? fullWidth(String(d)) : String(d))).join('');
          expect(normalizeDigits(mixed)).toBe(ascii);
        },
      ),
    );
  });
});
