import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * The browser checkout API: publishable key + client secret, nothing the secret key sees beyond
 * what the shopper's page needs, CORS for the merchant's registered origins only.
 */
let t: TestApi;
let m: TestMerchant;
const SHOP = 'https://shop.example';

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant();
  await m.post('/v1/allowed_origins', { origin: SHOP });
});
afterAll(() => t.close());

const create = async (extra: Record<string, unknown> = {}) => {
  const created = await m.post('/v1/payments', {
    amount: 4_990,
    currency: 'EUR',
    country: 'FR',
    reference: 'order-secret-ref',
    customer: 'cus_private',
    metadata: { internal: 'note' },
    ...extra,
  });
  expect(created.status, created.text).toBe(200);
  return created.body as { id: string; client_secret: string };
};

const browser = (
  method: string,
  path: string,
  opts: { body?: unknown; headers?: Record<string, string>; key?: string } = {},
) =>
  t.request(method, path, {
    key: opts.key ?? m.publishableKey,
    body: opts.body,
    headers: { origin: SHOP, ...(opts.headers ?? {}) },
  });

const retrieve = (p: { id: string; client_secret: string }, headers: Record<string, string> = {}) =>
  browser('GET', `/v1/checkout/payments/${p.id}?client_secret=${encodeURIComponent(p.client_secret)}`, {
    headers,
  });

const confirm = (
  p: { id: string; client_secret: string },
  paymentMethod: string,
  headers: Record<string, string> = {},
) =>
  browser('POST', `/v1/checkout/payments/${p.id}/confirm`, {
    body: { client_secret: p.client_secret, payment_method: paymentMethod },
    headers,
  });

const VIEW_KEYS = [
  'amount',
  'country',
  'created',
  'currency',
  'formatted_amount',
  'id',
  'last_error',
  'livemode',
  'next_action',
  'object',
  'payment_method_details',
  'payment_methods',
  'return_url',
  'status',
];

describe('reading a payment from the browser', () => {
  it('shows what the page needs and nothing else, with the methods of its market', async () => {
    const p = await create();
    const view = await retrieve(p);
    expect(view.status, view.text).toBe(200);
    expect(Object.keys(view.body).sort()).toEqual(VIEW_KEYS);
    expect(view.body).toMatchObject({
      id: p.id,
      object: 'checkout_payment',
      amount: 4_990,
      currency: 'EUR',
      formatted_amount: '€49.90',
      status: 'requires_payment_method',
      payment_methods: [{ type: 'card', brands: ['cartes_bancaires', 'visa', 'mastercard', 'amex'] }],
    });
    for (const hidden of ['order-secret-ref', 'cus_private', 'internal', p.client_secret, 'sandbox'])
      expect(view.text).not.toContain(hidden);
    expect(view.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(view.headers.get('vary')).toMatch(/Origin/);
  });

  it('writes the amount in the locale the checkout asks for, and refuses one it cannot', async () => {
    const p = await create();
    const query = (locale: string) =>
      browser('GET', `/v1/checkout/payments/${p.id}?client_secret=${p.client_secret}&locale=${locale}`);
    const plain = (s: unknown) => String(s).replace(/[\u202f\u00a0]/g, ' ');
    expect(plain((await query('fr-FR')).body.formatted_amount)).toBe('49,90 €');
    expect(plain((await query('es-es')).body.formatted_amount)).toBe('49,90 €');
    const jp = await create({ country: 'JP', currency: 'JPY', amount: 12_800 });
    const ja = await browser(
      'GET',
      `/v1/checkout/payments/${jp.id}?client_secret=${jp.client_secret}&locale=ja-JP`,
    );
    expect(ja.body.formatted_amount).toBe('￥12,800');
    expectError(await query('not_a_locale'), 400, 'invalid_request_error');
    expectError(await query('zz-ZZ'), 400, 'invalid_request_error', { param: 'locale' });

    const paid = await browser('POST', `/v1/checkout/payments/${p.id}/confirm`, {
      body: { client_secret: p.client_secret, payment_method: 'pm_card_visa', locale: 'fr-FR' },
    });
    expect(paid.status, paid.text).toBe(200);
    expect(plain(paid.body.formatted_amount)).toBe('49,90 €');
  });

  it('offers the brands of each market', async () => {
    const jp = await create({ country: 'JP', currency: 'JPY', amount: 12_800 });
    expect((await retrieve(jp)).body.payment_methods).toEqual([
      { type: 'card', brands: ['visa', 'mastercard', 'jcb', 'amex'] },
    ]);
    const us = await create({ country: 'US', currency: 'USD' });
    expect((await retrieve(us)).body.payment_methods[0].brands).toEqual(['visa', 'mastercard', 'amex']);
  });

  it('answers 404 for a wrong client secret, another merchant, or an unknown id, alike', async () => {
    const p = await create();
    expectError(
      await retrieve({ ...p, client_secret: `${p.client_secret}x` }),
      404,
      'invalid_request_error',
      {
        code: 'resource_missing',
      },
    );
    expectError(await retrieve({ ...p, client_secret: 'short' }), 404, 'invalid_request_error', {
      code: 'resource_missing',
    });
    const other = await t.merchant('Other');
    expectError(
      await t.request('GET', `/v1/checkout/payments/${p.id}?client_secret=${p.client_secret}`, {
        key: other.publishableKey,
      }),
      404,
      'invalid_request_error',
      { code: 'resource_missing' },
    );
    expectError(
      await retrieve({ id: 'pay_unknown', client_secret: p.client_secret }),
      404,
      'invalid_request_error',
      {
        code: 'resource_missing',
      },
    );
  });

  it('takes the publishable key only, and the client secret always', async () => {
    const p = await create();
    expectError(
      await browser('GET', `/v1/checkout/payments/${p.id}?client_secret=${p.client_secret}`, {
        key: m.secretKey,
      }),
      401,
      'authentication_error',
      { code: 'api_key_wrong_kind' },
    );
    expectError(await browser('GET', `/v1/checkout/payments/${p.id}`), 400, 'invalid_request_error');
  });

  it("refuses a page of an origin the merchant did not register, and answers browsers' preflight", async () => {
    const p = await create();
    expectError(await retrieve(p, { origin: 'https://evil.example' }), 403, 'invalid_request_error', {
      code: 'origin_not_allowed',
    });
    const preflight = await t.request('OPTIONS', `/v1/checkout/payments/${p.id}/confirm`, {
      headers: {
        origin: SHOP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
  });
});

describe('confirming from the browser', () => {
  it('pays, and answers the checkout view, not the payment object', async () => {
    const p = await create();
    const paid = await confirm(p, 'pm_card_visa');
    expect(paid.status, paid.text).toBe(200);
    expect(Object.keys(paid.body).sort()).toEqual(VIEW_KEYS);
    expect(paid.body).toMatchObject({ status: 'succeeded', payment_methods: [] });
    expect(paid.text).not.toContain(p.client_secret);
    expect(paid.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('shows a decline, keeps the payment open, and takes another card', async () => {
    const p = await create();
    const declined = await confirm(p, 'pm_card_chargeDeclinedInsufficientFunds');
    expectError(declined, 402, 'card_error', {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      payment: p.id,
    });
    const after = await retrieve(p);
    expect(after.body).toMatchObject({
      status: 'requires_payment_method',
      last_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
    });
    expect(after.body.payment_methods).toHaveLength(1);
    expect((await confirm(p, 'pm_card_visa')).body.status).toBe('succeeded');
    expectError(await confirm(p, 'pm_card_visa'), 400, 'invalid_request_error', {
      code: 'payment_unexpected_state',
    });
  });

  it('gives the 3-D Secure redirect as next_action', async () => {
    const p = await create({ return_url: `${SHOP}/done` });
    const answered = await confirm(p, 'pm_card_threeDSecureRequired');
    expect(answered.body).toMatchObject({
      status: 'requires_action',
      next_action: { type: 'redirect_to_url', redirect_to_url: { return_url: `${SHOP}/done` } },
    });
  });

  it('charges once for a double submit, and the stored answer is the narrowed one', async () => {
    const p = await create();
    const key = `checkout-${p.id}`;
    const first = await confirm(p, 'pm_card_visa', { 'idempotency-key': key });
    const second = await confirm(p, 'pm_card_visa', { 'idempotency-key': key });
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    const stored = await sql<{
      body: unknown;
    }>`SELECT response_body AS body FROM idempotency_keys WHERE key = ${key}`.execute(t.api.database.db);
    const text = JSON.stringify(stored.rows);
    expect(text).toContain('checkout_payment');
    expect(text).not.toContain(p.client_secret);
    expect(text).not.toContain('order-secret-ref');
  });

  it('refuses a card number, a method that is not a token, and test methods in live mode', async () => {
    const p = await create();
    expectError(await confirm(p, '4242424242424242'), 400, 'invalid_request_error');
    expectError(await confirm(p, 'card_visa'), 400, 'invalid_request_error', { code: 'parameter_invalid' });
    expect((await retrieve(p)).body.status).toBe('requires_payment_method');

    const live = await t.request('POST', `/admin/v1/merchants/${m.id}/api_keys`, {
      key: t.adminToken,
      body: { livemode: true },
    });
    await t.request('POST', '/v1/allowed_origins', { key: live.body.secret_key, body: { origin: SHOP } });
    const created = await t.request('POST', '/v1/payments', {
      key: live.body.secret_key,
      body: { amount: 1_000, currency: 'EUR', country: 'FR' },
    });
    const livePayment = created.body as { id: string; client_secret: string };
    const view = await browser(
      'GET',
      `/v1/checkout/payments/${livePayment.id}?client_secret=${livePayment.client_secret}`,
      {
        key: live.body.publishable_key,
      },
    );
    // No connector takes cards in live mode for this merchant: nothing is offered.
    expect(view.body.payment_methods).toEqual([]);
    expectError(
      await browser('POST', `/v1/checkout/payments/${livePayment.id}/confirm`, {
        key: live.body.publishable_key,
        body: { client_secret: livePayment.client_secret, payment_method: 'pm_card_visa' },
      }),
      400,
      'invalid_request_error',
      { code: 'parameter_invalid' },
    );
  });
});
