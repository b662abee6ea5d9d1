import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  // Provider latency keeps the first request in flight while the others arrive.
  t = await startTestApi({ PAYIN_SANDBOX_LATENCY_MS: '150' });
  m = await t.merchant();
});
afterAll(async () => {
  await t?.close();
});

const key = () => `key-${Math.random().toString(36).slice(2)}`;
const order = (reference: string) => ({
  amount: 2500,
  currency: 'EUR',
  payment_method: 'pm_card_visa',
  confirm: true,
  reference,
});

async function paymentsWithReference(merchant: TestMerchant, reference: string) {
  const res = await merchant.get(`/v1/payments?reference=${reference}&limit=100`);
  return res.body.data as { id: string }[];
}

describe('idempotency', () => {
  it('replays the first response for the same key and parameters, and does the work once', async () => {
    const k = key();
    const first = await m.post('/v1/payments', order('idem-replay'), { 'idempotency-key': k });
    const second = await m.post('/v1/payments', order('idem-replay'), { 'idempotency-key': k });
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await paymentsWithReference(m, 'idem-replay')).toHaveLength(1);
  });

  it('replays a decline as a decline', async () => {
    const k = key();
    const body = { ...order('idem-decline'), payment_method: 'pm_card_chargeDeclined' };
    const first = await m.post('/v1/payments', body, { 'idempotency-key': k });
    const second = await m.post('/v1/payments', body, { 'idempotency-key': k });
    expect(first.status).toBe(402);
    expect(second.status).toBe(402);
    expect(second.body).toEqual(first.body);
    expect(await paymentsWithReference(m, 'idem-decline')).toHaveLength(1);
  });

  it('answers 422 when the key is reused with other parameters', async () => {
    const k = key();
    await m.post('/v1/payments', order('idem-422'), { 'idempotency-key': k });
    const other = await m.post(
      '/v1/payments',
      { ...order('idem-422'), amount: 2600 },
      { 'idempotency-key': k },
    );
    expect(other.status).toBe(422);
    expect(other.body.error.type).toBe('idempotency_error');
    const elsewhere = await m.post(`/v1/refunds`, { payment: 'pay_x' }, { 'idempotency-key': k });
    expect(elsewhere.status).toBe(422);
  });

  it('compares parameters, not their order', async () => {
    const k = key();
    await m.post(
      '/v1/payments',
      { amount: 100, currency: 'EUR', reference: 'idem-order' },
      { 'idempotency-key': k },
    );
    const again = await m.post(
      '/v1/payments',
      { reference: 'idem-order', currency: 'EUR', amount: 100 },
      { 'idempotency-key': k },
    );
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('creates exactly one payment when 20 requests with one key arrive together', async () => {
    const k = key();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        m.post('/v1/payments', order('idem-parallel'), { 'idempotency-key': k }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
    for (const r of results.filter((r) => r.status === 409)) {
      expect(r.body.error).toMatchObject({ type: 'idempotency_error' });
    }
    const ids = new Set(results.filter((r) => r.status === 200).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await paymentsWithReference(m, 'idem-parallel')).toHaveLength(1);
    // Once the first has finished, the key replays.
    const later = await m.post('/v1/payments', order('idem-parallel'), { 'idempotency-key': k });
    expect(later.headers.get('idempotent-replayed')).toBe('true');
  });

  it('does not store a request refused by validation', async () => {
    const k = key();
    const bad = await m.post('/v1/payments', { amount: -1, currency: 'EUR' }, { 'idempotency-key': k });
    expect(bad.status).toBe(400);
    const good = await m.post('/v1/payments', order('idem-validation'), { 'idempotency-key': k });
    expect(good.status).toBe(200);
    expect(good.headers.get('idempotent-replayed')).toBeNull();
  });

  it('scopes keys to the merchant', async () => {
    const k = key();
    const other = await t.merchant('Other');
    const a = await m.post('/v1/payments', order('idem-scope'), { 'idempotency-key': k });
    const b = await other.post('/v1/payments', order('idem-scope'), { 'idempotency-key': k });
    expect(b.status).toBe(200);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('honours the key on captures, cancels and refunds', async () => {
    const auth = await m.post('/v1/payments', { ...order('idem-ops'), capture_method: 'manual' });
    const k1 = key();
    const c1 = await m.post(
      `/v1/payments/${auth.body.id}/capture`,
      { amount: 1000, final_capture: false },
      { 'idempotency-key': k1 },
    );
    const c2 = await m.post(
      `/v1/payments/${auth.body.id}/capture`,
      { amount: 1000, final_capture: false },
      { 'idempotency-key': k1 },
    );
    expect(c2.headers.get('idempotent-replayed')).toBe('true');
    expect(c2.body).toEqual(c1.body);
    const now = await m.get(`/v1/payments/${auth.body.id}`);
    expect(now.body.amount_received).toBe(1000);

    const k2 = key();
    const r1 = await m.post('/v1/refunds', { payment: auth.body.id, amount: 300 }, { 'idempotency-key': k2 });
    const r2 = await m.post('/v1/refunds', { payment: auth.body.id, amount: 300 }, { 'idempotency-key': k2 });
    expect(r2.body.id).toBe(r1.body.id);
    const refunds = await m.get(`/v1/refunds?payment=${auth.body.id}`);
    expect(refunds.body.data).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('lets 20 concurrent partial refunds take no more than was received', async () => {
    const paid = await m.post('/v1/payments', { ...order('conc-refunds'), amount: 1000 });
    expect(paid.body.status).toBe('succeeded');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => m.post('/v1/refunds', { payment: paid.body.id, amount: 130 })),
    );
    const ok = results.filter((r) => r.status === 200);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('invalid_request_error');
    }
    expect(ok).toHaveLength(7); // 7 × 130 = 910 ≤ 1000 < 8 × 130
    const after = await m.get(`/v1/payments/${paid.body.id}`);
    expect(after.body.amount_refunded).toBe(910);
    expect(after.body.amount_refunded).toBeLessThanOrEqual(after.body.amount_received);
  });

  it('lets 20 concurrent partial captures take no more than was authorised', async () => {
    const auth = await m.post('/v1/payments', {
      ...order('conc-captures'),
      amount: 1000,
      capture_method: 'manual',
    });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        m.post(`/v1/payments/${auth.body.id}/capture`, { amount: 150, final_capture: false }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    expect(results.every((r) => r.status === 200 || r.status === 400)).toBe(true);
    const after = await m.get(`/v1/payments/${auth.body.id}`);
    expect(after.body.amount_received).toBe(900);
    expect(after.body.amount_capturable).toBe(100);
  });
});
