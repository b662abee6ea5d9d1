import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** API.md "Refunds". */

// The contract's refund fields, plus livemode which every object has.
const REFUND_KEYS = [
  'amount',
  'created',
  'currency',
  'failure_reason',
  'id',
  'livemode',
  'metadata',
  'object',
  'payment',
  'reason',
  'status',
].sort();

function expectRefundShape(refund: Record<string, unknown>) {
  expect(Object.keys(refund).sort()).toEqual(REFUND_KEYS);
  expect(refund.id).toMatch(/^re_/);
  expect(refund.object).toBe('refund');
  expect(Number.isInteger(refund.amount)).toBe(true);
  expect(refund.payment).toMatch(/^pay_/);
  expect(['pending', 'succeeded', 'failed', 'canceled']).toContain(refund.status);
  expect(Number.isInteger(refund.created)).toBe(true);
  expect(Math.abs((refund.created as number) - Date.now() / 1000)).toBeLessThan(3600);
  expect(typeof refund.livemode).toBe('boolean');
  expect(typeof refund.metadata).toBe('object');
}

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Refunds Shop');
});
afterAll(async () => {
  await t?.close();
});

async function paid(amount = 2000, method = 'pm_card_visa', currency = 'EUR') {
  const res = await m.post('/v1/payments', { amount, currency, payment_method: method, confirm: true });
  expect(res.status, res.text).toBe(200);
  expect(res.body.status).toBe('succeeded');
  return res.body as { id: string; amount: number };
}

const refundsOf = async (paymentId: string) =>
  (await m.get(`/v1/refunds?payment=${paymentId}&limit=100`)).body.data;
const paymentOf = async (paymentId: string) => (await m.get(`/v1/payments/${paymentId}`)).body;

describe('refunds', () => {
  it('refunds the whole payment when no amount is given, with the refund object exactly per contract', async () => {
    const p = await paid(2000);
    const res = await m.post('/v1/refunds', {
      payment: p.id,
      reason: 'requested_by_customer',
      metadata: { ticket: 'T-1' },
    });
    expect(res.status, res.text).toBe(200);
    expectRefundShape(res.body);
    expect(res.body).toMatchObject({
      object: 'refund',
      amount: 2000,
      currency: 'EUR',
      payment: p.id,
      status: 'succeeded',
      reason: 'requested_by_customer',
      failure_reason: null,
      metadata: { ticket: 'T-1' },
      livemode: false,
    });
    const fetched = await m.get(`/v1/refunds/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);
    expect(await paymentOf(p.id)).toMatchObject({
      amount_received: 2000,
      amount_refunded: 2000,
      status: 'succeeded',
    });
  });

  it('refunds part of a payment and shows it in amount_refunded', async () => {
    const p = await paid(2000);
    const res = await m.post('/v1/refunds', { payment: p.id, amount: 500 });
    expect(res.status).toBe(200);
    expectRefundShape(res.body);
    expect(res.body).toMatchObject({ amount: 500, status: 'succeeded', reason: null, metadata: {} });
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 500 });
  });

  it('allows several partial refunds, then refunds exactly the remainder by default', async () => {
    const p = await paid(1999);
    const first = await m.post('/v1/refunds', { payment: p.id, amount: 500 });
    const second = await m.post('/v1/refunds', { payment: p.id, amount: 700 });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 1200 });
    const rest = await m.post('/v1/refunds', { payment: p.id });
    expect(rest.status).toBe(200);
    expect(rest.body.amount).toBe(799);
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 1999 });
    const listed = await refundsOf(p.id);
    expect(listed.map((r: { id: string }) => r.id)).toEqual([rest.body.id, second.body.id, first.body.id]);
  });

  it('refuses an over-refund with 400 amount_too_large and refunds nothing', async () => {
    const p = await paid(1000);
    await m.post('/v1/refunds', { payment: p.id, amount: 600 });
    const before = await refundsOf(p.id);
    const res = await m.post('/v1/refunds', { payment: p.id, amount: 401 });
    expectError(res, 400, 'invalid_request_error', { code: 'amount_too_large', param: 'amount' });
    expect(await refundsOf(p.id)).toEqual(before);
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 600 });
    const tooMuch = await m.post('/v1/refunds', { payment: (await paid(1000)).id, amount: 1001 });
    expectError(tooMuch, 400, 'invalid_request_error', { code: 'amount_too_large', param: 'amount' });
  });

  it('refuses any refund once the payment is fully refunded', async () => {
    const p = await paid(800);
    expect((await m.post('/v1/refunds', { payment: p.id })).status).toBe(200);
    const before = await refundsOf(p.id);
    expectError(await m.post('/v1/refunds', { payment: p.id }), 400, 'invalid_request_error');
    expectError(await m.post('/v1/refunds', { payment: p.id, amount: 1 }), 400, 'invalid_request_error');
    expect(await refundsOf(p.id)).toEqual(before);
  });

  it('refunds never more than amount_received after a partial capture', async () => {
    const auth = await m.post('/v1/payments', {
      amount: 2000,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    await m.post(`/v1/payments/${auth.body.id}/capture`, { amount: 1500 });
    expectError(
      await m.post('/v1/refunds', { payment: auth.body.id, amount: 1501 }),
      400,
      'invalid_request_error',
      {
        code: 'amount_too_large',
      },
    );
    const all = await m.post('/v1/refunds', { payment: auth.body.id });
    expect(all.body.amount).toBe(1500);
    expect(await paymentOf(auth.body.id)).toMatchObject({ amount_received: 1500, amount_refunded: 1500 });
  });

  it('refuses to refund an uncaptured payment with 400 and writes no refund', async () => {
    const auth = await m.post('/v1/payments', {
      amount: 2000,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    expect(auth.body.status).toBe('requires_capture');
    const res = await m.post('/v1/refunds', { payment: auth.body.id });
    expectError(res, 400, 'invalid_request_error', { payment: auth.body.id });
    expect(await refundsOf(auth.body.id)).toEqual([]);
    expect(await paymentOf(auth.body.id)).toEqual(auth.body);
  });

  it('refuses to refund a failed or never-confirmed payment with 400', async () => {
    const declined = await m.post('/v1/payments', {
      amount: 2000,
      currency: 'EUR',
      payment_method: 'pm_card_chargeDeclined',
      confirm: true,
    });
    const failedId = declined.body.error.payment as string;
    expectError(await m.post('/v1/refunds', { payment: failedId }), 400, 'invalid_request_error');
    expectError(
      await m.post('/v1/refunds', { payment: failedId, amount: 100 }),
      400,
      'invalid_request_error',
    );
    const open = await m.post('/v1/payments', { amount: 2000, currency: 'EUR' });
    expectError(await m.post('/v1/refunds', { payment: open.body.id }), 400, 'invalid_request_error');
    const canceled = await m.post(`/v1/payments/${open.body.id}/cancel`);
    expect(canceled.body.status).toBe('canceled');
    expectError(await m.post('/v1/refunds', { payment: open.body.id }), 400, 'invalid_request_error');
    expect(await refundsOf(failedId)).toEqual([]);
    expect(await refundsOf(open.body.id)).toEqual([]);
  });

  it('records a refund the provider refuses as failed with failure_reason and a refund.failed event', async () => {
    const p = await paid(2500, 'pm_card_refundFail');
    const res = await m.post('/v1/refunds', { payment: p.id, amount: 1000 });
    expect(res.status, res.text).toBe(200);
    expectRefundShape(res.body);
    expect(res.body.status).toBe('failed');
    expect(typeof res.body.failure_reason).toBe('string');
    expect(res.body.failure_reason.length).toBeGreaterThan(0);
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 0, amount_received: 2500 });

    const events = (await m.get('/v1/events?type=refund.failed&limit=100')).body.data as {
      type: string;
      data: { object: { id: string } };
    }[];
    const failed = events.find((e) => e.data.object.id === res.body.id);
    expect(failed).toBeDefined();
    expect(failed?.data.object).toEqual(res.body);
    const succeeded = (await m.get('/v1/events?type=refund.succeeded&limit=100')).body.data as {
      data: { object: { id: string } };
    }[];
    expect(succeeded.some((e) => e.data.object.id === res.body.id)).toBe(false);

    // A failed refund reserves nothing: the whole amount is still refundable (and fails again).
    const again = await m.post('/v1/refunds', { payment: p.id });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ amount: 2500, status: 'failed' });
  });

  it('refunds in a zero-decimal currency in its minor unit', async () => {
    const p = await paid(500, 'pm_card_visa', 'JPY');
    const res = await m.post('/v1/refunds', { payment: p.id, amount: 120 });
    expect(res.body).toMatchObject({ amount: 120, currency: 'JPY', status: 'succeeded' });
  });

  it('never refunds more than amount_received under concurrent requests', async () => {
    const p = await paid(1999);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => m.post('/v1/refunds', { payment: p.id, amount: 500 })),
    );
    const ok = results.filter((r) => r.status === 200);
    for (const r of results) expect([200, 400, 409]).toContain(r.status);
    expect(ok).toHaveLength(3);
    const listed = await refundsOf(p.id);
    const total = listed
      .filter((r: { status: string }) => r.status === 'succeeded' || r.status === 'pending')
      .reduce((sum: number, r: { amount: number }) => sum + r.amount, 0);
    expect(total).toBe(1500);
    expect(await paymentOf(p.id)).toMatchObject({ amount_refunded: 1500 });
  });
});
