import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDigits } from '../../cards/index.js';
import { formatters, reformat } from './formatting.js';

const number = (raw: string) => formatters.number(raw, false);

describe('reformat', () => {
  it('keeps the caret at the end while typing at the end', () => {
    expect(reformat('42424', 5, number)).toEqual({ value: '4242 4', caret: 6 });
  });

  it('keeps the caret after the same digit when editing in the middle', () => {
    // "4242 4242" with a 1 typed after the second digit.
    expect(reformat('42142 4242', 3, number)).toEqual({ value: '4214 2424 2', caret: 3 });
    // A digit deleted just after the first group's space.
    expect(reformat('4242 242', 5, number)).toEqual({ value: '4242 242', caret: 4 });
  });

  it('folds full-width digits as they are typed', () => {
    expect(reformat('４２４２４', 5, number)).toEqual({ value: '4242 4', caret: 6 });
  });
});

describe('formatters', () => {
  it('keeps at most 19 digits of a number, and every one of them', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        expect(normalizeDigits(number(raw))).toBe(normalizeDigits(raw).slice(0, 19));
      }),
    );
  });

  it('keeps at most four digits of a CVC', () => {
    expect(formatters.cvc('12a345', false)).toBe('1234');
  });
});
