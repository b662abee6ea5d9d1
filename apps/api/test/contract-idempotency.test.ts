import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant, type TestResponse } from './harness.js';

/**
 * API.md "Idempotency": every POST accepts Idempotency-Key, scoped to the merchant and kept at
 * least 24 hours; same key and parameters replay the first response (same status, same body,
 * Idempotent-Replayed: true) and the work is never done twice; other parameters: 422.
 * (409 while in flight: contract-errors.test.ts; validation refusals: contract-validation.test.ts.)
 */

let t: TestApi;
let m: TestMerchant;
let counter = 0;
const newKey = (label: string) => `${label}-${Date.now()}-${counter++}`;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Idempotency Shop');
});
afterAll(async () => {
  await t?.close();
});

function expectReplay(first: TestResponse, replay: TestResponse) {
  expect(first.headers.get('idempotent-replayed')).toBeNull();
  expect(replay.status).toBe(first.status);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.body).toEqual(first.body);
}

const eventCount = async () => (await m.get('/v1/events?limit=100')).body.data.length as number;

describe('Idempotency-Key on every POST', () => {
  it('replays POST /v1/payments/{id}/confirm without confirming twice', async () => {
    const p = await m.post('/v1/payments', { amount: 1000, currency: 'EUR' });
    const key = newKey('confirm');
    const first = await m.post(
      `/v1/payments/${p.body.id}/confirm`,
      { payment_method: 'pm_card_visa' },
      { 'idempotency-key': key },
    );
    expect(first.body.status).toBe('succeeded');
    const events = await eventCount();
    const replay = await m.post(
      `/v1/payments/${p.body.id}/confirm`,
      { payment_method: 'pm_card_visa' },
      { 'idempotency-key': key },
    );
    expectReplay(first, replay);
    expect(await eventCount()).toBe(events);
  });

  it('replays POST /v1/webhook_endpoints without creating a second endpoint', async () => {
    const key = newKey('endpoint');
    const body = { url: 'https://hooks.example.com/idem', enabled_events: ['*'] };
    const first = await m.post('/v1/webhook_endpoints', body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    const replay = await m.post('/v1/webhook_endpoints', body, { 'idempotency-key': key });
    expectReplay(first, replay);
    const listed = (await m.get('/v1/webhook_endpoints?limit=100')).body.data.filter(
      (e: { url: string }) => e.url === body.url,
    );
    expect(listed).toHaveLength(1);
  });

  it('replays a refund without refunding twice', async () => {
    const p = await m.post('/v1/payments', {
      amount: 1000,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const key = newKey('refund');
    const first = await m.post(
      '/v1/refunds',
      { payment: p.body.id, amount: 300 },
      { 'idempotency-key': key },
    );
    const replay = await m.post(
      '/v1/refunds',
      { payment: p.body.id, amount: 300 },
      { 'idempotency-key': key },
    );
    expectReplay(first, replay);
    expect((await m.get(`/v1/payments/${p.body.id}`)).body.amount_refunded).toBe(300);
  });

  it('replays a wrong-state refusal (400) as it was, even after the state changed', async () => {
    const p = await m.post('/v1/payments', {
      amount: 1000,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
    });
    const key = newKey('capture-early');
    const first = await m.post(`/v1/payments/${p.body.id}/capture`, {}, { 'idempotency-key': key });
    expect(first.status).toBe(400);
    expect(first.body.error.code).toBe('payment_unexpected_state');
    await m.post(`/v1/payments/${p.body.id}/confirm`);
    const replay = await m.post(`/v1/payments/${p.body.id}/capture`, {}, { 'idempotency-key': key });
    expectReplay(first, replay);
    expect((await m.get(`/v1/payments/${p.body.id}`)).body.status).toBe('requires_capture');
  });

  it('answers 422 when a key is reused on another endpoint', async () => {
    const key = newKey('cross');
    const p = await m.post('/v1/payments', { amount: 1000, currency: 'EUR' }, { 'idempotency-key': key });
    expect(p.status).toBe(200);
    const other = await m.post(`/v1/payments/${p.body.id}/cancel`, {}, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body.error.type).toBe('idempotency_error');
    expect((await m.get(`/v1/payments/${p.body.id}`)).body.status).toBe('requires_payment_method');
  });

  it('keeps a key for at least 24 hours', async () => {
    const key = newKey('day');
    const body = { amount: 4321, currency: 'EUR', reference: 'kept-a-day' };
    const first = await m.post('/v1/payments', body, { 'idempotency-key': key });
    const clock = t.api.core.clock;
    // 23 h 59 min later for the api (the key's age is measured on the core clock).
    t.api.core.clock = { now: () => new Date(Date.now() + 23 * 3600_000 + 59 * 60_000) };
    try {
      const replay = await m.post('/v1/payments', body, { 'idempotency-key': key });
      expectReplay(first, replay);
    } finally {
      t.api.core.clock = clock;
    }
    expect((await m.get('/v1/payments?reference=kept-a-day')).body.data).toHaveLength(1);
  });
});
