import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * Nothing secret leaks: API keys never appear in a response after their creation, and a
 * webhook endpoint's signing `secret` appears in its creation response only.
 */

let t: TestApi;
let m: TestMerchant;
let paymentId: string;
let refundId: string;
let endpoint: { id: string; secret: string };

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Secrets Shop');
  const payment = await m.post('/v1/payments', {
    amount: 2000,
    currency: 'EUR',
    payment_method: 'pm_card_visa',
    confirm: true,
    return_url: 'https://shop.example/r',
  });
  paymentId = payment.body.id;
  refundId = (await m.post('/v1/refunds', { payment: paymentId, amount: 100 })).body.id;
  await m.post('/v1/payments', {
    amount: 2000,
    currency: 'EUR',
    payment_method: 'pm_card_chargeDeclined',
    confirm: true,
  });
  await m.post('/v1/payments', {
    amount: 2000,
    currency: 'EUR',
    payment_method: 'pm_card_threeDSecureRequired',
    confirm: true,
  });
  const created = await m.post('/v1/webhook_endpoints', {
    url: 'https://hooks.example.com/payin',
    enabled_events: ['payment.succeeded', 'refund.succeeded'],
    description: 'orders',
  });
  expect(created.status, created.text).toBe(200);
  endpoint = created.body;
});
afterAll(async () => {
  await t?.close();
});

/** Every GET a merchant can make, with everything created above in it. */
async function everyGet() {
  const events = (await m.get('/v1/events?limit=100')).body.data as { id: string }[];
  const paths = [
    '/v1/payments?limit=100',
    `/v1/payments/${paymentId}`,
    '/v1/refunds?limit=100',
    `/v1/refunds/${refundId}`,
    '/v1/events?limit=100',
    ...events.map((e) => `/v1/events/${e.id}`),
    '/v1/webhook_endpoints?limit=100',
    `/v1/webhook_endpoints/${endpoint.id}`,
    `/v1/webhook_endpoints/${endpoint.id}/deliveries`,
  ];
  const out: { path: string; text: string; status: number }[] = [];
  for (const path of paths) {
    const res = await m.get(path);
    out.push({ path, text: res.text, status: res.status });
  }
  const admin = await t.request('GET', `/admin/v1/merchants/${m.id}`, { key: t.adminToken });
  out.push({ path: 'admin merchant', text: admin.text, status: admin.status });
  return out;
}

describe('no secret leaks', () => {
  it('never shows the secret or publishable key in any GET response', async () => {
    for (const { path, text, status } of await everyGet()) {
      expect(status, path).toBe(200);
      expect(text, path).not.toContain(m.secretKey);
      expect(text, path).not.toContain(m.secretKey.slice(8));
      expect(text, path).not.toContain(m.publishableKey);
      expect(text, path).not.toMatch(/sk_(test|live)_[0-9A-Za-z]{8}/);
    }
  });

  it('shows the webhook secret in the creation response only', async () => {
    expect(endpoint.secret).toMatch(/^whsec_/);
    for (const { path, text } of await everyGet()) {
      expect(text, path).not.toContain(endpoint.secret);
      expect(text, path).not.toContain('whsec_');
    }
    const one = await m.get(`/v1/webhook_endpoints/${endpoint.id}`);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.body).toMatchObject({
      id: endpoint.id,
      object: 'webhook_endpoint',
      url: 'https://hooks.example.com/payin',
    });
    const listed = (await m.get('/v1/webhook_endpoints')).body.data as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThan(0);
    for (const e of listed) expect(e).not.toHaveProperty('secret');
  });

  it('does not show the webhook secret when the endpoint is deleted', async () => {
    const other = await m.post('/v1/webhook_endpoints', {
      url: 'https://hooks.example.com/other',
      enabled_events: ['*'],
    });
    expect(other.body.secret).toMatch(/^whsec_/);
    const deleted = await m.del(`/v1/webhook_endpoints/${other.body.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: other.body.id, deleted: true });
    expect(deleted.text).not.toContain(other.body.secret);
    expect((await m.get(`/v1/webhook_endpoints/${other.body.id}`)).status).toBe(404);
  });

  it('gives each endpoint its own secret', async () => {
    const a = await m.post('/v1/webhook_endpoints', {
      url: 'https://hooks.example.com/a',
      enabled_events: ['*'],
    });
    const b = await m.post('/v1/webhook_endpoints', {
      url: 'https://hooks.example.com/b',
      enabled_events: ['*'],
    });
    expect(a.body.secret).not.toBe(b.body.secret);
    expect(a.body.secret).not.toBe(endpoint.secret);
  });

  it('carries no card data beyond brand and last4 in payments and events', async () => {
    for (const { path, text } of await everyGet()) {
      expect(text, path).not.toMatch(/\b\d{13,19}\b/);
      expect(text, path).not.toMatch(/"(cvc|cvv|number|card_number)"/);
    }
    const payment = (await m.get(`/v1/payments/${paymentId}`)).body;
    expect(payment.payment_method_details.card).toMatchObject({ brand: 'visa', last4: '4242' });
  });

  it('does not echo an unknown key back in the authentication error', async () => {
    const guess = `sk_test_${'Z9'.repeat(16)}`;
    const res = await t.request('GET', '/v1/payments', { key: guess });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(guess);
  });
});
