import { recoverUnknownOutcomes } from '@payin/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { type ProviderPlatform, startProviderPlatform } from './provider-platform.js';

/**
 * Klarna through payin's HTTP API, end to end against the Klarna emulator: the merchant's calls,
 * the shopper on Klarna's hosted page (played with fetch, as a browser follows the redirects and
 * submits the page's form), Klarna's notifications into payin's webhook route, and the recovery
 * job. Each scenario checks what payin shows and what Klarna's books (the emulator's ledger) say.
 */
let p: ProviderPlatform;
let account: { id: string; webhook_url: string };
const SHOP_RETURN = 'https://shop.example/order/complete';
const SHOPPER = {
  name: 'Camille Martin',
  email: 'camille@example.fr',
  address: { line1: '12 rue de Rivoli', postal_code: '75004', city: 'Paris', country: 'FR' },
};
const US_SHOPPER = {
  name: 'Jordan Smith',
  email: 'jordan@example.com',
  address: { line1: '500 Main Street', postal_code: '10001', city: 'New York', state: 'NY', country: 'US' },
};
/** Another Klarna merchant's API credentials (the emulator accepts both), for an account not ours. */
const OTHER_CREDENTIALS = { username: 'PK_test_other', password: 'other_password' };

beforeAll(async () => {
  p = await startProviderPlatform(
    {
      EMULATOR_KLARNA_CREDENTIALS: `PK_test_payin:klarna_test_password,${OTHER_CREDENTIALS.username}:${OTHER_CREDENTIALS.password}`,
      // Reviews end when a test decides them (control API), never on their own.
      EMULATOR_KLARNA_FRAUD_REVIEW_MS: String(24 * 3600_000),
      EMULATOR_KLARNA_NOTIFICATION_RETRY_MS: '50',
    },
    // A call whose answer is held is given up after 2 s, not Klarna's 30. An unsettled attempt is
    // asked about 2 s later at the earliest, so that what a test reads just after the shopper's
    // return is what the return left.
    { PAYIN_PROVIDER_TIMEOUT_MS: '2000', PAYIN_INQUIRY_BASE_MS: '2000', PAYIN_INQUIRY_MAX_MS: '4000' },
  );
  account = await p.connect({
    connector: 'klarna',
    settings: { endpoint: `${p.emulators.url}/klarna` },
    credentials: { username: 'PK_test_payin', password: 'klarna_test_password' },
  });
}, 90_000);
afterAll(async () => {
  await p?.close();
});
afterEach(async () => {
  await p.control('/klarna/faults', undefined, 'DELETE');
});

interface Ledger {
  sessions: any[];
  hpp_sessions: any[];
  authorizations: any[];
  orders: any[];
}
const ledger = async (): Promise<Ledger> => {
  const read = await p.control('/klarna/ledger', undefined, 'GET');
  expect(read.status).toBe(200);
  return read.body;
};
/** Klarna's orders for one payment (payin sends its id as `merchant_reference2`). */
const ordersOf = async (paymentId: string) =>
  (await ledger()).orders.filter((o) => o.merchant_reference2 === paymentId);
const attemptOf = async (paymentId: string) =>
  p.t.api.core.store.transaction((tx) => tx.currentAttempt(paymentId));
const notificationsOf = async (accountId: string) =>
  (await p.t.api.database.db
    .selectFrom('providerNotifications')
    .selectAll()
    .where('connectorAccount', '=', accountId)
    .execute()) as { eventKey: string; processedAt: Date | null; payload: any }[];

const klarna = (billing: Record<string, unknown> = SHOPPER) => ({ type: 'klarna', billing_details: billing });

const createFr = (extra: Record<string, unknown> = {}, billing: Record<string, unknown> = SHOPPER) =>
  p.m.post('/v1/payments', {
    amount: 11_900,
    currency: 'EUR',
    country: 'FR',
    description: 'Two ceramic mugs',
    payment_method_data: klarna(billing),
    confirm: true,
    return_url: SHOP_RETURN,
    ...extra,
  });

/** A payment confirmed with Klarna: answers its id and the hosted page's URL. */
async function redirected(created: { status: number; text: string; body: any }) {
  expect(created.status, created.text).toBe(200);
  expect(created.body).toMatchObject({ status: 'requires_action', payment_method: 'klarna' });
  const next = created.body.next_action;
  expect(next.type).toBe('redirect_to_url');
  expect(next.redirect_to_url.return_url).toBe(SHOP_RETURN);
  const url = new URL(next.redirect_to_url.url);
  expect(url.origin).toBe(new URL(p.emulators.url).origin);
  expect(url.pathname).toMatch(/^\/klarna\/hpp\/pay\//);
  return { id: created.body.id as string, url: url.toString() };
}

type Button = 'pay' | 'cancel' | 'back' | 'refuse' | 'error';

/**
 * The shopper on Klarna's page: it is opened, one of its buttons pressed (with the category the
 * page has checked), Klarna sends the browser back to payin, and payin on to the shop. Answers
 * where payin sent the shopper back to.
 */
async function onKlarnaPage(pageUrl: string, button: Button): Promise<URL> {
  const opened = await fetch(pageUrl);
  expect(opened.status).toBe(200);
  const html = await opened.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(action).toBeDefined();
  const category = /<input type="radio" name="category" value="([^"]+)" checked>/.exec(html)?.[1];
  expect(category).toBeDefined();
  const pressed = await fetch(new URL(action as string, pageUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: button, category: category as string }).toString(),
    redirect: 'manual',
  });
  expect(pressed.status).toBe(303);
  const toPayin = new URL(pressed.headers.get('location') as string);
  expect(toPayin.port).toBe(new URL(p.t.url).port);
  expect(toPayin.pathname).toMatch(/^\/return\/att_/);
  const back = await fetch(toPayin, { redirect: 'manual' });
  expect(back.status).toBe(303);
  const shop = new URL(back.headers.get('location') as string);
  expect(`${shop.origin}${shop.pathname}`).toBe(SHOP_RETURN);
  return shop;
}

/** Asks Klarna again about unsettled attempts until the payment leaves `from`. */
async function recoveredFrom(id: string, from: string) {
  return p.eventually(async () => {
    await recoverUnknownOutcomes(p.t.api.core);
    const now = await p.payment(id);
    return now.status !== from ? now : undefined;
  }, `the status inquiry of ${id}`);
}

describe('Klarna with automatic capture (France, EUR)', () => {
  it('pays on the hosted page: the payment succeeds and Klarna holds one captured order', async () => {
    const { id, url } = await redirected(await createFr());
    const attempt = await attemptOf(id);
    const { sessions, hpp_sessions } = await ledger();
    // The KP session as payin opened it: the market's country, currency, language and amount.
    const session = sessions.find((s) => s.session_id === attempt?.providerReference);
    expect(session).toMatchObject({ purchase_country: 'FR', purchase_currency: 'EUR', order_amount: 11_900 });
    expect(hpp_sessions.find((h) => url.endsWith(h.session_id))).toMatchObject({ status: 'WAITING' });

    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('payment')).toBe(id);
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');

    const paid = await p.payment(id);
    expect(paid).toMatchObject({
      status: 'succeeded',
      amount_received: 11_900,
      amount_capturable: 0,
      next_action: null,
      last_error: null,
      connector: 'klarna',
    });
    expect(await p.eventsOf(id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.succeeded',
    ]);

    const orders = await ordersOf(id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      status: 'CAPTURED',
      fraud_status: 'ACCEPTED',
      purchase_country: 'FR',
      purchase_currency: 'EUR',
      order_amount: 11_900,
      captured_amount: 11_900,
      remaining_authorized_amount: 0,
      merchant_reference1: attempt?.id,
      billing_address: { email: SHOPPER.email, given_name: 'Camille', family_name: 'Martin' },
    });
    expect(orders[0].captures).toHaveLength(1);
    expect((await attemptOf(id))?.providerReference).toBe(orders[0].order_id);
    // Klarna will tell payin about this order at the account's webhook URL.
    expect(account.webhook_url).toMatch(new RegExp(`/webhooks/klarna/${account.id}$`));
  });

  it('refunds part of a paid order at Klarna', async () => {
    const { id, url } = await redirected(await createFr({ amount: 5_000 }));
    await onKlarnaPage(url, 'pay');
    expect((await p.payment(id)).status).toBe('succeeded');
    const refund = await p.m.post('/v1/refunds', { payment: id, amount: 1_500 });
    expect(refund.status, refund.text).toBe(200);
    const done = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 'the refund');
    expect(done).toMatchObject({ amount: 1_500, payment: id });
    expect(await p.payment(id)).toMatchObject({ amount_received: 5_000, amount_refunded: 1_500 });
    const [order] = await ordersOf(id);
    expect(order).toMatchObject({ captured_amount: 5_000, refunded_amount: 1_500 });
    expect(order.refunds.map((r: any) => [r.reference, r.refunded_amount])).toEqual([
      [refund.body.id, 1_500],
    ]);
  });
});

describe('Klarna with manual capture (United States, USD)', () => {
  const createUs = (amount: number) =>
    p.m.post('/v1/payments', {
      amount,
      currency: 'USD',
      country: 'US',
      capture_method: 'manual',
      payment_method_data: klarna(US_SHOPPER),
      confirm: true,
      return_url: SHOP_RETURN,
    });

  it('authorizes, captures part, gives the rest back, and refunds', async () => {
    const { id, url } = await redirected(await createUs(25_000));
    const sessionId = (await attemptOf(id))?.providerReference;
    expect((await ledger()).sessions.find((s) => s.session_id === sessionId)).toMatchObject({
      purchase_country: 'US',
      purchase_currency: 'USD',
      order_amount: 25_000,
    });
    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(id)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 25_000,
      amount_received: 0,
    });
    expect(await p.eventsOf(id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.authorized',
    ]);
    const [authorized] = await ordersOf(id);
    expect(authorized).toMatchObject({
      status: 'AUTHORIZED',
      purchase_country: 'US',
      purchase_currency: 'USD',
      order_amount: 25_000,
      captured_amount: 0,
    });

    const captured = await p.m.post(`/v1/payments/${id}/capture`, { amount: 20_000 });
    expect(captured.status, captured.text).toBe(200);
    expect(captured.body).toMatchObject({
      status: 'succeeded',
      amount_received: 20_000,
      amount_capturable: 0,
    });
    const [order] = await ordersOf(id);
    // A final capture of part: Klarna releases what is left.
    expect(order).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 20_000,
      remaining_authorized_amount: 0,
    });
    expect(order.captures).toHaveLength(1);

    const refund = await p.m.post('/v1/refunds', { payment: id, amount: 7_500 });
    expect(refund.status, refund.text).toBe(200);
    const done = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 'the refund');
    expect(done.amount).toBe(7_500);
    expect(await p.payment(id)).toMatchObject({ amount_received: 20_000, amount_refunded: 7_500 });
    expect((await ordersOf(id))[0]).toMatchObject({ captured_amount: 20_000, refunded_amount: 7_500 });
    expect(await p.eventsOf(id)).toContain('payment.succeeded');
  });

  it('captures in two parts when the first is not final', async () => {
    const { id, url } = await redirected(await createUs(10_000));
    await onKlarnaPage(url, 'pay');
    const first = await p.m.post(`/v1/payments/${id}/capture`, { amount: 4_000, final_capture: false });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ amount_received: 4_000, amount_capturable: 6_000 });
    expect((await ordersOf(id))[0]).toMatchObject({
      status: 'PART_CAPTURED',
      captured_amount: 4_000,
      remaining_authorized_amount: 6_000,
    });
    const second = await p.m.post(`/v1/payments/${id}/capture`, {});
    expect(second.status, second.text).toBe(200);
    expect(second.body).toMatchObject({ status: 'succeeded', amount_received: 10_000, amount_capturable: 0 });
    const [order] = await ordersOf(id);
    expect(order).toMatchObject({ status: 'CAPTURED', captured_amount: 10_000 });
    expect(order.captures.map((c: any) => c.captured_amount)).toEqual([4_000, 6_000]);
  });

  it('cancels an authorized payment: the order at Klarna is cancelled', async () => {
    const { id, url } = await redirected(await createUs(9_900));
    await onKlarnaPage(url, 'pay');
    expect((await p.payment(id)).status).toBe('requires_capture');
    const canceled = await p.m.post(`/v1/payments/${id}/cancel`, {});
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', amount_capturable: 0, amount_received: 0 });
    expect((await ordersOf(id))[0]).toMatchObject({ status: 'CANCELLED', captured_amount: 0 });
    expect(await p.eventsOf(id)).toContain('payment.canceled');
  });
});

describe('the shopper on the hosted page', () => {
  it('cancels: canceled_by_shopper, payment.failed, no order; the same payment is then paid', async () => {
    const { id, url } = await redirected(await createFr());
    const shop = await onKlarnaPage(url, 'cancel');
    expect(shop.searchParams.get('payment')).toBe(id);
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    const after = await p.payment(id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      last_error: { code: 'canceled_by_shopper', message: 'The shopper left Klarna without paying.' },
    });
    expect(await p.eventsOf(id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.failed',
    ]);
    expect(await ordersOf(id)).toEqual([]);
    const hpp = (await ledger()).hpp_sessions.find((h) => url.endsWith(h.session_id));
    expect(hpp.status).toBe('CANCELLED');

    const again = await p.m.post(`/v1/payments/${id}/confirm`, { payment_method_data: klarna() });
    const second = await redirected(again);
    expect(second.url).not.toBe(url);
    const paid = await onKlarnaPage(second.url, 'pay');
    expect(paid.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(id)).toMatchObject({ status: 'succeeded', amount_received: 11_900 });
    const orders = await ordersOf(id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      captured_amount: 11_900,
      merchant_reference1: (await attemptOf(id))?.id,
    });
  });

  it('goes back to the shop: canceled_by_shopper, no order', async () => {
    const { id, url } = await redirected(await createFr());
    const shop = await onKlarnaPage(url, 'back');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    expect(await p.payment(id)).toMatchObject({
      status: 'requires_payment_method',
      last_error: { code: 'canceled_by_shopper' },
    });
    expect(await ordersOf(id)).toEqual([]);
  });

  it('is refused by Klarna (+denied): payment_declined, no order', async () => {
    const { id, url } = await redirected(
      await createFr({}, { ...SHOPPER, email: 'camille+denied@example.fr' }),
    );
    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    expect(await p.payment(id)).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_error: {
        type: 'card_error',
        code: 'payment_declined',
        message: 'Klarna declined the payment. Choose another payment method.',
      },
    });
    expect(await p.eventsOf(id)).toContain('payment.failed');
    expect(await ordersOf(id)).toEqual([]);
    expect((await ledger()).hpp_sessions.find((h) => url.endsWith(h.session_id)).status).toBe('FAILED');
  });
});

describe('orders under fraud review', () => {
  /** Pays as a persona whose order Klarna reviews; answers the payment and its order, under review. */
  async function underReview(email: string, extra: Record<string, unknown> = {}) {
    const { id, url } = await redirected(await createFr(extra, { ...SHOPPER, email }));
    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    expect(await p.payment(id)).toMatchObject({
      status: 'processing',
      next_action: null,
      amount_received: 0,
    });
    const orders = await ordersOf(id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ fraud_status: 'PENDING', status: 'AUTHORIZED', captured_amount: 0 });
    const order = orders[0].order_id as string;
    expect((await attemptOf(id))?.providerReference).toBe(order);
    return { id, order };
  }

  /** Klarna's review ends; its notification reaches payin's webhook route and is stored there. */
  async function decide(order: string, decision: 'ACCEPTED' | 'REJECTED') {
    const decided = await p.control(`/klarna/orders/${order}/fraud-decision`, { decision });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const delivery = await p.eventually(async () => {
      const { body } = await p.control('/klarna/notifications', undefined, 'GET');
      return (body.deliveries as any[]).find(
        (d) => d.body.order_id === order && d.body.event_type === `FRAUD_RISK_${decision}` && d.delivered,
      );
    }, 'the notification delivered to payin');
    expect(delivery).toMatchObject({
      kind: 'fraud_decision',
      url: account.webhook_url,
      body: { order_id: order, event_type: `FRAUD_RISK_${decision}` },
    });
    const stored = await p.eventually(async () => {
      const found = (await notificationsOf(account.id)).find((n) => n.eventKey === `${order}:${decision}`);
      return found?.processedAt ? found : undefined;
    }, 'the notification applied');
    // What payin keeps is the order as Klarna answered it when read back.
    expect(stored.payload).toMatchObject({ order_id: order, fraud_status: decision });
  }

  it('accepted (+pend-accepted): processing, then succeeded with exactly one capture at Klarna', async () => {
    const { id, order } = await underReview('camille+pend-accepted@example.fr');
    // Klarna sends its notification twice: payin keeps it once.
    await p.control('/klarna/faults', { notifications: { duplicate: 1 } });
    await decide(order, 'ACCEPTED');
    await p.eventually(async () => {
      const { body } = await p.control('/klarna/notifications', undefined, 'GET');
      return (body.deliveries as any[]).filter((d) => d.body.order_id === order && d.delivered).length === 2;
    }, 'both deliveries answered by payin');
    expect((await notificationsOf(account.id)).filter((n) => n.eventKey.startsWith(order))).toHaveLength(1);
    // Accepted but not captured: the status inquiry captures the order the payment wanted captured.
    const done = await recoveredFrom(id, 'processing');
    expect(done).toMatchObject({ status: 'succeeded', amount_received: 11_900, amount_capturable: 0 });
    // Asked again, nothing is captured twice.
    await recoverUnknownOutcomes(p.t.api.core);
    const [captured] = await ordersOf(id);
    expect(captured).toMatchObject({
      fraud_status: 'ACCEPTED',
      status: 'CAPTURED',
      captured_amount: 11_900,
    });
    expect(captured.captures).toHaveLength(1);
    expect(captured.captures[0].reference).toBe((await attemptOf(id))?.id);
    const events = await p.eventsOf(id);
    expect(events.filter((e) => e === 'payment.succeeded')).toHaveLength(1);
    expect(events.at(-1)).toBe('payment.succeeded');
  });

  it('accepted for a payment captured later: the notification makes it capturable', async () => {
    const { id, order } = await underReview('camille+pend-accepted@example.fr', { capture_method: 'manual' });
    await decide(order, 'ACCEPTED');
    const authorized = await p.eventually(async () => {
      const now = await p.payment(id);
      return now.status === 'requires_capture' ? now : undefined;
    }, 'the payment authorized');
    expect(authorized).toMatchObject({ amount_capturable: 11_900, amount_received: 0 });
    expect((await ordersOf(id))[0]).toMatchObject({ status: 'AUTHORIZED', captured_amount: 0 });
    const captured = await p.m.post(`/v1/payments/${id}/capture`, {});
    expect(captured.status, captured.text).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 11_900 });
    expect((await ordersOf(id))[0]).toMatchObject({ status: 'CAPTURED', captured_amount: 11_900 });
  });

  it('stopped after acceptance, before any capture: the payment is canceled, nothing left to capture', async () => {
    const { id, order } = await underReview('camille+pend-accepted@example.fr', { capture_method: 'manual' });
    await decide(order, 'ACCEPTED');
    await p.eventually(
      async () => (await p.payment(id)).status === 'requires_capture',
      'the payment authorized',
    );
    // Klarna cancels a stopped order: read back, it is REJECTED and CANCELLED.
    const stopped = await p.control(`/klarna/orders/${order}/fraud-decision`, { decision: 'STOPPED' });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    const canceled = await p.eventually(async () => {
      const now = await p.payment(id);
      return now.status === 'canceled' ? now : undefined;
    }, 'the payment canceled');
    expect(canceled).toMatchObject({
      amount_capturable: 0,
      amount_received: 0,
      cancellation_reason: 'automatic',
    });
    expect((await p.eventsOf(id)).at(-1)).toBe('payment.canceled');
    const capture = await p.m.post(`/v1/payments/${id}/capture`, {});
    expectError(capture, 400, 'invalid_request_error', { code: 'payment_unexpected_state' });
  });

  it('rejected (+pend-rejected): payment_declined, nothing captured', async () => {
    const { id, order } = await underReview('camille+pend-rejected@example.fr');
    await decide(order, 'REJECTED');
    const declined = await p.eventually(async () => {
      const now = await p.payment(id);
      return now.status === 'requires_payment_method' ? now : undefined;
    }, 'the payment declined');
    expect(declined).toMatchObject({
      amount_received: 0,
      last_error: {
        code: 'payment_declined',
        message: 'Klarna declined the payment after its review. Nothing was charged.',
      },
    });
    expect(await p.eventsOf(id)).toContain('payment.failed');
    expect((await ordersOf(id))[0]).toMatchObject({
      fraud_status: 'REJECTED',
      status: 'CANCELLED',
      captured_amount: 0,
    });
  });
});

describe('an answer lost', () => {
  it('places the order once when its answer times out, and the status inquiry settles the payment', async () => {
    const { id, url } = await redirected(await createFr({ amount: 7_700 }));
    const armed = await p.control('/klarna/faults', {
      calls: [{ operation: 'place_order', fault: 'timeout', count: 1 }],
    });
    expect(armed.status).toBe(200);
    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    expect(await p.payment(id)).toMatchObject({ status: 'processing', amount_received: 0 });
    // Klarna did place it; payin never learned its id.
    const placed = await ordersOf(id);
    expect(placed).toHaveLength(1);
    expect((await attemptOf(id))?.providerReference).not.toBe(placed[0].order_id);

    const done = await recoveredFrom(id, 'processing');
    expect(done).toMatchObject({ status: 'succeeded', amount_received: 7_700 });
    const orders = await ordersOf(id);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ status: 'CAPTURED', captured_amount: 7_700 });
    expect((await attemptOf(id))?.providerReference).toBe(orders[0].order_id);
    const events = await p.eventsOf(id);
    expect(events).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.processing',
      'payment.succeeded',
    ]);
  });
});

describe("payin's Klarna webhook route", () => {
  const post = (accountId: string, body: unknown) =>
    p.t.request('POST', `/webhooks/klarna/${accountId}`, { body });

  it('refuses a notification naming an order Klarna does not know (401), storing nothing', async () => {
    const before = (await notificationsOf(account.id)).length;
    const forged = await post(account.id, {
      order_id: '0b1f3c9e-7d2a-4f6b-9c1e-5a8d7e6f4b3a',
      event_type: 'FRAUD_RISK_ACCEPTED',
    });
    expectError(forged, 401, 'invalid_request_error', { code: 'notification_unverified' });
    expectError(await post(account.id, { event_type: 'FRAUD_RISK_ACCEPTED' }), 400, 'invalid_request_error');
    expect(await notificationsOf(account.id)).toHaveLength(before);
  });

  it('answers 503 when Klarna cannot be reached to read the order back, storing nothing: Klarna sends it again', async () => {
    const { id, url } = await redirected(await createFr({ amount: 2_600 }));
    await onKlarnaPage(url, 'pay');
    const [order] = await ordersOf(id);
    const before = (await notificationsOf(account.id)).length;
    await p.control('/klarna/faults', { calls: [{ operation: 'read_order', fault: 'error_500', count: 3 }] });
    const answer = await post(account.id, { order_id: order.order_id, event_type: 'FRAUD_RISK_ACCEPTED' });
    expectError(answer, 503, 'api_error', { code: 'unavailable' });
    expect(await notificationsOf(account.id)).toHaveLength(before);
    await p.control('/klarna/faults', undefined, 'DELETE');
  });

  it("refuses, at another Klarna account's URL, a real order of this one (401), storing nothing", async () => {
    const { id, url } = await redirected(await createFr({ amount: 2_500 }));
    await onKlarnaPage(url, 'pay');
    const [order] = await ordersOf(id);
    const other = await p.t.merchant('Other Klarna Shop');
    const created = await p.t.request('POST', `/admin/v1/merchants/${other.id}/connector_accounts`, {
      key: p.t.adminToken,
      body: {
        livemode: false,
        connector: 'klarna',
        settings: { endpoint: `${p.emulators.url}/klarna` },
        credentials: OTHER_CREDENTIALS,
      },
    });
    expect(created.status, created.text).toBe(201);
    const refused = await post(created.body.id, {
      order_id: order.order_id,
      event_type: 'FRAUD_RISK_ACCEPTED',
    });
    expectError(refused, 401, 'invalid_request_error', { code: 'notification_unverified' });
    expect(await notificationsOf(created.body.id)).toEqual([]);
    expect((await p.payment(id)).status).toBe('succeeded');
  });
});

describe('the browser confirm API', () => {
  it('confirms with Klarna using the publishable key and the client secret', async () => {
    const created = await p.m.post('/v1/payments', {
      amount: 4_200,
      currency: 'EUR',
      country: 'ES',
      description: 'Una taza',
    });
    expect(created.status, created.text).toBe(200);
    const { id, client_secret } = created.body;
    const view = await p.t.request(
      'GET',
      `/v1/checkout/payments/${id}?client_secret=${encodeURIComponent(client_secret)}`,
      { key: p.m.publishableKey },
    );
    expect(view.status, view.text).toBe(200);
    expect(view.body.payment_methods.map((m: any) => m.type)).toContain('klarna');

    const confirm = (key: string, secret: string) =>
      p.t.request('POST', `/v1/checkout/payments/${id}/confirm`, {
        key,
        body: {
          client_secret: secret,
          payment_method_data: klarna({ ...SHOPPER, address: { ...SHOPPER.address, country: 'ES' } }),
          return_url: SHOP_RETURN,
        },
      });
    expectError(await confirm(p.m.publishableKey, `${client_secret}x`), 404, 'invalid_request_error');
    expect((await ledger()).sessions.some((s) => s.order_amount === 4_200)).toBe(false);

    const confirmed = await confirm(p.m.publishableKey, client_secret);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      object: 'checkout_payment',
      id,
      status: 'requires_action',
      return_url: SHOP_RETURN,
      next_action: { type: 'redirect_to_url' },
    });
    const url = confirmed.body.next_action.redirect_to_url.url as string;
    expect(new URL(url).pathname).toMatch(/^\/klarna\/hpp\/pay\//);
    const sessionId = (await attemptOf(id))?.providerReference;
    expect((await ledger()).sessions.find((s) => s.session_id === sessionId)).toMatchObject({
      purchase_country: 'ES',
      purchase_currency: 'EUR',
      order_amount: 4_200,
    });

    const shop = await onKlarnaPage(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(id)).toMatchObject({ status: 'succeeded', amount_received: 4_200 });
    expect(await ordersOf(id)).toHaveLength(1);
  });
});

describe("Klarna's markets", () => {
  it('refuses Klarna for Japan and for a US payment under 35 USD, sending nothing to Klarna', async () => {
    const before = await ledger();
    const jp = await p.m.post('/v1/payments', {
      amount: 12_800,
      currency: 'JPY',
      country: 'JP',
      payment_method_data: klarna({ ...SHOPPER, address: { ...SHOPPER.address, country: 'JP' } }),
      confirm: true,
      return_url: SHOP_RETURN,
    });
    expectError(jp, 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
      param: 'payment_method',
    });
    const small = await p.m.post('/v1/payments', {
      amount: 3_499,
      currency: 'USD',
      country: 'US',
      payment_method_data: klarna(US_SHOPPER),
      confirm: true,
      return_url: SHOP_RETURN,
    });
    expectError(small, 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
      param: 'payment_method',
    });
    const spainTooMuch = await p.m.post('/v1/payments', {
      amount: 400_001,
      currency: 'EUR',
      country: 'ES',
      payment_method_data: klarna(),
      confirm: true,
    });
    expectError(spainTooMuch, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    // Confirming an existing payment the same way is refused the same way.
    const existing = await p.m.post('/v1/payments', { amount: 3_499, currency: 'USD', country: 'US' });
    expect(existing.status, existing.text).toBe(200);
    const confirm = await p.m.post(`/v1/payments/${existing.body.id}/confirm`, {
      payment_method_data: klarna(US_SHOPPER),
    });
    expectError(confirm, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect((await p.payment(existing.body.id)).status).toBe('requires_payment_method');

    const after = await ledger();
    expect(after.sessions).toHaveLength(before.sessions.length);
    expect(after.hpp_sessions).toHaveLength(before.hpp_sessions.length);
    expect(after.orders).toHaveLength(before.orders.length);

    // At 35 USD the same payment goes to Klarna.
    const atMinimum = await p.m.post('/v1/payments', {
      amount: 3_500,
      currency: 'USD',
      country: 'US',
      payment_method_data: klarna(US_SHOPPER),
      confirm: true,
      return_url: SHOP_RETURN,
    });
    await redirected(atMinimum);
    expect((await ledger()).sessions).toHaveLength(before.sessions.length + 1);
  });
});
