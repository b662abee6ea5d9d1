import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnValid } from './luhn.js';

const digitString = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

describe('luhnValid', () => {
  it('accepts the published test numbers', () => {
    for (const pan of ['4242424242424242', '378282246310005', '5555555555554444', '4000002500001001']) {
      expect(luhnValid(pan)).toBe(true);
    }
  });

  it('refuses a number with a wrong check digit, and anything but digits', () => {
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('4242 4242 4242 4242')).toBe(false);
  });

  it('gives every body exactly one check digit', () => {
    fc.assert(
      fc.property(digitString(1, 18), (body) => {
        const valid = [...'0123456789'].filter((d) => luhnValid(body + d));
        expect(valid).toHaveLength(1);
      }),
    );
  });

  it('catches every single-digit typing mistake', () => {
    fc.assert(
      fc.property(digitString(1, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, shift) => {
        const check = [...'0123456789'].find((d) => luhnValid(body + d)) as string;
        const pan = body + check;
        const i = at % pan.length;
        const changed = `${pan.slice(0, i)}${(Number(pan[i]) + shift) % 10}${pan.slice(i + 1)}`;
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });
});
