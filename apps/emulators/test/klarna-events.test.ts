import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authorizedToken,
  control,
  klarna,
  placedOrder,
  purchase,
  type RunningKlarna,
  startKlarna,
  startReceiver,
  waitFor,
} from './klarna-harness.js';

let emulator: RunningKlarna;
let base: string;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  emulator = await startKlarna({ fraudReviewMs: 400 });
  base = emulator.url;
  receiver = await startReceiver();
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});
beforeEach(async () => {
  await control(base, 'DELETE', '/faults');
});

const orders = '/ordermanagement/v1/orders';
const read = async (orderId: string) => (await klarna(base, 'GET', `${orders}/${orderId}`)).body;
const pendingPurchase = (persona: string) =>
  purchase({
    billing_address: {
      email: `customer+${persona}@example.com`,
      given_name: 'Test',
      family_name: 'Person-de',
    },
    merchant_urls: { notification: `${receiver.url}/klarna/push` },
  });
const pushesFor = (orderId: string) => receiver.received.filter((r) => r.body.order_id === orderId);

describe('Klarna fraud review and notifications', () => {
  it('places a +pend-accepted order PENDING, refuses its capture, then accepts it with a push', async () => {
    const { order_id, fraud_status } = await placedOrder(base, pendingPurchase('pend-accepted'));
    expect(fraud_status).toBe('PENDING');
    const refused = await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 100 });
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe('CAPTURE_NOT_ALLOWED');
    await waitFor(() => pushesFor(order_id).length > 0);
    expect(pushesFor(order_id)).toEqual([
      { path: '/klarna/push', body: { order_id, event_type: 'FRAUD_RISK_ACCEPTED' } },
    ]);
    expect(await read(order_id)).toMatchObject({ fraud_status: 'ACCEPTED', status: 'AUTHORIZED' });
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 100 })).status,
    ).toBe(201);
  });

  it('rejects a +pend-rejected order after review: FRAUD_RISK_REJECTED pushed, order CANCELLED', async () => {
    const { order_id, fraud_status } = await placedOrder(base, pendingPurchase('pend-rejected'));
    expect(fraud_status).toBe('PENDING');
    await waitFor(() => pushesFor(order_id).length > 0);
    expect(pushesFor(order_id)[0]?.body).toEqual({ order_id, event_type: 'FRAUD_RISK_REJECTED' });
    expect(await read(order_id)).toMatchObject({
      fraud_status: 'REJECTED',
      status: 'CANCELLED',
      remaining_authorized_amount: 0,
    });
  });

  it('lets the control API end a review at once, or stop an accepted order', async () => {
    const pending = (await placedOrder(base, pendingPurchase('pend-accepted'))).order_id;
    const decided = await control(base, 'POST', `/orders/${pending}/fraud-decision`, {
      decision: 'REJECTED',
    });
    expect(decided.body).toEqual({ order_id: pending, fraud_status: 'REJECTED', status: 'CANCELLED' });
    await new Promise((r) => setTimeout(r, 500));
    // The review timer was called off: one push only.
    expect(pushesFor(pending).map((p) => p.body.event_type)).toEqual(['FRAUD_RISK_REJECTED']);

    const accepted = (
      await placedOrder(base, purchase({ merchant_urls: { notification: `${receiver.url}/klarna/push` } }))
    ).order_id;
    expect(
      (await control(base, 'POST', `/orders/${accepted}/fraud-decision`, { decision: 'STOPPED' })).status,
    ).toBe(200);
    await waitFor(() => pushesFor(accepted).length > 0);
    expect(pushesFor(accepted)[0]?.body.event_type).toBe('FRAUD_RISK_STOPPED');
    expect((await read(accepted)).status).toBe('CANCELLED');
    expect(
      (await control(base, 'POST', `/orders/${accepted}/fraud-decision`, { decision: 'ACCEPTED' })).status,
    ).toBe(409);
    expect(
      (await control(base, 'POST', `/orders/${accepted}/fraud-decision`, { decision: 'MAYBE' })).status,
    ).toBe(400);
  });

  it('retries a fraud notification until the merchant answers 200', async () => {
    const failing = await startReceiver({ failFirst: 2 });
    try {
      const body = purchase({
        billing_address: { email: 'customer+pend-accepted@example.com' },
        merchant_urls: { notification: `${failing.url}/push` },
      });
      const { order_id } = await placedOrder(base, body);
      await waitFor(() => failing.received.length > 0);
      expect(failing.received[0]?.body).toEqual({ order_id, event_type: 'FRAUD_RISK_ACCEPTED' });
      const deliveries = (await control(base, 'GET', '/notifications')).body.deliveries;
      expect(deliveries.find((d: any) => d.body.order_id === order_id)).toMatchObject({
        attempts: 3,
        delivered: true,
      });
    } finally {
      await failing.close();
    }
  });
});

describe('Klarna expiry', () => {
  it('refuses an authorization token once its 60 minutes have passed', async () => {
    const { token } = await authorizedToken(base);
    await control(base, 'POST', '/clock', { advanceMs: 61 * 60_000 });
    const placed = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchase());
    expect(placed.status).toBe(404);
    const ledger = (await control(base, 'GET', '/ledger')).body;
    expect(ledger.authorizations.find((a: any) => a.authorization_token === token).state).toBe('expired');
  });

  it('expires tokens after the configured lifetime', async () => {
    const short = await startKlarna({ authorizationTtlMs: 50 });
    try {
      const { token } = await authorizedToken(short.url);
      await new Promise((r) => setTimeout(r, 80));
      expect(
        (await klarna(short.url, 'POST', `/payments/v1/authorizations/${token}/order`, purchase())).status,
      ).toBe(404);
    } finally {
      await short.close();
    }
  });

  it('expires an uncaptured order at expires_at; a partly captured one keeps its capture', async () => {
    const untouched = (await placedOrder(base)).order_id;
    const partly = (await placedOrder(base)).order_id;
    const extended = (await placedOrder(base)).order_id;
    await klarna(base, 'POST', `${orders}/${partly}/captures`, { captured_amount: 1_000 });
    await klarna(base, 'POST', `${orders}/${extended}/extend-authorization-time`);
    await control(base, 'POST', '/clock', { advanceMs: 29 * 86_400_000 });
    expect(await read(untouched)).toMatchObject({ status: 'EXPIRED', remaining_authorized_amount: 0 });
    expect(
      (await klarna(base, 'POST', `${orders}/${untouched}/captures`, { captured_amount: 100 })).body
        .error_code,
    ).toBe('CAPTURE_NOT_ALLOWED');
    expect(await read(partly)).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 1_000,
      remaining_authorized_amount: 0,
    });
    expect((await read(extended)).status).toBe('AUTHORIZED');
    const ledger = (await control(base, 'GET', `/ledger?order_id=${untouched}`)).body;
    expect(ledger.orders).toHaveLength(1);
    expect(ledger.orders[0].status).toBe('EXPIRED');
  });

  it('refuses a clock skip it does not understand', async () => {
    expect((await control(base, 'POST', '/clock', { advanceMs: -1 })).status).toBe(400);
  });
});

describe('Klarna faults', () => {
  it('answers 500 INTERNAL_SERVER_ERROR before doing anything, once', async () => {
    const { order_id } = await placedOrder(base);
    await control(base, 'POST', '/faults', { calls: [{ operation: 'capture', fault: 'error_500' }] });
    const failed = await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 100 });
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({
      error_code: 'INTERNAL_SERVER_ERROR',
      error_messages: ['Unexpected server error'],
    });
    expect((await read(order_id)).captured_amount).toBe(0);
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 100 })).status,
    ).toBe(201);
  });

  it('times out after capturing, and the retry under the same idempotency key learns the outcome', async () => {
    const { order_id } = await placedOrder(base);
    await control(base, 'POST', '/faults', { calls: [{ operation: 'capture', fault: 'timeout' }] });
    const lost = await fetch(`${base}/klarna${orders}/${order_id}/captures`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${Buffer.from('PK_test_payin:klarna_test_password').toString('base64')}`,
        'Klarna-Idempotency-Key': `timeout-${order_id}`,
      },
      body: JSON.stringify({ captured_amount: 3_000 }),
      signal: AbortSignal.timeout(300),
    }).catch((error: Error) => error);
    expect(lost).toBeInstanceOf(Error);
    const retried = await klarna(
      base,
      'POST',
      `${orders}/${order_id}/captures`,
      { captured_amount: 3_000 },
      { idempotencyKey: `timeout-${order_id}` },
    );
    expect(retried.status).toBe(201);
    const order = await read(order_id);
    expect(order.captures).toHaveLength(1);
    expect(order.captures[0].capture_id).toBe(retried.headers.get('capture-id'));
  });

  it('cuts the connection after placing an order, which the ledger still shows', async () => {
    const { token } = await authorizedToken(base);
    await control(base, 'POST', '/faults', { calls: [{ operation: 'place_order', fault: 'drop_answer' }] });
    const cut = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchase()).catch(
      (e: Error) => e,
    );
    expect(cut).toBeInstanceOf(Error);
    const ledger = (await control(base, 'GET', '/ledger')).body;
    const authorization = ledger.authorizations.find((a: any) => a.authorization_token === token);
    expect(authorization.state).toBe('used');
    expect(ledger.orders.some((o: any) => o.order_id === authorization.order_id)).toBe(true);
  });

  it('delays every call by the latency set', async () => {
    await control(base, 'POST', '/faults', { latencyMs: 150 });
    const started = Date.now();
    await klarna(base, 'POST', '/payments/v1/sessions', purchase());
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('drops, duplicates and delays notifications on request', async () => {
    await control(base, 'POST', '/faults', { notifications: { drop: 1 } });
    const dropped = (await placedOrder(base, pendingPurchase('pend-accepted'))).order_id;
    await control(base, 'POST', `/orders/${dropped}/fraud-decision`, { decision: 'ACCEPTED' });
    await control(base, 'POST', '/faults', { notifications: { duplicate: 1, delayMs: 200 } });
    const doubled = (await placedOrder(base, pendingPurchase('pend-accepted'))).order_id;
    const decidedAt = Date.now();
    await control(base, 'POST', `/orders/${doubled}/fraud-decision`, { decision: 'ACCEPTED' });
    await waitFor(() => pushesFor(doubled).length === 2);
    expect(Date.now() - decidedAt).toBeGreaterThanOrEqual(190);
    expect(pushesFor(doubled)).toHaveLength(2);
    expect(pushesFor(dropped)).toHaveLength(0);
    const deliveries = (await control(base, 'GET', '/notifications')).body.deliveries;
    expect(deliveries.find((d: any) => d.body.order_id === dropped)).toMatchObject({
      dropped: true,
      attempts: 0,
    });
  });

  it('shows what is armed and refuses settings it does not understand', async () => {
    await control(base, 'POST', '/faults', { calls: [{ operation: 'refund', fault: 'timeout', count: 2 }] });
    expect((await control(base, 'GET', '/faults')).body.calls).toEqual([
      { operation: 'refund', fault: 'timeout', count: 2 },
    ]);
    expect(
      (await control(base, 'POST', '/faults', { calls: [{ operation: 'refund', fault: 'melt' }] })).status,
    ).toBe(400);
    expect(
      (await control(base, 'POST', '/faults', { calls: [{ operation: 'payments', fault: 'timeout' }] }))
        .status,
    ).toBe(400);
    expect((await control(base, 'POST', '/faults', { latencyMs: -1 })).status).toBe(400);
  });
});
