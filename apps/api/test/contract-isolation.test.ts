import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant, type TestResponse } from './harness.js';

/**
 * API.md "Transport": a secret key sees only its own merchant's objects; anything else answers
 * 404, never another merchant's data. Test mode and live mode of one merchant are as separate.
 */

/** 404 resource_missing that says nothing of the object beyond the id the caller sent. */
function expectMissing(res: TestResponse, leaks: string[] = []) {
  expectError(res, 404, 'invalid_request_error', { code: 'resource_missing' });
  for (const secret of leaks) expect(res.text).not.toContain(secret);
}

let t: TestApi;
let a: TestMerchant;
let b: TestMerchant;

/** Merchant A's objects, created once; B probes them. */
const own = {
  succeeded: '',
  authorised: '',
  open: '',
  refund: '',
  event: '',
  endpoint: '',
  clientSecret: '',
};

beforeAll(async () => {
  t = await startTestApi();
  a = await t.merchant('Merchant A');
  b = await t.merchant('Merchant B');

  const paid = await a.post('/v1/payments', {
    amount: 5000,
    currency: 'EUR',
    payment_method: 'pm_card_visa',
    confirm: true,
    reference: 'shared-ref',
    customer: 'shared-customer',
  });
  expect(paid.body.status).toBe('succeeded');
  own.succeeded = paid.body.id;
  own.clientSecret = paid.body.client_secret;
  const authorised = await a.post('/v1/payments', {
    amount: 4000,
    currency: 'EUR',
    payment_method: 'pm_card_visa',
    capture_method: 'manual',
    confirm: true,
  });
  expect(authorised.body.status).toBe('requires_capture');
  own.authorised = authorised.body.id;
  own.open = (await a.post('/v1/payments', { amount: 3000, currency: 'EUR' })).body.id;
  const refund = await a.post('/v1/refunds', { payment: own.succeeded, amount: 1000 });
  expect(refund.status).toBe(200);
  own.refund = refund.body.id;
  const events = await a.get('/v1/events?limit=1');
  own.event = events.body.data[0].id;
  const endpoint = await a.post('/v1/webhook_endpoints', {
    url: 'https://hooks.example.com/a',
    enabled_events: ['*'],
  });
  expect(endpoint.status).toBe(200);
  own.endpoint = endpoint.body.id;

  // B has objects of its own, so its lists are not trivially empty.
  await b.post('/v1/payments', {
    amount: 700,
    currency: 'EUR',
    reference: 'shared-ref',
    customer: 'shared-customer',
  });
  await b.post('/v1/webhook_endpoints', { url: 'https://hooks.example.com/b', enabled_events: ['*'] });
});
afterAll(async () => {
  await t?.close();
});

/** Everything A can see, to compare before and after B's attempts. */
async function snapshotOfA() {
  const get = async (path: string) => (await a.get(path)).body;
  return {
    succeeded: await get(`/v1/payments/${own.succeeded}`),
    authorised: await get(`/v1/payments/${own.authorised}`),
    open: await get(`/v1/payments/${own.open}`),
    refund: await get(`/v1/refunds/${own.refund}`),
    endpoint: await get(`/v1/webhook_endpoints/${own.endpoint}`),
    payments: await get('/v1/payments?limit=100'),
    refunds: await get('/v1/refunds?limit=100'),
    events: await get('/v1/events?limit=100'),
    endpoints: await get('/v1/webhook_endpoints?limit=100'),
  };
}

describe('isolation between merchants', () => {
  it("answers 404 for another merchant's payment and leaves it unchanged", async () => {
    const before = await snapshotOfA();
    expectMissing(await b.get(`/v1/payments/${own.succeeded}`), [own.clientSecret, 'shared-customer']);
    expect(await snapshotOfA()).toEqual(before);
  });

  it("answers 404 when confirming another merchant's payment and leaves it unchanged", async () => {
    const before = await snapshotOfA();
    expectMissing(await b.post(`/v1/payments/${own.open}/confirm`, { payment_method: 'pm_card_visa' }));
    expect(await snapshotOfA()).toEqual(before);
    expect(before.open.status).toBe('requires_payment_method');
  });

  it("answers 404 when capturing another merchant's payment and leaves it unchanged", async () => {
    const before = await snapshotOfA();
    expectMissing(await b.post(`/v1/payments/${own.authorised}/capture`, { amount: 100 }));
    expectMissing(await b.post(`/v1/payments/${own.authorised}/capture`));
    expect(await snapshotOfA()).toEqual(before);
    expect(before.authorised).toMatchObject({ status: 'requires_capture', amount_capturable: 4000 });
  });

  it("answers 404 when canceling another merchant's payment and leaves it unchanged", async () => {
    const before = await snapshotOfA();
    expectMissing(await b.post(`/v1/payments/${own.authorised}/cancel`));
    expectMissing(await b.post(`/v1/payments/${own.open}/cancel`, { cancellation_reason: 'fraudulent' }));
    expect(await snapshotOfA()).toEqual(before);
  });

  it("answers 404 when refunding another merchant's payment and refunds nothing", async () => {
    const before = await snapshotOfA();
    const res = await b.post('/v1/refunds', { payment: own.succeeded, amount: 100 });
    expectMissing(res);
    expect(res.body.error.param).toBe('payment');
    expectMissing(await b.post('/v1/refunds', { payment: own.succeeded }));
    expect(await snapshotOfA()).toEqual(before);
    expect(before.succeeded.amount_refunded).toBe(1000);
    expect((await b.get('/v1/refunds?limit=100')).body.data).toEqual([]);
  });

  it("answers 404 for another merchant's refund", async () => {
    expectMissing(await b.get(`/v1/refunds/${own.refund}`), [own.succeeded]);
  });

  it("answers 404 for another merchant's event", async () => {
    expectMissing(await b.get(`/v1/events/${own.event}`), [own.succeeded, own.clientSecret]);
  });

  it("answers 404 for another merchant's webhook endpoint, its deletion and its deliveries, leaving it in place", async () => {
    const before = await snapshotOfA();
    expectMissing(await b.get(`/v1/webhook_endpoints/${own.endpoint}`), ['hooks.example.com/a']);
    expectMissing(await b.del(`/v1/webhook_endpoints/${own.endpoint}`));
    expectMissing(await b.get(`/v1/webhook_endpoints/${own.endpoint}/deliveries`));
    expect(await snapshotOfA()).toEqual(before);
    expect((await a.get(`/v1/webhook_endpoints/${own.endpoint}`)).status).toBe(200);
  });

  it('lists only the merchant’s own objects on every list endpoint, filters and cursors included', async () => {
    const aIds = new Set<string>([
      own.succeeded,
      own.authorised,
      own.open,
      own.refund,
      own.event,
      own.endpoint,
    ]);
    const aText = JSON.stringify(await snapshotOfA());
    for (const path of [
      '/v1/payments?limit=100',
      '/v1/payments?limit=100&reference=shared-ref',
      '/v1/payments?limit=100&customer=shared-customer',
      '/v1/payments?limit=100&status=succeeded',
      `/v1/payments?limit=100&starting_after=${own.open}`,
      `/v1/payments?limit=100&ending_before=${own.succeeded}`,
      '/v1/refunds?limit=100',
      `/v1/refunds?limit=100&payment=${own.succeeded}`,
      '/v1/events?limit=100',
      '/v1/events?limit=100&type=payment.succeeded',
      `/v1/events?limit=100&starting_after=${own.event}`,
      '/v1/webhook_endpoints?limit=100',
    ]) {
      const res = await b.get(path);
      expect(res.status, path).toBe(200);
      for (const item of res.body.data as { id: string }[])
        expect(aIds.has(item.id), `${path} shows ${item.id}`).toBe(false);
      for (const id of aIds) expect(res.text, path).not.toContain(id);
    }
    const bPayments = (await b.get('/v1/payments?limit=100&reference=shared-ref')).body.data;
    expect(bPayments).toHaveLength(1);
    expect(bPayments[0].amount).toBe(700);
    expect(aText).not.toContain(bPayments[0].id);
  });
});

describe('isolation between test mode and live mode', () => {
  let live: { secretKey: string; publishableKey: string };
  const livePost = (path: string, body: unknown) => t.request('POST', path, { key: live.secretKey, body });
  const liveGet = (path: string) => t.request('GET', path, { key: live.secretKey });

  beforeAll(async () => {
    const res = await t.request('POST', `/admin/v1/merchants/${a.id}/api_keys`, {
      key: t.adminToken,
      body: { livemode: true },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({ livemode: true, merchant: a.id });
    expect(res.body.secret_key).toMatch(/^sk_live_/);
    expect(res.body.publishable_key).toMatch(/^pk_live_/);
    live = { secretKey: res.body.secret_key, publishableKey: res.body.publishable_key };
  });

  it('does not show test-mode objects to a live key', async () => {
    expectMissing(await liveGet(`/v1/payments/${own.succeeded}`));
    expectMissing(await liveGet(`/v1/refunds/${own.refund}`));
    expectMissing(await liveGet(`/v1/events/${own.event}`));
    expectMissing(await liveGet(`/v1/webhook_endpoints/${own.endpoint}`));
    expectMissing(
      await t.request('DELETE', `/v1/webhook_endpoints/${own.endpoint}`, { key: live.secretKey }),
    );
    const before = await snapshotOfA();
    expectMissing(await livePost(`/v1/payments/${own.authorised}/capture`, {}));
    expectMissing(await livePost(`/v1/payments/${own.open}/cancel`, {}));
    expectMissing(await livePost('/v1/refunds', { payment: own.succeeded }));
    expect(await snapshotOfA()).toEqual(before);
    for (const path of ['/v1/payments', '/v1/refunds', '/v1/events', '/v1/webhook_endpoints']) {
      const res = await liveGet(`${path}?limit=100`);
      expect(res.status).toBe(200);
      expect(res.body.data, path).toEqual([]);
    }
  });

  it('does not show live-mode objects to a test key', async () => {
    const created = await livePost('/v1/payments', {
      amount: 9900,
      currency: 'EUR',
      reference: 'live-order',
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ livemode: true, status: 'requires_payment_method' });
    expect(created.body.client_secret).toMatch(/^pay_/);
    const liveEvents = (await liveGet('/v1/events?limit=100')).body.data as {
      id: string;
      livemode: boolean;
    }[];
    expect(liveEvents.length).toBeGreaterThan(0);
    expect(liveEvents.every((e) => e.livemode)).toBe(true);

    expectMissing(await a.get(`/v1/payments/${created.body.id}`));
    expectMissing(await a.post(`/v1/payments/${created.body.id}/cancel`));
    expectMissing(await a.get(`/v1/events/${liveEvents[0]?.id}`));
    const testList = await a.get('/v1/payments?limit=100&reference=live-order');
    expect(testList.body.data).toEqual([]);
    const still = await liveGet(`/v1/payments/${created.body.id}`);
    expect(still.body).toEqual(created.body);
  });

  it('refuses the sandbox test payment methods in live mode with a clear 400 and writes no payment', async () => {
    const before = (await liveGet('/v1/payments?limit=100')).body.data;
    const res = await livePost('/v1/payments', {
      amount: 1999,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expectError(res, 400, 'invalid_request_error', { param: 'payment_method' });
    // The message must tell the developer why: test methods are for test mode (sk_test_ keys).
    expect(res.body.error.message).toMatch(/test mode/i);
    expect(res.body.error.message).toMatch(/live/i);
    expect((await liveGet('/v1/payments?limit=100')).body.data).toEqual(before);

    const open = await livePost('/v1/payments', { amount: 1999, currency: 'EUR' });
    const confirm = await livePost(`/v1/payments/${open.body.id}/confirm`, {
      payment_method: 'pm_card_visa',
    });
    expectError(confirm, 400, 'invalid_request_error', { param: 'payment_method' });
    const after = await liveGet(`/v1/payments/${open.body.id}`);
    expect(after.body).toEqual(open.body);
  });
});
