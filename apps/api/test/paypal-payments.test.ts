import { type CoreDeps, processProviderNotifications, recoverUnknownOutcomes } from '@payin/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { type ProviderPlatform, startProviderPlatform } from './provider-platform.js';

/**
 * PayPal payments through payin's HTTP API, end to end against the PayPal emulator: the merchant's
 * calls, the shopper on PayPal's approval page (played with fetch, as a browser: the page's form,
 * the redirects back to payin and on to the shop), PayPal's signed webhooks into payin's webhook
 * route. What payin shows is checked against what PayPal's ledger says.
 */
let p: ProviderPlatform;
let account: { id: string; webhook_url: string; return_url: string };

const SHOP_RETURN = 'https://shop.example/order/complete';
/** The id PayPal gives payin's webhook subscription: chosen first, as the account is created before it is subscribed. */
const WEBHOOK_ID = 'PAYINWH7K2M9Q4X8';
/**
 * The worker asks PayPal about an unknown outcome only this long after it: within a test nothing
 * is resolved behind its back, and a recovery pass is run when the test says so.
 */
const INQUIRY_MS = 10 * 60_000;
/** How long payin waits for PayPal before the outcome is unknown (a held answer is given up on). */
const PROVIDER_TIMEOUT_MS = 3_000;

beforeAll(async () => {
  p = await startProviderPlatform(
    // A pending capture stays pending until the test settles it; a refused webhook comes back soon.
    { EMULATOR_PAYPAL_PENDING_CAPTURE_MS: '3600000', EMULATOR_PAYPAL_WEBHOOK_RETRY_MS: '100' },
    {
      PAYIN_INQUIRY_BASE_MS: String(INQUIRY_MS),
      PAYIN_INQUIRY_MAX_MS: String(INQUIRY_MS),
      PAYIN_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    },
  );
  account = await p.connect({
    connector: 'paypal',
    settings: { endpoint: `${p.emulators.url}/paypal`, webhook_id: WEBHOOK_ID },
    credentials: { client_id: 'payin_paypal_client', client_secret: 'payin_paypal_secret' },
  });
  const subscribed = await p.control('/paypal/webhooks', {
    url: account.webhook_url,
    webhook_id: WEBHOOK_ID,
  });
  expect(subscribed.status, JSON.stringify(subscribed.body)).toBe(201);
}, 90_000);
afterAll(async () => {
  await p?.close();
});
beforeEach(async () => {
  await p.control('/paypal/faults', undefined, 'DELETE');
});

/** The recovery job as it runs once the inquiry delay has passed. */
const recoverLater = () =>
  recoverUnknownOutcomes({
    ...p.t.api.core,
    clock: { now: () => new Date(Date.now() + INQUIRY_MS + 60_000) },
  } satisfies CoreDeps);

const attemptOf = (paymentId: string) => p.t.api.core.store.transaction((tx) => tx.currentAttempt(paymentId));
const orderIdOf = async (paymentId: string) => (await attemptOf(paymentId))?.providerReference as string;
/** The emulator's ledger of one order (amounts in minor units). */
const ledger = async (orderId: string) =>
  (await p.control(`/paypal/ledger?orderId=${encodeURIComponent(orderId)}`, undefined, 'GET')).body.orders[0];
const orderCount = async () => (await p.control('/paypal/ledger', undefined, 'GET')).body.orders.length;
const notifications = () =>
  p.t.api.database.db
    .selectFrom('providerNotifications')
    .selectAll()
    .where('connectorAccount', '=', account.id)
    .execute();
const deliveries = async () =>
  (await p.control('/paypal/webhooks', undefined, 'GET')).body.deliveries as {
    eventType: string;
    resourceId: string;
    delivered: boolean;
    dropped?: boolean;
    body: string;
  }[];

const paypal = (extra: Record<string, unknown> = {}) =>
  p.m.post('/v1/payments', {
    amount: 4_990,
    currency: 'EUR',
    country: 'FR',
    payment_method_data: { type: 'paypal' },
    confirm: true,
    return_url: SHOP_RETURN,
    ...extra,
  });

type Payer = 'approve' | 'declined' | 'pending';

/**
 * The shopper on PayPal's approval page (reached from next_action's URL): picks the test payer
 * and presses Pay, or Cancel and return. PayPal sends the browser back to payin, which completes
 * the attempt and sends it on to the shop.
 */
async function atPayPal(nextActionUrl: string, action: 'pay' | 'cancel', payer: Payer = 'approve') {
  const page = await fetch(nextActionUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const formAction = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  expect(formAction, html).toBeDefined();
  const answered = await fetch(new URL((formAction as string).replace(/&#38;/g, '&'), page.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payer, action }).toString(),
    redirect: 'manual',
  });
  expect(answered.status).toBe(303);
  const toPayin = new URL(answered.headers.get('location') as string);
  const back = await fetch(toPayin, { redirect: 'manual' });
  expect(back.status, await back.clone().text()).toBe(303);
  return { toPayin, shop: new URL(back.headers.get('location') as string), html };
}

const approvalUrlOf = (created: { body: any }) => created.body.next_action.redirect_to_url.url as string;

describe('PayPal, automatic capture', () => {
  it('pays: approved at PayPal, captured on return, the shopper is back at the shop', async () => {
    const created = await paypal({ description: 'Two mugs' });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({
      status: 'requires_action',
      payment_method: 'paypal',
      connector: 'paypal',
      capture_method: 'automatic',
    });
    const next = created.body.next_action.redirect_to_url;
    expect(next.return_url).toBe(SHOP_RETURN);
    const orderId = await orderIdOf(created.body.id);
    const url = new URL(next.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${p.emulators.url}/paypal/checkoutnow`);
    expect(url.searchParams.get('token')).toBe(orderId);

    // The order as PayPal holds it before the payer approves: one unit naming payin's attempt.
    const attempt = await attemptOf(created.body.id);
    const before = await ledger(orderId);
    expect(before).toMatchObject({
      intent: 'CAPTURE',
      status: 'PAYER_ACTION_REQUIRED',
      captures: [],
      purchaseUnits: [
        {
          referenceId: created.body.id,
          currency: 'EUR',
          amount: 4_990,
          customId: attempt?.id,
          invoiceId: attempt?.id,
        },
      ],
    });

    const { toPayin, shop, html } = await atPayPal(next.url, 'pay');
    expect(html).toContain('49.90 EUR');
    expect(toPayin.pathname).toBe(`/return/${attempt?.id}`);
    expect(toPayin.searchParams.get('token')).toBe(orderId);
    expect(`${shop.origin}${shop.pathname}`).toBe(SHOP_RETURN);
    expect(shop.searchParams.get('payment')).toBe(created.body.id);
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');

    const paid = await p.payment(created.body.id);
    expect(paid).toMatchObject({
      status: 'succeeded',
      amount_received: 4_990,
      amount_capturable: 0,
      next_action: null,
      last_error: null,
      payment_method_details: { type: 'paypal' },
    });
    expect(await p.eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.succeeded',
    ]);
    const after = await ledger(orderId);
    expect(after.status).toBe('COMPLETED');
    expect(after.captures).toHaveLength(1);
    expect(after.captures[0]).toMatchObject({
      status: 'COMPLETED',
      amount: { currency: 'EUR', minor: 4_990 },
      customId: attempt?.id,
    });

    // PayPal's PAYMENT.CAPTURE.COMPLETED reaches payin, verified, and changes nothing more.
    const capture = after.captures[0].id as string;
    await p.eventually(
      async () =>
        (await notifications()).find(
          (n) =>
            (n.payload as any).event_type === 'PAYMENT.CAPTURE.COMPLETED' &&
            (n.payload as any).resource.id === capture &&
            n.processedAt !== null,
        ),
      'the PAYMENT.CAPTURE.COMPLETED webhook applied',
    );
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 4_990 });
    expect(await p.eventsOf(created.body.id)).toHaveLength(4);
  });

  it('pays in yen, which PayPal takes without decimals', async () => {
    const created = await paypal({ amount: 12_800, currency: 'JPY', country: 'JP' });
    expect(created.body.status, created.text).toBe('requires_action');
    const { shop, html } = await atPayPal(approvalUrlOf(created), 'pay');
    expect(html).toContain('12800 JPY');
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 12_800 });
    const order = await ledger(await orderIdOf(created.body.id));
    expect(order.captures.map((c: any) => c.amount)).toEqual([{ currency: 'JPY', minor: 12_800 }]);
  });
});

describe('PayPal, manual capture', () => {
  it('authorizes on return, captures part, refunds part of the capture', async () => {
    const created = await paypal({ amount: 10_000, capture_method: 'manual' });
    expect(created.body.status, created.text).toBe('requires_action');
    const orderId = await orderIdOf(created.body.id);
    expect((await ledger(orderId)).intent).toBe('AUTHORIZE');

    const { shop } = await atPayPal(approvalUrlOf(created), 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 10_000,
      amount_received: 0,
    });
    const authorized = await ledger(orderId);
    expect(authorized.status).toBe('COMPLETED');
    expect(authorized.authorizations).toHaveLength(1);
    expect(authorized.authorizations[0]).toMatchObject({ status: 'CREATED', captured: 0 });
    expect(authorized.captures).toEqual([]);

    const captured = await p.m.post(`/v1/payments/${created.body.id}/capture`, { amount: 6_000 });
    expect(captured.status, captured.text).toBe(200);
    expect(captured.body).toMatchObject({ status: 'succeeded', amount_received: 6_000 });
    const afterCapture = await ledger(orderId);
    expect(afterCapture.authorizations[0]).toMatchObject({ captured: 6_000 });
    expect(afterCapture.captures).toHaveLength(1);
    expect(afterCapture.captures[0]).toMatchObject({
      status: 'COMPLETED',
      amount: { currency: 'EUR', minor: 6_000 },
      finalCapture: true,
    });

    const refund = await p.m.post('/v1/refunds', { payment: created.body.id, amount: 2_500 });
    expect(refund.status, refund.text).toBe(200);
    const refunded = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 'the refund to succeed');
    expect(refunded).toMatchObject({ amount: 2_500, payment: created.body.id });
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'succeeded',
      amount_received: 6_000,
      amount_refunded: 2_500,
    });
    const afterRefund = await ledger(orderId);
    expect(afterRefund.refunds).toHaveLength(1);
    expect(afterRefund.refunds[0]).toMatchObject({
      status: 'COMPLETED',
      captureId: afterCapture.captures[0].id,
      amount: { currency: 'EUR', minor: 2_500 },
      invoiceId: refund.body.id,
    });
    expect(afterRefund.captures[0]).toMatchObject({ status: 'PARTIALLY_REFUNDED', refunded: 2_500 });
    const events = (await p.m.get('/v1/events?type=refund.succeeded&limit=100')).body.data as any[];
    expect(events.filter((e) => e.data.object.id === refund.body.id)).toHaveLength(1);
  });

  it('cancels an authorized payment: the authorization is voided at PayPal', async () => {
    const created = await paypal({ amount: 3_000, capture_method: 'manual' });
    await atPayPal(approvalUrlOf(created), 'pay');
    expect((await p.payment(created.body.id)).status).toBe('requires_capture');
    const canceled = await p.m.post(`/v1/payments/${created.body.id}/cancel`, {
      cancellation_reason: 'requested_by_customer',
    });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', amount_capturable: 0, amount_received: 0 });
    const order = await ledger(await orderIdOf(created.body.id));
    expect(order.authorizations[0]).toMatchObject({ status: 'VOIDED' });
    expect(order.captures).toEqual([]);
  });
});

describe('PayPal, the shopper does not pay', () => {
  it('a shopper paying at PayPal after the merchant canceled is told it failed, and nothing is captured', async () => {
    const created = await paypal();
    const orderId = await orderIdOf(created.body.id);
    const canceled = await p.m.post(`/v1/payments/${created.body.id}/cancel`, {});
    expect(canceled.body.status, canceled.text).toBe('canceled');
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    expect((await p.payment(created.body.id)).status).toBe('canceled');
    expect((await ledger(orderId)).captures).toEqual([]);
  });

  it('cancelled on the approval page: canceled_by_shopper, and the payment can be paid again', async () => {
    const created = await paypal();
    const firstOrder = await orderIdOf(created.body.id);
    const { toPayin, shop } = await atPayPal(approvalUrlOf(created), 'cancel');
    expect(toPayin.searchParams.get('outcome')).toBe('cancel');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    expect(shop.searchParams.get('payment')).toBe(created.body.id);
    const after = await p.payment(created.body.id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      amount_received: 0,
      last_error: { code: 'canceled_by_shopper' },
    });
    expect(await p.eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.failed',
    ]);
    const cancelled = await ledger(firstOrder);
    expect(cancelled.status).toBe('PAYER_ACTION_REQUIRED');
    expect(cancelled.captures).toEqual([]);

    const again = await p.m.post(`/v1/payments/${created.body.id}/confirm`, {
      payment_method_data: { type: 'paypal' },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body).toMatchObject({ status: 'requires_action', last_error: null });
    const secondOrder = await orderIdOf(created.body.id);
    expect(secondOrder).not.toBe(firstOrder);
    const { shop: paidShop } = await atPayPal(approvalUrlOf(again), 'pay');
    expect(paidShop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 4_990 });
    expect((await ledger(secondOrder)).captures).toHaveLength(1);
    expect((await ledger(firstOrder)).captures).toEqual([]);
  });

  it("declined: PayPal refuses the payer's funding at capture, reported as payment_declined", async () => {
    const created = await paypal();
    // The decline comes on the return, not on the creation of the payment.
    expect(created.status, created.text).toBe(200);
    expect(created.body.status).toBe('requires_action');
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay', 'declined');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    const after = await p.payment(created.body.id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_error: { code: 'payment_declined' },
    });
    expect(after.last_error.message).toMatch(/PayPal declined/);
    expect(await p.eventsOf(created.body.id)).toContain('payment.failed');
    expect(await p.eventsOf(created.body.id)).not.toContain('payment.succeeded');
    const order = await ledger(await orderIdOf(created.body.id));
    expect(order).toMatchObject({ outcome: 'declined', status: 'APPROVED', captures: [] });
  });
});

describe('PayPal settles later', () => {
  it("pending review: processing, then succeeded by PayPal's signed webhook", async () => {
    const created = await paypal({ amount: 7_500 });
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay', 'pending');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'processing',
      amount_received: 0,
      next_action: null,
    });
    const orderId = await orderIdOf(created.body.id);
    const held = await ledger(orderId);
    expect(held.captures).toHaveLength(1);
    expect(held.captures[0]).toMatchObject({ status: 'PENDING', reason: 'PENDING_REVIEW' });

    const settled = await p.control(`/paypal/captures/${held.captures[0].id}/settle`, {
      status: 'COMPLETED',
    });
    expect(settled.status).toBe(200);
    const done = await p.eventually(async () => {
      const now = await p.payment(created.body.id);
      if (now.status === 'succeeded') return now;
      // The embedded worker applies stored notifications on its own time; this applies them now.
      await processProviderNotifications(p.t.api.core);
      return undefined;
    }, 'the PAYMENT.CAPTURE.COMPLETED webhook');
    expect(done).toMatchObject({ amount_received: 7_500 });
    // It was the webhook, verified and stored, that settled it.
    await p.eventually(
      async () =>
        (await deliveries()).find(
          (d) =>
            d.eventType === 'PAYMENT.CAPTURE.COMPLETED' &&
            d.resourceId === held.captures[0].id &&
            d.delivered,
        ),
      'the delivery accepted by payin',
    );
    const stored = (await notifications()).filter(
      (n) =>
        (n.payload as any).event_type === 'PAYMENT.CAPTURE.COMPLETED' &&
        (n.payload as any).resource.id === held.captures[0].id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ outcome: 'applied', processedAt: expect.any(Date) });
    expect(await p.eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.processing',
      'payment.succeeded',
    ]);
    expect((await attemptOf(created.body.id))?.inquiries).toBe(0);
  });

  it('pending review, then denied by PayPal: payment_declined, nothing received', async () => {
    const created = await paypal({ amount: 3_100 });
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay', 'pending');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    const held = await ledger(await orderIdOf(created.body.id));
    const denied = await p.control(`/paypal/captures/${held.captures[0].id}/settle`, { status: 'DECLINED' });
    expect(denied.status).toBe(200);
    const failed = await p.eventually(async () => {
      const now = await p.payment(created.body.id);
      if (now.status !== 'processing') return now;
      await processProviderNotifications(p.t.api.core);
      return undefined;
    }, 'the PAYMENT.CAPTURE.DENIED webhook');
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_error: { code: 'payment_declined' },
    });
    expect(await p.eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.processing',
      'payment.failed',
    ]);
    expect((await ledger(await orderIdOf(created.body.id))).captures[0]).toMatchObject({
      status: 'DECLINED',
    });
  });

  it('the capture times out: processing, then resolved by asking PayPal, captured once', async () => {
    const created = await paypal({ amount: 5_500 });
    const orderId = await orderIdOf(created.body.id);
    // The capture is made at PayPal and its answer held past payin's timeout; its webhooks are
    // lost too, so only asking PayPal tells.
    await p.control('/paypal/faults', {
      calls: [{ operation: 'orders.capture', fault: 'timeout' }],
      webhooks: { drop: 2 },
    });
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'processing', amount_received: 0 });
    expect((await attemptOf(created.body.id))?.status).toBe('unknown');
    const captured = await ledger(orderId);
    expect(captured.status).toBe('COMPLETED');
    expect(captured.captures).toHaveLength(1);
    expect(await p.eventsOf(created.body.id)).not.toContain('payment.failed');

    await recoverLater();
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 5_500 });
    expect((await ledger(orderId)).captures).toHaveLength(1);

    // The lost webhooks, sent again now, change nothing.
    const dropped = (await deliveries()).filter((d) => d.dropped && d.resourceId === captured.captures[0].id);
    expect(dropped.map((d) => d.eventType)).toEqual(['PAYMENT.CAPTURE.COMPLETED']);
    await p.control('/paypal/webhooks/resend');
    await p.eventually(
      async () =>
        (await notifications()).some(
          (n) => (n.payload as any).resource?.id === captured.captures[0].id && n.processedAt !== null,
        ),
      'the resent webhook applied',
    );
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 5_500 });
    const events = await p.eventsOf(created.body.id);
    expect(events.filter((e) => e === 'payment.succeeded')).toHaveLength(1);
    expect((await ledger(orderId)).captures).toHaveLength(1);
  });

  it('the answer of the authorization is cut: resolved by asking PayPal to requires_capture', async () => {
    const created = await paypal({ amount: 2_000, capture_method: 'manual' });
    const orderId = await orderIdOf(created.body.id);
    await p.control('/paypal/faults', {
      calls: [{ operation: 'orders.authorize', fault: 'drop_answer' }],
      webhooks: { drop: 2 },
    });
    const { shop } = await atPayPal(approvalUrlOf(created), 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('processing');
    expect((await p.payment(created.body.id)).status).toBe('processing');
    await recoverLater();
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 2_000,
    });
    expect((await ledger(orderId)).authorizations).toHaveLength(1);
  });
});

describe('PayPal refunds', () => {
  it("a refund whose answer is lost is settled by PayPal's PAYMENT.CAPTURE.REFUNDED webhook, refunded once", async () => {
    const created = await paypal({ amount: 4_000 });
    await atPayPal(approvalUrlOf(created), 'pay');
    expect((await p.payment(created.body.id)).status).toBe('succeeded');
    const orderId = await orderIdOf(created.body.id);
    await p.control('/paypal/faults', { calls: [{ operation: 'captures.refund', fault: 'drop_answer' }] });
    const refund = await p.m.post('/v1/refunds', { payment: created.body.id, amount: 1_000 });
    expect(refund.status, refund.text).toBe(200);
    // Asked again only after the inquiry delay: what settles it is the webhook.
    const refunded = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      if (r.status === 'succeeded') return r;
      await processProviderNotifications(p.t.api.core);
      return undefined;
    }, 'the PAYMENT.CAPTURE.REFUNDED webhook');
    expect(refunded.amount).toBe(1_000);
    expect(await p.payment(created.body.id)).toMatchObject({
      amount_received: 4_000,
      amount_refunded: 1_000,
    });
    const order = await ledger(orderId);
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({
      invoiceId: refund.body.id,
      amount: { currency: 'EUR', minor: 1_000 },
    });
    const stored = (await notifications()).filter(
      (n) =>
        (n.payload as any).event_type === 'PAYMENT.CAPTURE.REFUNDED' &&
        (n.payload as any).resource.id === order.refunds[0].id,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.outcome).toBe('applied');

    // The rest can still be refunded, and no more than that.
    const rest = await p.m.post('/v1/refunds', { payment: created.body.id });
    expect(rest.status, rest.text).toBe(200);
    expect(rest.body).toMatchObject({ amount: 3_000, status: 'succeeded' });
    expect((await ledger(orderId)).refunds).toHaveLength(2);
    expectError(
      await p.m.post('/v1/refunds', { payment: created.body.id, amount: 1 }),
      400,
      'invalid_request_error',
    );
    expect(await p.payment(created.body.id)).toMatchObject({ amount_refunded: 4_000 });
  });
});

describe("payin's PayPal webhook route", () => {
  it('refuses a forged delivery with 401 and stores nothing', async () => {
    const created = await paypal({ amount: 1_500 });
    const attempt = await attemptOf(created.body.id);
    const orderId = await orderIdOf(created.body.id);
    const event = {
      id: 'WH-FORGED-0000000000000000',
      event_version: '1.0',
      create_time: new Date().toISOString(),
      resource_type: 'capture',
      resource_version: '2.0',
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      summary: 'Payment completed for EUR 15.00 EUR',
      resource: {
        id: '5O190127TN364715T',
        status: 'COMPLETED',
        amount: { currency_code: 'EUR', value: '15.00' },
        custom_id: attempt?.id,
        invoice_id: attempt?.id,
        supplementary_data: { related_ids: { order_id: orderId } },
      },
      links: [],
    };
    const raw = JSON.stringify(event);
    const signer = p.emulators.paypal?.webhooks;
    if (!signer) throw new Error('the PayPal emulator is not running');
    const post = (body: string, headers: Record<string, string>) => {
      const sent = new Headers(headers);
      sent.set('content-type', 'application/json');
      return fetch(account.webhook_url, { method: 'POST', headers: sent, body });
    };

    const forgeries: [string, Record<string, string>, string][] = [
      ['no signature at all', {}, raw],
      // Signed by PayPal's key, but for another listener's webhook id.
      ['signed for another webhook id', signer.transmissionHeaders('OTHERLISTENER1', raw), raw],
      // PayPal's signature of one body, sent with another.
      [
        'a body other than the one signed',
        signer.transmissionHeaders(WEBHOOK_ID, raw),
        raw.replace('"15.00"', '"1500.00"'),
      ],
      [
        'a certificate from elsewhere',
        {
          ...signer.transmissionHeaders(WEBHOOK_ID, raw),
          'PAYPAL-CERT-URL': 'https://evil.example/cert.pem',
        },
        raw,
      ],
    ];
    for (const [what, headers, body] of forgeries) {
      const response = await post(body, headers);
      expect(response.status, what).toBe(401);
      const answer = (await response.json()) as any;
      expect(answer.error, what).toMatchObject({ type: 'invalid_request_error', code: 'signature_invalid' });
    }
    // Nothing of these deliveries was kept (other payments' genuine webhooks may arrive meanwhile).
    const kept = (await notifications()).filter(
      (n) =>
        (n.payload as any).id === event.id ||
        (n.payload as any).resource?.custom_id === attempt?.id ||
        (n.payload as any).resource?.id === event.resource.id,
    );
    expect(kept).toEqual([]);
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'requires_action', amount_received: 0 });
    expect(await p.eventsOf(created.body.id)).not.toContain('payment.succeeded');
  });
});

describe('the browser confirms with PayPal', () => {
  it('with the publishable key and the client secret, then pays at PayPal', async () => {
    const created = await p.m.post('/v1/payments', {
      amount: 2_490,
      currency: 'USD',
      country: 'US',
      return_url: SHOP_RETURN,
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body.status).toBe('requires_payment_method');
    const browser = (path: string, body: unknown, key = p.m.publishableKey) =>
      p.t.request('POST', path, { key, body });

    const viewed = await p.t.request(
      'GET',
      `/v1/checkout/payments/${created.body.id}?client_secret=${encodeURIComponent(created.body.client_secret)}`,
      { key: p.m.publishableKey },
    );
    expect(viewed.status, viewed.text).toBe(200);
    expect(viewed.body.payment_methods).toContainEqual({ type: 'paypal' });

    // A wrong client secret is the same 404 as an unknown payment; nothing reaches PayPal.
    const orders = await orderCount();
    expectError(
      await browser(`/v1/checkout/payments/${created.body.id}/confirm`, {
        client_secret: `${created.body.client_secret}x`,
        payment_method_data: { type: 'paypal' },
      }),
      404,
      'invalid_request_error',
    );
    expect(await orderCount()).toBe(orders);

    const confirmed = await browser(`/v1/checkout/payments/${created.body.id}/confirm`, {
      client_secret: created.body.client_secret,
      payment_method_data: {
        type: 'paypal',
        billing_details: { name: 'Ada Lovelace', email: 'ada@example.com' },
      },
    });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      object: 'checkout_payment',
      id: created.body.id,
      status: 'requires_action',
    });
    const url = confirmed.body.next_action.redirect_to_url.url as string;
    expect(new URL(url).searchParams.get('token')).toBe(await orderIdOf(created.body.id));
    const { shop } = await atPayPal(url, 'pay');
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 2_490 });
    const order = await ledger(await orderIdOf(created.body.id));
    expect(order.captures.map((c: any) => c.amount)).toEqual([{ currency: 'USD', minor: 2_490 }]);
  });
});

describe('market rules', () => {
  it.each([
    ['a currency PayPal is not offered in', { currency: 'GBP', country: 'FR' }],
    ['a country PayPal is not offered in', { currency: 'EUR', country: 'DE' }],
  ])('refuses PayPal in %s before anything reaches PayPal', async (_what, market) => {
    const orders = await orderCount();
    const before = (await p.m.get('/v1/payments?limit=100')).body.data.length;
    expectError(await paypal(market), 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
      param: 'payment_method',
    });
    expect(await orderCount()).toBe(orders);
    expect((await p.m.get('/v1/payments?limit=100')).body.data.length).toBe(before);
  });
});
