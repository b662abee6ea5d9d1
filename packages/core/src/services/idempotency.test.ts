import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, requestHash } from './idempotency.js';
import { inquiryDelayMs } from './outcomes.js';

describe('request hashing', () => {
  it('hashes the same parameters the same in any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(requestHash('POST', '/v1/payments', reversed)).toBe(requestHash('POST', '/v1/payments', obj));
      }),
    );
  });

  it('tells different parameters and different paths apart', () => {
    expect(requestHash('POST', '/v1/payments', { amount: 1 })).not.toBe(
      requestHash('POST', '/v1/payments', { amount: 2 }),
    );
    expect(requestHash('POST', '/v1/payments/a/capture', {})).not.toBe(
      requestHash('POST', '/v1/payments/b/capture', {}),
    );
  });
});

describe('status inquiry backoff', () => {
  it('doubles from the base and stops at the cap', () => {
    const deps = { inquiryBaseMs: 1000, inquiryMaxMs: 60_000 };
    expect([0, 1, 2, 3].map((n) => inquiryDelayMs(deps, n))).toEqual([1000, 2000, 4000, 8000]);
    fc.assert(
      fc.property(fc.nat(1000), (n) => {
        const d = inquiryDelayMs(deps, n);
        expect(d).toBeLessThanOrEqual(60_000);
        expect(inquiryDelayMs(deps, n + 1)).toBeGreaterThanOrEqual(d);
      }),
    );
  });
});
