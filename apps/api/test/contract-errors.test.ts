import type { AuthorizeRequest, Connector, ConnectorRegistry } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** API.md "Errors": every row of the table and the error shape. */

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Errors Shop');
});
afterAll(async () => {
  await t?.close();
});

async function paymentIds(merchant: TestMerchant): Promise<string[]> {
  const res = await merchant.get('/v1/payments?limit=100');
  expect(res.status).toBe(200);
  return res.body.data.map((p: { id: string }) => p.id);
}

describe('error shape', () => {
  it('answers 400 invalid_request_error naming the missing parameter in param', async () => {
    const before = await paymentIds(m);
    const res = await m.post('/v1/payments', { currency: 'EUR' });
    expectError(res, 400, 'invalid_request_error', { param: 'amount' });
    expect(res.body.error.message).toContain('amount');
    expect(await paymentIds(m)).toEqual(before);
  });

  it('answers 400 with code payment_unexpected_state when the payment is in the wrong state', async () => {
    const created = await m.post('/v1/payments', { amount: 1000, currency: 'EUR' });
    const res = await m.post(`/v1/payments/${created.body.id}/capture`);
    expectError(res, 400, 'invalid_request_error', {
      code: 'payment_unexpected_state',
      payment: created.body.id,
    });
    const after = await m.get(`/v1/payments/${created.body.id}`);
    expect(after.body).toEqual(created.body);
  });

  it('answers 402 card_error with decline_code and the payment id when the provider declines', async () => {
    for (const [method, declineCode] of [
      ['pm_card_chargeDeclined', 'generic_decline'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'insufficient_funds'],
    ] as const) {
      const res = await m.post('/v1/payments', {
        amount: 2500,
        currency: 'EUR',
        payment_method: method,
        confirm: true,
      });
      expectError(res, 402, 'card_error', { code: 'card_declined', decline_code: declineCode });
      expect(res.body.error.payment).toMatch(/^pay_/);
      const payment = await m.get(`/v1/payments/${res.body.error.payment}`);
      expect(payment.status).toBe(200);
      expect(payment.body).toMatchObject({ status: 'requires_payment_method', amount_received: 0 });
      expect(payment.body.last_error).toMatchObject({ decline_code: declineCode });
    }
  });

  it('answers 402 card_error (the 402 row of the table) with code processing_error when the provider errors', async () => {
    const res = await m.post('/v1/payments', {
      amount: 2500,
      currency: 'EUR',
      payment_method: 'pm_card_processingError',
      confirm: true,
    });
    // API.md: 402 is card_error; api_error is reserved for 5xx ("our fault").
    expectError(res, 402, 'card_error', { code: 'processing_error' });
    expect(res.body.error.payment).toMatch(/^pay_/);
    const payment = await m.get(`/v1/payments/${res.body.error.payment}`);
    expect(payment.body).toMatchObject({ status: 'requires_payment_method' });
    expect(payment.body.last_error).toMatchObject({ code: 'processing_error' });
  });

  it('answers 404 invalid_request_error with code resource_missing for an unknown object', async () => {
    for (const path of [
      '/v1/payments/pay_doesnotexist',
      '/v1/refunds/re_nope',
      '/v1/events/evt_nope',
      '/v1/webhook_endpoints/we_nope',
    ]) {
      const res = await m.get(path);
      expectError(res, 404, 'invalid_request_error', { code: 'resource_missing' });
    }
    expectError(
      await m.post('/v1/payments/pay_doesnotexist/confirm', { payment_method: 'pm_card_visa' }),
      404,
      'invalid_request_error',
      {
        code: 'resource_missing',
      },
    );
    expectError(await m.post('/v1/refunds', { payment: 'pay_doesnotexist' }), 404, 'invalid_request_error', {
      code: 'resource_missing',
    });
  });

  it('answers 404 with the error shape for an unknown route and an unknown method', async () => {
    expectError(await m.get('/v1/nothing_here'), 404, 'invalid_request_error');
    expectError(await t.request('GET', '/'), 404, 'invalid_request_error');
    const del = await m.del('/v1/payments');
    expect([404, 405]).toContain(del.status);
    expectError(del, del.status, 'invalid_request_error');
  });

  it('answers an over-long id in the path with a 4xx in the error shape', async () => {
    // Fastify refuses path parameters over 100 characters before any route runs.
    const res = await m.get(`/v1/payments/pay_${'x'.repeat(150)}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectError(res, res.status, 'invalid_request_error');
  });

  it('answers a malformed percent-encoding in the path with 400 in the error shape', async () => {
    const res = await m.get('/v1/payments/pay_%E0%A4%A');
    expectError(res, 400, 'invalid_request_error');
  });

  it('answers 422 idempotency_error when an Idempotency-Key is reused with other parameters, doing nothing', async () => {
    const key = `idem-422-${Date.now()}`;
    const first = await m.post(
      '/v1/payments',
      { amount: 1000, currency: 'EUR', reference: 'idem-422' },
      { 'idempotency-key': key },
    );
    expect(first.status).toBe(200);
    const before = await paymentIds(m);
    const second = await m.post(
      '/v1/payments',
      { amount: 2000, currency: 'EUR', reference: 'idem-422' },
      { 'idempotency-key': key },
    );
    expectError(second, 422, 'idempotency_error');
    expect(await paymentIds(m)).toEqual(before);
  });

  it('answers 409 idempotency_error while the first request with the same Idempotency-Key is still running, then replays it', async () => {
    // Hold the provider call of the first request until the second one has been answered.
    const original = t.api.core.connectors;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const inProvider = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const held = (c: Connector): Connector =>
      Object.assign(Object.create(c) as Connector, {
        authorize: async (req: AuthorizeRequest) => {
          entered();
          await gate;
          return c.authorize(req);
        },
      });
    const registry: ConnectorRegistry = {
      forPayment: async (q) => {
        const routed = await original.forPayment(q);
        return routed && { ...routed, connector: held(routed.connector) };
      },
      forAttempt: async (a) => {
        const c = await original.forAttempt(a);
        return c && held(c);
      },
      takes: (scope, type) => original.takes(scope, type),
      factOf: (name, payload) => original.factOf(name, payload),
    };
    t.api.core.connectors = registry;
    try {
      const key = `idem-409-${Date.now()}`;
      const body = {
        amount: 1999,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
        reference: 'idem-409',
      };
      const first = m.post('/v1/payments', body, { 'idempotency-key': key });
      await inProvider;
      const second = await m.post('/v1/payments', body, { 'idempotency-key': key });
      expectError(second, 409, 'idempotency_error');
      release();
      const done = await first;
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('succeeded');
      const replay = await m.post('/v1/payments', body, { 'idempotency-key': key });
      expect(replay.status).toBe(200);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.body).toEqual(done.body);
      const list = await m.get('/v1/payments?reference=idem-409');
      expect(list.body.data.map((p: { id: string }) => p.id)).toEqual([done.body.id]);
    } finally {
      release();
      t.api.core.connectors = original;
    }
  });

  it('answers 429 rate_limit_error with Retry-After when a merchant exceeds its request rate', async () => {
    const created = await t.request('POST', '/admin/v1/merchants', {
      key: t.adminToken,
      body: { name: 'Slow Lane', country: 'FR', rate_limit: 2 },
    });
    expect(created.status).toBe(201);
    expect(created.body.rate_limit).toBe(2);
    const key = created.body.secret_key as string;
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => t.request('GET', '/v1/payments', { key })),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(1);
    for (const r of limited) {
      expectError(r, 429, 'rate_limit_error');
      expect(r.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    }
    // Another merchant is not slowed down by this one.
    expect((await m.get('/v1/payments')).status).toBe(200);
  });

  it('answers 500 api_error without a stack trace or internal detail when something breaks inside', async () => {
    const store = t.api.core.store;
    const original = store.getPayment;
    store.getPayment = async () => {
      throw new Error('db exploded at /srv/payin/packages/db/src/store.ts:42:7 password=hunter2');
    };
    try {
      const res = await m.get('/v1/payments/pay_whatever');
      expectError(res, 500, 'api_error');
      expect(res.text).not.toContain('exploded');
      expect(res.text).not.toContain('hunter2');
      expect(res.text).not.toContain('store.ts');
    } finally {
      store.getPayment = original;
    }
    expect((await m.get('/v1/payments/pay_whatever')).status).toBe(404);
  });

  it('never echoes the request body in an error (a card number in malformed JSON stays out)', async () => {
    const res = await t.request('POST', '/v1/payments', {
      key: m.secretKey,
      rawBody: '{"amount": 1000, "currency": "EUR", "number": "4242424242424242"',
      headers: { 'content-type': 'application/json' },
    });
    expectError(res, 400, 'invalid_request_error');
    expect(res.text).not.toContain('4242424242424242');
  });
});
