import { responseErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, approvedOrder, paypal, type RunningPayPal, startPayPal } from './paypal-harness.js';

let emulator: RunningPayPal;
let token: string;

beforeAll(async () => {
  emulator = await startPayPal({ pendingCaptureMs: 100 });
  token = await accessToken(emulator.url);
});
afterAll(() => emulator.close());

const AUTHS = '/v2/payments/authorizations';
const CAPTURES = '/v2/payments/captures';
const conforms = (method: 'get' | 'post', path: string, answer: { status: number; body: unknown }) =>
  expect(responseErrors('payments', method, path, answer.status, answer.body)).toEqual([]);

async function authorization(value = '100.00') {
  const { id } = await approvedOrder(
    emulator.url,
    token,
    'approve',
    { amount: { currency_code: 'USD', value } },
    { intent: 'AUTHORIZE' },
  );
  const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/authorize`);
  return order.body.purchase_units[0].payments.authorizations[0].id as string;
}

async function capture(value = '100.00', payer: 'approve' | 'pending' = 'approve') {
  const { id } = await approvedOrder(emulator.url, token, payer, { amount: { currency_code: 'USD', value } });
  const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
  return order.body.purchase_units[0].payments.captures[0] as {
    id: string;
    status: string;
    status_details?: unknown;
  };
}

describe('PayPal emulator: authorizations', () => {
  it('shows an authorization, captures part of it, then the rest with final_capture', async () => {
    const id = await authorization();
    const shown = await paypal(emulator.url, token, 'GET', `${AUTHS}/${id}`);
    expect(shown.body).toMatchObject({
      id,
      status: 'CREATED',
      amount: { currency_code: 'USD', value: '100.00' },
    });
    conforms('get', `${AUTHS}/{authorization_id}`, shown);
    const part = await paypal(
      emulator.url,
      token,
      'POST',
      `${AUTHS}/${id}/capture`,
      { amount: { currency_code: 'USD', value: '30.00' }, final_capture: false },
      { prefer: 'return=representation' },
    );
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      status: 'COMPLETED',
      amount: { value: '30.00' },
      final_capture: false,
    });
    conforms('post', `${AUTHS}/{authorization_id}/capture`, part);
    expect((await paypal(emulator.url, token, 'GET', `${AUTHS}/${id}`)).body.status).toBe(
      'PARTIALLY_CAPTURED',
    );
    const rest = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/capture`, { final_capture: true });
    expect(rest.status).toBe(201);
    expect(Object.keys(rest.body).sort()).toEqual(['id', 'links', 'status']);
    const final = await paypal(emulator.url, token, 'GET', `${CAPTURES}/${rest.body.id}`);
    expect(final.body).toMatchObject({ amount: { value: '70.00' }, final_capture: true });
    expect((await paypal(emulator.url, token, 'GET', `${AUTHS}/${id}`)).body.status).toBe('CAPTURED');
    const again = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/capture`);
    expect(again.status).toBe(422);
    expect(again.body.details[0].issue).toBe('AUTHORIZATION_ALREADY_CAPTURED');
    conforms('post', `${AUTHS}/{authorization_id}/capture`, again);
  });

  it('refuses a capture over 115% (MAX_CAPTURE_AMOUNT_EXCEEDED) or in another currency', async () => {
    const id = await authorization();
    const over = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/capture`, {
      amount: { currency_code: 'USD', value: '115.01' },
    });
    expect(over.status).toBe(422);
    expect(over.body.details[0].issue).toBe('MAX_CAPTURE_AMOUNT_EXCEEDED');
    conforms('post', `${AUTHS}/{authorization_id}/capture`, over);
    const currency = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/capture`, {
      amount: { currency_code: 'EUR', value: '10.00' },
    });
    expect(currency.body.details[0].issue).toBe('AUTH_CAPTURE_CURRENCY_MISMATCH');
  });

  it('voids with 204 (200 and the authorization with return=representation), then refuses capture and void', async () => {
    const id = await authorization();
    const voided = await fetch(`${emulator.url}/paypal${AUTHS}/${id}/void`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    expect(voided.status).toBe(204);
    const captured = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/capture`);
    expect(captured.body.details[0].issue).toBe('AUTHORIZATION_VOIDED');
    conforms('post', `${AUTHS}/{authorization_id}/capture`, captured);
    const twice = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/void`);
    expect(twice.status).toBe(422);
    expect(twice.body.details[0].issue).toBe('PREVIOUSLY_VOIDED');
    conforms('post', `${AUTHS}/{authorization_id}/void`, twice);
    const other = await authorization();
    const shown = await paypal(emulator.url, token, 'POST', `${AUTHS}/${other}/void`, undefined, {
      prefer: 'return=representation',
    });
    expect(shown.status).toBe(200);
    expect(shown.body.status).toBe('VOIDED');
    conforms('post', `${AUTHS}/{authorization_id}/void`, shown);
  });

  it('reauthorizes into a new authorization, and not a voided one', async () => {
    const id = await authorization();
    const renewed = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/reauthorize`, {
      amount: { currency_code: 'USD', value: '110.00' },
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.id).not.toBe(id);
    expect(renewed.body).toMatchObject({ status: 'CREATED', amount: { value: '110.00' } });
    conforms('post', `${AUTHS}/{authorization_id}/reauthorize`, renewed);
    await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/void`);
    const refused = await paypal(emulator.url, token, 'POST', `${AUTHS}/${id}/reauthorize`);
    expect(refused.body.details[0].issue).toBe('AUTHORIZATION_VOIDED');
    conforms('post', `${AUTHS}/{authorization_id}/reauthorize`, refused);
  });

  it('answers 404 for unknown authorizations, captures and refunds', async () => {
    for (const [path, spec] of [
      [`${AUTHS}/NOPE`, `${AUTHS}/{authorization_id}`],
      [`${CAPTURES}/NOPE`, `${CAPTURES}/{capture_id}`],
      ['/v2/payments/refunds/NOPE', '/v2/payments/refunds/{refund_id}'],
    ] as const) {
      const answer = await paypal(emulator.url, token, 'GET', path);
      expect(answer.status).toBe(404);
      expect(answer.body.details[0].issue).toBe('INVALID_RESOURCE_ID');
      conforms('get', spec, answer);
    }
  });
});

describe('PayPal emulator: refunds', () => {
  it('refunds part, then the rest; then CAPTURE_FULLY_REFUNDED', async () => {
    const { id } = await capture('50.00');
    const part = await paypal(
      emulator.url,
      token,
      'POST',
      `${CAPTURES}/${id}/refund`,
      { amount: { currency_code: 'USD', value: '20.00' }, note_to_payer: 'Sorry' },
      { prefer: 'return=representation' },
    );
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      status: 'COMPLETED',
      amount: { value: '20.00' },
      note_to_payer: 'Sorry',
    });
    conforms('post', `${CAPTURES}/{capture_id}/refund`, part);
    expect((await paypal(emulator.url, token, 'GET', `${CAPTURES}/${id}`)).body.status).toBe(
      'PARTIALLY_REFUNDED',
    );
    const rest = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`);
    expect(rest.status).toBe(201);
    const shown = await paypal(emulator.url, token, 'GET', `/v2/payments/refunds/${rest.body.id}`);
    expect(shown.body.amount).toEqual({ currency_code: 'USD', value: '30.00' });
    conforms('get', '/v2/payments/refunds/{refund_id}', shown);
    const captureNow = await paypal(emulator.url, token, 'GET', `${CAPTURES}/${id}`);
    expect(captureNow.body.status).toBe('REFUNDED');
    conforms('get', `${CAPTURES}/{capture_id}`, captureNow);
    const more = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`);
    expect(more.status).toBe(422);
    expect(more.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    conforms('post', `${CAPTURES}/{capture_id}/refund`, more);
  });

  it('refuses a refund over what remains (REFUND_AMOUNT_EXCEEDED) or with bad amounts', async () => {
    const { id } = await capture('50.00');
    await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`, {
      amount: { currency_code: 'USD', value: '40.00' },
    });
    const over = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`, {
      amount: { currency_code: 'USD', value: '10.01' },
    });
    expect(over.status).toBe(422);
    expect(over.body.details[0]).toMatchObject({ issue: 'REFUND_AMOUNT_EXCEEDED', field: '/amount/value' });
    conforms('post', `${CAPTURES}/{capture_id}/refund`, over);
    const precision = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`, {
      amount: { currency_code: 'USD', value: '1.001' },
    });
    expect(precision.body.details[0].issue).toBe('DECIMAL_PRECISION');
    const currency = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`, {
      amount: { currency_code: 'EUR', value: '1.00' },
    });
    expect(currency.body.details[0].issue).toBe('REFUND_CAPTURE_CURRENCY_MISMATCH');
    const missing = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${id}/refund`, {
      amount: { currency_code: 'USD' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.details[0]).toMatchObject({
      issue: 'MISSING_REQUIRED_PARAMETER',
      field: '/amount/value',
    });
    conforms('post', `${CAPTURES}/{capture_id}/refund`, missing);
  });

  it('leaves a pending payer’s capture PENDING (PENDING_REVIEW), refuses its refund, then completes it', async () => {
    const pending = await capture('25.00', 'pending');
    expect(pending).toMatchObject({ status: 'PENDING', status_details: { reason: 'PENDING_REVIEW' } });
    const refund = await paypal(emulator.url, token, 'POST', `${CAPTURES}/${pending.id}/refund`);
    expect(refund.body.details[0].issue).toBe('PENDING_CAPTURE');
    conforms('post', `${CAPTURES}/{capture_id}/refund`, refund);
    let status = 'PENDING';
    for (let i = 0; i < 50 && status === 'PENDING'; i++) {
      await new Promise((done) => setTimeout(done, 20));
      status = (await paypal(emulator.url, token, 'GET', `${CAPTURES}/${pending.id}`)).body.status;
    }
    expect(status).toBe('COMPLETED');
  });
});
