import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** API.md: the objects' fields, id prefixes, `created` in unix seconds, `livemode`; payment statuses. */

const PAYMENT_FIELDS = [
  'id',
  'object',
  'amount',
  'currency',
  'status',
  'capture_method',
  'amount_capturable',
  'amount_received',
  'amount_refunded',
  'reference',
  'description',
  'customer',
  'country',
  'payment_method',
  'next_action',
  'last_error',
  'client_secret',
  'metadata',
  'created',
  'livemode',
];

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Objects Shop');
});
afterAll(async () => {
  await t?.close();
});

function expectCommon(o: Record<string, unknown>, prefix: string, type: string) {
  expect(o.id).toMatch(new RegExp(`^${prefix}_[0-9A-Za-z]+$`));
  expect(o.object).toBe(type);
  expect(Number.isInteger(o.created)).toBe(true);
  // Unix seconds, not milliseconds.
  expect(Math.abs((o.created as number) - Date.now() / 1000)).toBeLessThan(3600);
  expect(o.livemode).toBe(false);
}

describe('objects', () => {
  it('answers a payment with every contract field', async () => {
    const res = await m.post('/v1/payments', {
      amount: 1234,
      currency: 'EUR',
      reference: 'ord-1',
      description: 'A book',
      customer: 'shopper-1',
      country: 'FR',
      metadata: { sku: 'B-1' },
    });
    expect(res.status).toBe(200);
    for (const field of PAYMENT_FIELDS) expect(res.body, field).toHaveProperty(field);
    expectCommon(res.body, 'pay', 'payment');
    expect(res.body).toMatchObject({
      amount: 1234,
      currency: 'EUR',
      status: 'requires_payment_method',
      capture_method: 'automatic',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      reference: 'ord-1',
      description: 'A book',
      customer: 'shopper-1',
      country: 'FR',
      payment_method: null,
      next_action: null,
      last_error: null,
      metadata: { sku: 'B-1' },
    });
    expect(typeof res.body.client_secret).toBe('string');
    const fetched = await m.get(`/v1/payments/${res.body.id}`);
    expect(fetched.body).toEqual(res.body);
  });

  it('answers refunds, events and webhook endpoints with id prefix, object, created and livemode', async () => {
    const p = await m.post('/v1/payments', {
      amount: 900,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const refund = await m.post('/v1/refunds', { payment: p.body.id });
    expectCommon(refund.body, 're', 'refund');
    const event = (await m.get('/v1/events?limit=1')).body.data[0];
    expectCommon(event, 'evt', 'event');
    const endpoint = await m.post('/v1/webhook_endpoints', {
      url: 'https://hooks.example.com/o',
      enabled_events: ['*'],
    });
    expectCommon(endpoint.body, 'we', 'webhook_endpoint');
    expect(endpoint.body).toMatchObject({ url: 'https://hooks.example.com/o', enabled_events: ['*'] });
  });

  it('answers the admin merchant creation with 201, mer_ id and keys', async () => {
    const res = await t.request('POST', '/admin/v1/merchants', {
      key: t.adminToken,
      body: { name: 'Shape', country: 'ES' },
    });
    expect(res.status).toBe(201);
    expectCommon(res.body, 'mer', 'merchant');
    expect(res.body.secret_key).toMatch(/^sk_test_/);
    expect(res.body.publishable_key).toMatch(/^pk_test_/);
  });

  it('refuses an admin merchant creation with a missing name or a bad country', async () => {
    const noName = await t.request('POST', '/admin/v1/merchants', {
      key: t.adminToken,
      body: { country: 'FR' },
    });
    expect(noName.status).toBe(400);
    expect(noName.body.error).toMatchObject({ type: 'invalid_request_error', param: 'name' });
    const badCountry = await t.request('POST', '/admin/v1/merchants', {
      key: t.adminToken,
      body: { name: 'X', country: 'France' },
    });
    expect(badCountry.status).toBe(400);
    expect(badCountry.body.error).toMatchObject({ type: 'invalid_request_error', param: 'country' });
  });

  it('keeps amounts in the minor unit of each currency (JPY without decimals)', async () => {
    const jpy = await m.post('/v1/payments', {
      amount: 500,
      currency: 'JPY',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(jpy.body).toMatchObject({ amount: 500, currency: 'JPY', amount_received: 500 });
    const kwd = await m.post('/v1/payments', { amount: 1001, currency: 'KWD' });
    expect(kwd.body).toMatchObject({ amount: 1001, currency: 'KWD' });
  });
});

describe('payment statuses', () => {
  it('goes requires_confirmation → processing → succeeded when created with a method and confirmed later', async () => {
    const created = await m.post('/v1/payments', {
      amount: 700,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
    });
    expect(created.body.status).toBe('requires_confirmation');
    const confirmed = await m.post(`/v1/payments/${created.body.id}/confirm`);
    expect(confirmed.body.status).toBe('succeeded');
  });

  it('cancels from requires_payment_method, requires_confirmation, requires_action and requires_capture', async () => {
    const open = await m.post('/v1/payments', { amount: 700, currency: 'EUR' });
    const unconfirmed = await m.post('/v1/payments', {
      amount: 700,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
    });
    const challenged = await m.post('/v1/payments', {
      amount: 700,
      currency: 'EUR',
      payment_method: 'pm_card_threeDSecureRequired',
      confirm: true,
    });
    const authorised = await m.post('/v1/payments', {
      amount: 700,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    const cases = [
      [open, 'requires_payment_method'],
      [unconfirmed, 'requires_confirmation'],
      [challenged, 'requires_action'],
      [authorised, 'requires_capture'],
    ] as const;
    for (const [payment, status] of cases) {
      expect(payment.body.status).toBe(status);
      const canceled = await m.post(`/v1/payments/${payment.body.id}/cancel`, {
        cancellation_reason: 'abandoned',
      });
      expect(canceled.status, status).toBe(200);
      expect(canceled.body).toMatchObject({ status: 'canceled', amount_capturable: 0, next_action: null });
    }
  });

  it('confirms a payment only once when confirms arrive together', async () => {
    const p = await m.post('/v1/payments', { amount: 640, currency: 'EUR', payment_method: 'pm_card_visa' });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => m.post(`/v1/payments/${p.body.id}/confirm`)),
    );
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(400);
      expect(a.body.error.code).toBe('payment_unexpected_state');
    }
    const events = (await m.get('/v1/events?limit=100')).body.data as {
      type: string;
      data: { object: { id: string } };
    }[];
    const types = events.filter((e) => e.data.object.id === p.body.id).map((e) => e.type);
    expect(types.filter((x) => x === 'payment.succeeded')).toHaveLength(1);
    expect(types.filter((x) => x === 'payment.processing')).toHaveLength(1);
  });

  it('refuses to confirm, capture or cancel a canceled payment with payment_unexpected_state', async () => {
    const p = await m.post('/v1/payments', { amount: 700, currency: 'EUR' });
    await m.post(`/v1/payments/${p.body.id}/cancel`);
    for (const action of ['confirm', 'capture', 'cancel']) {
      const res = await m.post(
        `/v1/payments/${p.body.id}/${action}`,
        action === 'confirm' ? { payment_method: 'pm_card_visa' } : {},
      );
      expect(res.status, action).toBe(400);
      expect(res.body.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'payment_unexpected_state',
        payment: p.body.id,
      });
    }
  });
});
