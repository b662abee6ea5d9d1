import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expiryState, formatExpiryInput, parseExpiry } from './expiry.js';

describe('formatExpiryInput', () => {
  it('adds the slash after the month by itself', () => {
    expect(formatExpiryInput('1')).toBe('1');
    expect(formatExpiryInput('12')).toBe('12 / ');
    expect(formatExpiryInput('12 / 3')).toBe('12 / 3');
    expect(formatExpiryInput('1230')).toBe('12 / 30');
  });

  it('reads a single digit no month starts with as a month', () => {
    expect(formatExpiryInput('5')).toBe('05 / ');
    expect(formatExpiryInput('13')).toBe('01 / 3');
    expect(formatExpiryInput('1/')).toBe('01 / ');
  });

  it('lets the shopper delete back over the slash', () => {
    expect(formatExpiryInput('12 /', true)).toBe('12');
  });

  it('takes what autofill and paste bring', () => {
    expect(formatExpiryInput('12/2030')).toBe('12 / 30');
    expect(formatExpiryInput('1/30')).toBe('01 / 30');
    expect(formatExpiryInput('１２／３０')).toBe('12 / 30');
    expect(formatExpiryInput('12 / 3030')).toBe('12 / 30');
  });

  it('gives back the month and year parseExpiry reads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2000, max: 2099 }), (month, year) => {
        const typed = `${String(month).padStart(2, '0')}${String(year).slice(2)}`;
        expect(parseExpiry(formatExpiryInput(typed))).toEqual({ month, year });
      }),
    );
  });
});

describe('parseExpiry', () => {
  it('reads MM / YY, MMYY and MM / YYYY', () => {
    expect(parseExpiry('12 / 30')).toEqual({ month: 12, year: 2030 });
    expect(parseExpiry('0130')).toEqual({ month: 1, year: 2030 });
    expect(parseExpiry('12 / 2030')).toEqual({ month: 12, year: 2030 });
  });

  it('refuses a month that does not exist and a half-typed date', () => {
    expect(parseExpiry('13 / 30')).toBeNull();
    expect(parseExpiry('00 / 30')).toBeNull();
    expect(parseExpiry('12 / 3')).toBeNull();
  });
});

describe('expiryState', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('keeps a card valid through the last day of its month', () => {
    expect(expiryState(11, 2026, now)).toBe('valid');
    expect(expiryState(10, 2026, now)).toBe('expired');
  });

  it('refuses a date more than twenty years ahead and a month that does not exist', () => {
    expect(expiryState(11, 2046, now)).toBe('valid');
    expect(expiryState(12, 2046, now)).toBe('invalid');
    expect(expiryState(13, 2030, now)).toBe('invalid');
  });
});
