import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * A capture or refund whose provider answer is lost stays reserved (never done twice, never
 * guessed failed) and is sent again with its own idempotency key until the provider answers.
 */
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({ PAYIN_INQUIRY_BASE_MS: '200' });
  m = await t.merchant();
});
afterAll(async () => {
  await t?.close();
});

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('lost provider answers', () => {
  it('keeps a refund pending and reserved until the retried request gets the answer', async () => {
    const paid = await m.post('/v1/payments', {
      amount: 1000,
      currency: 'EUR',
      payment_method: 'pm_card_refundTimeout',
      confirm: true,
    });
    expect(paid.body.status).toBe('succeeded');
    const refund = await m.post('/v1/refunds', { payment: paid.body.id });
    expect(refund.status).toBe(200);
    expect(refund.body.status).toBe('pending');
    // What is pending is reserved: nothing more can be refunded meanwhile.
    const more = await m.post('/v1/refunds', { payment: paid.body.id, amount: 1 });
    expect(more.status).toBe(400);

    const done = await until(
      () => m.get(`/v1/refunds/${refund.body.id}`),
      (r) => r.body.status !== 'pending',
      'the refund to resolve',
    );
    expect(done.body.status).toBe('succeeded');
    expect((await m.get(`/v1/payments/${paid.body.id}`)).body.amount_refunded).toBe(1000);
    const events = await m.get('/v1/events?type=refund.succeeded&limit=100');
    expect(events.body.data.filter((e: any) => e.data.object.id === refund.body.id)).toHaveLength(1);
  });

  it('keeps a capture reserved until the retried request gets the answer', async () => {
    const auth = await m.post('/v1/payments', {
      amount: 1500,
      currency: 'EUR',
      payment_method: 'pm_card_captureTimeout',
      capture_method: 'manual',
      confirm: true,
    });
    expect(auth.body.status).toBe('requires_capture');
    const captured = await m.post(`/v1/payments/${auth.body.id}/capture`, { amount: 1200 });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 300,
      amount_received: 0,
    });
    // No void while the capture's answer is outstanding.
    const cancel = await m.post(`/v1/payments/${auth.body.id}/cancel`);
    expect(cancel.status).toBe(400);

    const done = await until(
      () => m.get(`/v1/payments/${auth.body.id}`),
      (p) => p.body.status === 'succeeded',
      'the capture to resolve',
    );
    expect(done.body).toMatchObject({ amount_received: 1200, amount_capturable: 0 });
  });
});
