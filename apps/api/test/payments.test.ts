import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant();
});
afterAll(async () => {
  await t?.close();
});

const card = (payment_method: string, extra: Record<string, unknown> = {}) => ({
  amount: 1999,
  currency: 'EUR',
  payment_method,
  confirm: true,
  ...extra,
});

describe('payments', () => {
  it('creates a payment that waits for a payment method', async () => {
    const res = await m.post('/v1/payments', {
      amount: 1000,
      currency: 'EUR',
      reference: 'order-1',
      metadata: { a: 'b' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'payment',
      amount: 1000,
      currency: 'EUR',
      status: 'requires_payment_method',
      capture_method: 'automatic',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      reference: 'order-1',
      metadata: { a: 'b' },
      livemode: false,
      next_action: null,
      last_error: null,
    });
    expect(res.body.id).toMatch(/^pay_/);
    expect(res.body.client_secret).toMatch(new RegExp(`^${res.body.id}_secret_`));
    expect(typeof res.body.created).toBe('number');
  });

  it('succeeds at once with pm_card_visa and automatic capture', async () => {
    const res = await m.post('/v1/payments', card('pm_card_visa'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', amount_received: 1999, amount_capturable: 0 });
    expect(res.body.payment_method_details.card).toMatchObject({ brand: 'visa', last4: '4242' });
  });

  it('authorises with manual capture, then captures partially', async () => {
    const created = await m.post('/v1/payments', card('pm_card_mastercard', { capture_method: 'manual' }));
    expect(created.body).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 1999,
      amount_received: 0,
    });
    const captured = await m.post(`/v1/payments/${created.body.id}/capture`, { amount: 1500 });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 1500, amount_capturable: 0 });
  });

  it('refuses to capture more than amount_capturable', async () => {
    const created = await m.post('/v1/payments', card('pm_card_visa', { capture_method: 'manual' }));
    const res = await m.post(`/v1/payments/${created.body.id}/capture`, { amount: 2000 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param: 'amount',
    });
    const after = await m.get(`/v1/payments/${created.body.id}`);
    expect(after.body).toMatchObject({ status: 'requires_capture', amount_capturable: 1999 });
  });

  it('captures several times with final_capture false', async () => {
    const created = await m.post('/v1/payments', card('pm_card_visa', { capture_method: 'manual' }));
    const first = await m.post(`/v1/payments/${created.body.id}/capture`, {
      amount: 500,
      final_capture: false,
    });
    expect(first.body).toMatchObject({
      status: 'requires_capture',
      amount_received: 500,
      amount_capturable: 1499,
    });
    const second = await m.post(`/v1/payments/${created.body.id}/capture`, { amount: 1499 });
    expect(second.body).toMatchObject({ status: 'succeeded', amount_received: 1999, amount_capturable: 0 });
  });

  it('answers 402 with the decline code and returns the payment to requires_payment_method', async () => {
    const res = await m.post('/v1/payments', card('pm_card_chargeDeclinedInsufficientFunds'));
    expect(res.status).toBe(402);
    expect(res.body.error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'insufficient_funds',
    });
    const payment = await m.get(`/v1/payments/${res.body.error.payment}`);
    expect(payment.body.status).toBe('requires_payment_method');
    expect(payment.body.last_error).toMatchObject({ decline_code: 'insufficient_funds' });
    const retried = await m.post(`/v1/payments/${payment.body.id}/confirm`, {
      payment_method: 'pm_card_visa',
    });
    expect(retried.body).toMatchObject({ status: 'succeeded', last_error: null });
  });

  it('reports generic_decline and processing_error', async () => {
    const declined = await m.post('/v1/payments', card('pm_card_chargeDeclined'));
    expect(declined.body.error.decline_code).toBe('generic_decline');
    const failed = await m.post('/v1/payments', card('pm_card_processingError'));
    expect(failed.status).toBe(402);
    expect(failed.body.error.code).toBe('processing_error');
  });

  it('confirms in a second call and cancels before success', async () => {
    const created = await m.post('/v1/payments', {
      amount: 500,
      currency: 'JPY',
      payment_method: 'pm_card_visa',
    });
    expect(created.body.status).toBe('requires_confirmation');
    const canceled = await m.post(`/v1/payments/${created.body.id}/cancel`, {
      cancellation_reason: 'abandoned',
    });
    expect(canceled.body).toMatchObject({ status: 'canceled', cancellation_reason: 'abandoned' });
    const again = await m.post(`/v1/payments/${created.body.id}/confirm`);
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('payment_unexpected_state');
  });

  it('cancels an authorised payment, releasing the authorisation', async () => {
    const created = await m.post('/v1/payments', card('pm_card_visa', { capture_method: 'manual' }));
    const canceled = await m.post(`/v1/payments/${created.body.id}/cancel`);
    expect(canceled.body).toMatchObject({ status: 'canceled', amount_capturable: 0 });
  });

  it('refuses to cancel a succeeded payment', async () => {
    const created = await m.post('/v1/payments', card('pm_card_visa'));
    const res = await m.post(`/v1/payments/${created.body.id}/cancel`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'payment_unexpected_state', payment: created.body.id });
  });
});
