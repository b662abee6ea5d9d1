import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** Failed authentications are limited per client address (PAYIN_AUTH_FAILURES_PER_MINUTE). */

const LIMIT = 5;
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({ PAYIN_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
  m = await t.merchant('Brute Force Target');
});
afterAll(async () => {
  await t?.close();
});

describe('auth failure rate limit', () => {
  it('answers 429 rate_limit_error with Retry-After once an address has failed authentication too often', async () => {
    // A valid request first: it is not a failure and must not count.
    expect((await m.get('/v1/payments')).status).toBe(200);

    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) {
      const res = await t.request('GET', '/v1/payments', { key: `sk_test_${String(i).padStart(32, 'x')}` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(LIMIT).fill(401));

    const limited = await t.request('GET', '/v1/payments', { key: `sk_test_${'y'.repeat(32)}` });
    expect(limited.status, limited.text).toBe(429);
    expect(Object.keys(limited.body)).toEqual(['error']);
    expect(limited.body.error.type).toBe('rate_limit_error');
    expect(typeof limited.body.error.message).toBe('string');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('keeps refusing guesses from that address, also on admin endpoints', async () => {
    const again = await t.request('GET', '/admin/v1/merchants/mer_x', { key: 'padm_guess' });
    expect(again.status).toBe(429);
    expect(again.body.error.type).toBe('rate_limit_error');
    expect(again.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
