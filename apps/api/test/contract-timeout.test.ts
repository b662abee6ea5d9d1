import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * pm_card_timeout: the provider never answers, so the payment stays `processing` until the
 * outcome is learned (status inquiries by the worker's recovery job); it is never failed on a
 * guess. The sandbox's timed-out charge did go through, so the payment must end succeeded.
 */

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({ PAYIN_INQUIRY_BASE_MS: '200' });
  m = await t.merchant('Timeout Shop');
});
afterAll(async () => {
  await t?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the payment every 200 ms until it leaves `processing` (deadline ~20 s); returns every status seen. */
async function pollUntilSettled(id: string): Promise<{ statuses: string[]; last: Record<string, unknown> }> {
  const statuses: string[] = [];
  let last: Record<string, unknown> = {};
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await m.get(`/v1/payments/${id}`);
    expect(res.status).toBe(200);
    last = res.body;
    statuses.push(res.body.status);
    if (res.body.status !== 'processing') break;
    await sleep(200);
  }
  return { statuses, last };
}

describe('provider timeout', () => {
  it('answers 200 processing at once, then the recovery job resolves the payment to succeeded, never failed', async () => {
    const res = await m.post('/v1/payments', {
      amount: 2750,
      currency: 'EUR',
      payment_method: 'pm_card_timeout',
      confirm: true,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'processing', amount_received: 0, last_error: null });

    const { statuses, last } = await pollUntilSettled(res.body.id);
    expect(statuses.every((s) => s === 'processing' || s === 'succeeded')).toBe(true);
    expect(last).toMatchObject({ status: 'succeeded', amount_received: 2750, last_error: null });

    const events = (
      (await m.get('/v1/events?limit=100')).body.data as { type: string; data: { object: { id: string } } }[]
    )
      .filter((e) => e.data.object.id === res.body.id)
      .map((e) => e.type)
      .reverse();
    expect(events).toEqual(['payment.created', 'payment.processing', 'payment.succeeded']);
  });

  it('resolves a timed-out manual-capture payment to requires_capture, which can then be captured', async () => {
    const res = await m.post('/v1/payments', {
      amount: 1200,
      currency: 'USD',
      payment_method: 'pm_card_timeout',
      capture_method: 'manual',
      confirm: true,
    });
    expect(res.body.status).toBe('processing');
    const { statuses, last } = await pollUntilSettled(res.body.id);
    expect(statuses).not.toContain('requires_payment_method');
    expect(last).toMatchObject({ status: 'requires_capture', amount_capturable: 1200 });
    const captured = await m.post(`/v1/payments/${res.body.id}/capture`);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 1200 });
  });

  it('refuses to cancel or confirm again while the outcome is unknown, and still ends succeeded', async () => {
    const res = await m.post('/v1/payments', {
      amount: 990,
      currency: 'EUR',
      payment_method: 'pm_card_timeout',
      confirm: true,
    });
    expect(res.body.status).toBe('processing');
    const cancel = await m.post(`/v1/payments/${res.body.id}/cancel`);
    const confirm = await m.post(`/v1/payments/${res.body.id}/confirm`, { payment_method: 'pm_card_visa' });
    // Processing (or already succeeded): neither state can be canceled or confirmed.
    expect(cancel.status).toBe(400);
    expect(cancel.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_unexpected_state',
    });
    expect(confirm.status).toBe(400);
    expect(confirm.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'payment_unexpected_state',
    });
    const { last } = await pollUntilSettled(res.body.id);
    expect(last).toMatchObject({ status: 'succeeded', amount_received: 990 });
  });
});
