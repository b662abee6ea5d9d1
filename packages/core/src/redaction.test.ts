import { describe, expect, it } from 'vitest';
import { luhnValid, maskCardNumbers, redactSensitive } from './redaction.js';

describe('redaction', () => {
  it('masks Luhn-valid card numbers in any string, keeping the last four', () => {
    expect(maskCardNumbers('card 4242424242424242 declined')).toBe('card [card ••••4242] declined');
    expect(maskCardNumbers('4000 0566 5566 5556')).toBe('[card ••••5556]');
  });

  it('leaves numbers that are not card numbers alone', () => {
    expect(maskCardNumbers('order 1234567890123')).toBe('order 1234567890123');
    expect(maskCardNumbers('amount 1999')).toBe('amount 1999');
  });

  it('redacts secrets and card fields by name, deeply', () => {
    const out = redactSensitive({
      headers: { authorization: 'Bearer sk_test_abc', accept: 'json' },
      body: { card: { number: '4242424242424242', cvc: '123' }, secret: 'whsec_x', note: 'ok' },
    });
    expect(out).toEqual({
      headers: { authorization: '[redacted]', accept: 'json' },
      body: { card: { number: '[redacted]', cvc: '[redacted]' }, secret: '[redacted]', note: 'ok' },
    });
  });

  it('masks API keys inside free text', () => {
    expect(maskCardNumbers('used sk_test_4eC39HqLyjWDarjtT1zdp7dc')).toBe('used sk_test_[redacted]');
  });

  it('checks Luhn', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
  });
});
