import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * API.md "Events and webhooks": every change of state writes an event of the right type, in
 * order, whose `data.object` is the object as the API returned it at that moment.
 */

interface Event {
  id: string;
  object: string;
  type: string;
  created: number;
  livemode: boolean;
  data: { object: Record<string, unknown> & { id: string } };
}

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Events Shop');
});
afterAll(async () => {
  await t?.close();
});

/** Events about one object, oldest first. */
async function eventsOf(objectId: string): Promise<Event[]> {
  const res = await m.get('/v1/events?limit=100');
  expect(res.status).toBe(200);
  return (res.body.data as Event[]).filter((e) => e.data.object.id === objectId).reverse();
}

function expectEventShape(e: Event) {
  expect(Object.keys(e).sort()).toEqual(['created', 'data', 'id', 'livemode', 'object', 'type']);
  expect(e.id).toMatch(/^evt_/);
  expect(e.object).toBe('event');
  expect(Number.isInteger(e.created)).toBe(true);
  expect(Math.abs(e.created - Date.now() / 1000)).toBeLessThan(3600);
  expect(e.livemode).toBe(false);
  expect(Object.keys(e.data)).toEqual(['object']);
}

const visa = (extra: Record<string, unknown> = {}) => ({
  amount: 1999,
  currency: 'EUR',
  payment_method: 'pm_card_visa',
  confirm: true,
  ...extra,
});

describe('events', () => {
  it('writes payment.created, payment.processing, payment.succeeded in order for an automatic payment', async () => {
    const res = await m.post('/v1/payments', visa({ metadata: { order: '42' } }));
    expect(res.body.status).toBe('succeeded');
    const events = await eventsOf(res.body.id);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.processing', 'payment.succeeded']);
    for (const e of events) expectEventShape(e);
    expect(events.map((e) => e.data.object.status)).toEqual([
      'requires_payment_method',
      'processing',
      'succeeded',
    ]);
    // The last event carries exactly what the API answered and still answers.
    expect(events[2]?.data.object).toEqual(res.body);
    expect(events[2]?.data.object).toEqual((await m.get(`/v1/payments/${res.body.id}`)).body);
  });

  it('shows in each event the payment exactly as GET returned it at that moment', async () => {
    const created = await m.post('/v1/payments', {
      amount: 4200,
      currency: 'USD',
      payment_method: 'pm_card_mastercard',
      capture_method: 'manual',
      reference: 'snapshots',
      customer: 'cust-9',
      description: 'two steps',
      metadata: { a: 'b' },
    });
    expect(created.body.status).toBe('requires_confirmation');
    const atCreation = (await m.get(`/v1/payments/${created.body.id}`)).body;
    const confirmed = await m.post(`/v1/payments/${created.body.id}/confirm`);
    expect(confirmed.body.status).toBe('requires_capture');
    const atConfirm = (await m.get(`/v1/payments/${created.body.id}`)).body;
    const captured = await m.post(`/v1/payments/${created.body.id}/capture`, { amount: 4000 });
    expect(captured.body.status).toBe('succeeded');
    const atCapture = (await m.get(`/v1/payments/${created.body.id}`)).body;

    const events = await eventsOf(created.body.id);
    expect(events.map((e) => e.type)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.authorized',
      'payment.succeeded',
    ]);
    for (const e of events) expectEventShape(e);
    expect(events[0]?.data.object).toEqual(created.body);
    expect(events[0]?.data.object).toEqual(atCreation);
    expect(events[2]?.data.object).toEqual(confirmed.body);
    expect(events[2]?.data.object).toEqual(atConfirm);
    expect(events[3]?.data.object).toEqual(captured.body);
    expect(events[3]?.data.object).toEqual(atCapture);
    expect(events[1]?.data.object).toMatchObject({
      status: 'processing',
      amount_capturable: 0,
      amount_received: 0,
    });
  });

  it('writes payment.failed for a declined attempt, with last_error in the event', async () => {
    const res = await m.post(
      '/v1/payments',
      visa({ payment_method: 'pm_card_chargeDeclinedInsufficientFunds' }),
    );
    expect(res.status).toBe(402);
    const id = res.body.error.payment as string;
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.processing', 'payment.failed']);
    expect(events[2]?.data.object).toMatchObject({ status: 'requires_payment_method' });
    expect(events[2]?.data.object.last_error).toMatchObject({ decline_code: 'insufficient_funds' });
    expect(events[2]?.data.object).toEqual((await m.get(`/v1/payments/${id}`)).body);
  });

  it('writes payment.requires_action for 3-D Secure with the redirect in next_action', async () => {
    const res = await m.post(
      '/v1/payments',
      visa({ payment_method: 'pm_card_threeDSecureRequired', return_url: 'https://shop.example/back' }),
    );
    expect(res.body.status).toBe('requires_action');
    const events = await eventsOf(res.body.id);
    expect(events.map((e) => e.type)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
    ]);
    expect(events[2]?.data.object).toEqual(res.body);
  });

  it('writes payment.canceled when a payment is canceled', async () => {
    const created = await m.post('/v1/payments', { amount: 1000, currency: 'EUR' });
    const canceled = await m.post(`/v1/payments/${created.body.id}/cancel`, {
      cancellation_reason: 'duplicate',
    });
    expect(canceled.body.status).toBe('canceled');
    const events = await eventsOf(created.body.id);
    expect(events.map((e) => e.type)).toEqual(['payment.created', 'payment.canceled']);
    expect(events[1]?.data.object).toEqual(canceled.body);
    expect(events[1]?.data.object).toMatchObject({ cancellation_reason: 'duplicate' });
  });

  it('writes payment.canceled when an authorisation is released', async () => {
    const auth = await m.post('/v1/payments', visa({ capture_method: 'manual' }));
    const canceled = await m.post(`/v1/payments/${auth.body.id}/cancel`);
    const events = await eventsOf(auth.body.id);
    expect(events.map((e) => e.type)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.authorized',
      'payment.canceled',
    ]);
    expect(events[3]?.data.object).toEqual(canceled.body);
  });

  it('writes refund.created then refund.succeeded for a refund', async () => {
    const p = await m.post('/v1/payments', visa());
    const refund = await m.post('/v1/refunds', {
      payment: p.body.id,
      amount: 999,
      metadata: { why: 'test' },
    });
    expect(refund.body.status).toBe('succeeded');
    const events = await eventsOf(refund.body.id);
    expect(events.map((e) => e.type)).toEqual(['refund.created', 'refund.succeeded']);
    for (const e of events) expectEventShape(e);
    expect(events[0]?.data.object).toEqual({ ...refund.body, status: 'pending' });
    expect(events[1]?.data.object).toEqual(refund.body);
    expect(events[1]?.data.object).toEqual((await m.get(`/v1/refunds/${refund.body.id}`)).body);
  });

  it('writes refund.created then refund.failed for a refused refund', async () => {
    const p = await m.post('/v1/payments', visa({ payment_method: 'pm_card_refundFail' }));
    const refund = await m.post('/v1/refunds', { payment: p.body.id });
    expect(refund.body.status).toBe('failed');
    const events = await eventsOf(refund.body.id);
    expect(events.map((e) => e.type)).toEqual(['refund.created', 'refund.failed']);
    expect(events[1]?.data.object).toEqual(refund.body);
  });

  it('writes no event for a refused request', async () => {
    const before = (await m.get('/v1/events?limit=100')).body.data;
    await m.post('/v1/payments', { amount: -1, currency: 'EUR' });
    const open = before.find((e: Event) => e.type === 'payment.canceled')?.data.object.id as string;
    await m.post(`/v1/payments/${open}/confirm`, { payment_method: 'pm_card_visa' });
    await m.post('/v1/refunds', { payment: open });
    expect((await m.get('/v1/events?limit=100')).body.data).toEqual(before);
  });

  it('answers GET /v1/events/{id} with the same event as the list', async () => {
    const list = (await m.get('/v1/events?limit=5')).body.data as Event[];
    expect(list.length).toBe(5);
    for (const e of list) {
      const one = await m.get(`/v1/events/${e.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(e);
    }
  });
});
