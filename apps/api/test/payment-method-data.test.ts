import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * Alternative methods named with `payment_method_data` (type and the payer's details): what is
 * kept and shown, and every refusal before anything is written or sent: a method its market
 * does not offer, details its provider needs, a method no connector account takes.
 */
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Methods Shop');
});
afterAll(async () => {
  await t?.close();
});

const paymentCount = async () => (await m.get('/v1/payments?limit=100')).body.data.length as number;

const konbini = {
  type: 'konbini',
  billing_details: { name: 'Yamada Taro', email: 'taro@example.jp', phone: '+81 90 1234 5678' },
};

describe('payment_method_data', () => {
  it('keeps the method and the payer on a payment created without confirming', async () => {
    const res = await m.post('/v1/payments', {
      amount: 5_000,
      currency: 'JPY',
      country: 'JP',
      payment_method_data: {
        ...konbini,
        billing_details: { ...konbini.billing_details, address: { country: 'JP', city: ' ' } },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      status: 'requires_confirmation',
      payment_method: 'konbini',
      payment_method_details: {
        type: 'konbini',
        // Empty parts are dropped.
        billing_details: { ...konbini.billing_details, address: { country: 'JP' } },
      },
    });
    const read = await m.get(`/v1/payments/${res.body.id}`);
    expect(read.body.payment_method_details).toEqual(res.body.payment_method_details);

    // The shopper's browser sees which method was chosen, never the payer's details.
    const view = await t.request(
      'GET',
      `/v1/checkout/payments/${res.body.id}?client_secret=${encodeURIComponent(res.body.client_secret)}`,
      { key: m.publishableKey },
    );
    expect(view.status, view.text).toBe(200);
    expect(view.body.payment_method_details).toEqual({ type: 'konbini' });
    expect(view.text).not.toContain('taro@example.jp');
  });

  it('refuses a method its market does not offer, with the country and amount', async () => {
    const before = await paymentCount();
    const klarnaInJapan = await m.post('/v1/payments', {
      amount: 5_000,
      currency: 'JPY',
      country: 'JP',
      confirm: true,
      payment_method_data: { type: 'klarna' },
    });
    expectError(klarnaInJapan, 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
      param: 'payment_method',
    });
    expect(klarnaInJapan.body.error.message).toContain('Klarna');
    expect(klarnaInJapan.body.error.message).toContain('JP');

    const bizumTooLarge = await m.post('/v1/payments', {
      amount: 150_000,
      currency: 'EUR',
      country: 'ES',
      confirm: true,
      payment_method: 'bizum',
    });
    expectError(bizumTooLarge, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect(await paymentCount()).toBe(before);
  });

  it('asks for the details a method needs, one parameter at a time', async () => {
    const before = await paymentCount();
    const noEmail = await m.post('/v1/payments', {
      amount: 2_500,
      currency: 'EUR',
      country: 'FR',
      confirm: true,
      payment_method_data: { type: 'open_banking', billing_details: { name: 'Camille Martin' } },
    });
    expectError(noEmail, 400, 'invalid_request_error', {
      code: 'parameter_missing',
      param: 'payment_method_data.billing_details.email',
    });
    const noPhone = await m.post('/v1/payments', {
      amount: 5_000,
      currency: 'JPY',
      country: 'JP',
      confirm: true,
      payment_method: 'konbini',
    });
    expectError(noPhone, 400, 'invalid_request_error', {
      code: 'parameter_missing',
      param: 'payment_method_data.billing_details.name',
    });
    expect(await paymentCount()).toBe(before);
  });

  it('refuses a method no connector account takes, and leaves the payment payable', async () => {
    const created = await m.post('/v1/payments', { amount: 2_500, currency: 'EUR', country: 'FR' });
    const confirmed = await m.post(`/v1/payments/${created.body.id}/confirm`, {
      payment_method_data: { type: 'paypal' },
    });
    expectError(confirmed, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect(confirmed.body.error.message).toMatch(/PayPal is not set up .* test mode/);
    const after = await m.get(`/v1/payments/${created.body.id}`);
    expect(after.body).toMatchObject({ status: 'requires_payment_method', payment_method: null });
  });

  it('refuses malformed data: both forms, an unknown type, a card as data, a bad e-mail, a card number', async () => {
    const before = await paymentCount();
    const base = { amount: 2_500, currency: 'EUR', country: 'FR' };
    const both = await m.post('/v1/payments', {
      ...base,
      payment_method: 'pm_card_visa',
      payment_method_data: { type: 'paypal' },
    });
    expectError(both, 400, 'invalid_request_error', { param: 'payment_method_data' });
    for (const data of [
      { type: 'ideal' },
      { type: 'card' },
      { type: 'paypal', billing_details: { email: 'not-an-email' } },
      { type: 'paypal', billing_details: { nickname: 'x' } },
      { type: 'paypal', billing_details: { address: { country: 'France' } } },
    ]) {
      const res = await m.post('/v1/payments', { ...base, payment_method_data: data });
      expectError(res, 400, 'invalid_request_error');
      expect(res.body.error.param, JSON.stringify(data)).toMatch(/^payment_method_data/);
    }
    const pan = await m.post('/v1/payments', {
      ...base,
      payment_method_data: { type: 'paypal', billing_details: { name: '4111 1111 1111 1111' } },
    });
    expectError(pan, 400, 'invalid_request_error', { param: 'payment_method_data.billing_details.name' });
    expect(pan.text).not.toContain('4111 1111 1111 1111');
    expect(await paymentCount()).toBe(before);
  });
});
