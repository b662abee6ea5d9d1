import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttemptRef, AuthorizeRequest } from '@payin/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEmulatorsConfig } from '../../../../apps/emulators/src/config.js';
import { type RunningEmulators, startEmulators } from '../../../../apps/emulators/src/server.js';
import type { OpenedConnectorAccount } from '../provider.js';
import type { KlarnaConnector } from './index.js';
import { klarnaModule } from './module.js';

/** The emulators with Klarna only, on a random port, reviews short so that tests see them end. */
async function startKlarna(): Promise<RunningEmulators> {
  const config = loadEmulatorsConfig({});
  return startEmulators({
    ...config,
    port: 0,
    host: '127.0.0.1',
    publicUrl: '',
    logLevel: 'silent',
    paypal: undefined,
    truelayer: undefined,
    klarna: {
      ...(config.klarna as NonNullable<typeof config.klarna>),
      fraudReviewMs: 300,
      notificationRetryMs: 50,
    },
  });
}

/** payin's webhook endpoint for the account, recording what Klarna posts. */
async function startReceiver() {
  const received: unknown[] = [];
  const server: Server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      received.push(JSON.parse(text));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/klarna/ca_klarna`,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
}

let emulators: RunningEmulators;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let account: OpenedConnectorAccount;
const sent: Sent[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  sent.push({
    method: init?.method ?? 'GET',
    url: String(input),
    headers: { ...(init?.headers as Record<string, string>) },
  });
  return fetch(input, init);
};

beforeAll(async () => {
  emulators = await startKlarna();
  receiver = await startReceiver();
  account = {
    id: 'ca_klarna',
    merchantId: 'mer_1',
    livemode: false,
    connector: 'klarna',
    paymentMethodTypes: ['klarna'],
    settings: { endpoint: `${emulators.url}/klarna` },
    credentials: { username: 'PK_test_payin', password: 'klarna_test_password' },
  };
});
afterAll(async () => {
  await emulators.close();
  await receiver.close();
});
beforeEach(async () => {
  sent.length = 0;
  await control('DELETE', '/faults');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulators.url}/_control/klarna${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as any;
}

const ledger = async (orderId?: string) => control('GET', `/ledger${orderId ? `?order_id=${orderId}` : ''}`);

function connector(opts: { timeoutMs?: number } = {}): KlarnaConnector {
  const built = klarnaModule.build(account, {
    fetch: recordingFetch,
    webhookUrl: receiver.url,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
  });
  if (!built) throw new Error('no connector');
  return built as KlarnaConnector;
}

let n = 0;
function request(extra: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  n += 1;
  return {
    attemptId: `att_${n}_${Date.now()}`,
    paymentId: `pay_${n}`,
    merchantId: 'mer_1',
    idempotencyKey: `att_${n}_${Date.now()}`,
    amount: 11_900,
    currency: 'EUR',
    capture: true,
    paymentMethod: 'klarna',
    paymentMethodType: 'klarna',
    billingDetails: {
      name: 'Testperson de Approved',
      email: 'customer@example.com',
      address: { line1: 'Hellersbergstraße 14', postal_code: '41460', city: 'Neuss', country: 'DE' },
    },
    providerReturnUrl: `https://api.payin.example/v1/return/att_${n}`,
    country: 'DE',
    reference: 'order-42',
    description: 'Two mugs',
    locale: 'de-DE',
    livemode: false,
    ...extra,
  };
}

function attemptOf(req: AuthorizeRequest, providerReference: string | null | undefined): AttemptRef {
  return {
    attemptId: req.attemptId,
    paymentId: req.paymentId,
    providerReference: providerReference ?? null,
    paymentMethod: 'klarna',
    capture: req.capture,
    amount: req.amount,
    currency: req.currency,
    startedAt: Date.now(),
  };
}

/** The shopper opens Klarna's page and presses a button; answers the query payin gets back. */
async function shopper(url: string, action: 'pay' | 'cancel' | 'back' | 'refuse' | 'error') {
  expect((await fetch(url)).status).toBe(200);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, category: 'pay_later' }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const back = new URL(response.headers.get('location') ?? '');
  return Object.fromEntries(back.searchParams);
}

/** authorize, then the shopper on Klarna's page; answers the attempt as core would hold it. */
async function redirected(c: KlarnaConnector, req: AuthorizeRequest) {
  const outcome = await c.authorize(req);
  if (outcome.status !== 'requires_action' || outcome.action.type !== 'redirect_to_url')
    throw new Error(`expected a redirect, got ${JSON.stringify(outcome)}`);
  return { attempt: attemptOf(req, outcome.providerReference), url: outcome.action.url };
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
};

describe('KlarnaConnector against the Klarna emulator', () => {
  it('opens a KP session and its hosted page, then captures the order as it is placed', async () => {
    const c = connector();
    const req = request();
    const { attempt, url } = await redirected(c, req);
    expect(url).toMatch(/\/klarna\/hpp\/pay\//);

    const session = (await ledger()).sessions.find((s: any) => s.session_id === attempt.providerReference);
    expect(session).toMatchObject({ purchase_country: 'DE', purchase_currency: 'EUR', order_amount: 11_900 });
    const posts = sent.filter((s) => s.method === 'POST');
    expect(posts.map((s) => new URL(s.url).pathname)).toEqual([
      '/klarna/payments/v1/sessions',
      '/klarna/hpp/v1/sessions',
    ]);
    expect(posts.map((s) => s.headers['Klarna-Idempotency-Key'])).toEqual([
      `${req.idempotencyKey}:session`,
      `${req.idempotencyKey}:hpp`,
    ]);
    expect(posts[0]?.headers.Authorization).toBe(
      `Basic ${Buffer.from('PK_test_payin:klarna_test_password').toString('base64')}`,
    );

    const params = await shopper(url, 'pay');
    expect(params.outcome).toBe('success');
    expect(params.authorization_token).toMatch(/^[0-9a-f-]{36}$/);
    const outcome = await c.completeAction(attempt, params);
    expect(outcome).toEqual({
      status: 'captured',
      providerReference: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    if (outcome.status !== 'captured') throw new Error('not captured');

    const [order] = (await ledger(outcome.providerReference)).orders;
    expect(order).toMatchObject({
      status: 'CAPTURED',
      fraud_status: 'ACCEPTED',
      captured_amount: 11_900,
      order_amount: 11_900,
      merchant_reference1: req.attemptId,
      merchant_reference2: req.paymentId,
      billing_address: {
        email: 'customer@example.com',
        given_name: 'Testperson de',
        family_name: 'Approved',
        street_address: 'Hellersbergstraße 14',
        postal_code: '41460',
        city: 'Neuss',
        country: 'DE',
      },
    });
    expect(order.order_lines).toEqual([expect.objectContaining({ name: 'Two mugs', total_amount: 11_900 })]);
    expect(sent.at(-1)?.headers['Klarna-Idempotency-Key']).toBe(`${req.attemptId}:order`);
  });

  it('authorizes for a later capture, captures in parts with payin ids as references, and refunds', async () => {
    const c = connector();
    const req = request({ capture: false });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    expect(outcome).toMatchObject({ status: 'authorized' });
    if (outcome.status !== 'authorized') throw new Error('not authorized');
    const authorized = { ...attempt, providerReference: outcome.providerReference };
    expect((await ledger(outcome.providerReference)).orders[0]).toMatchObject({
      status: 'AUTHORIZED',
      captured_amount: 0,
    });

    const first = await c.capture({
      attempt: authorized,
      captureId: 'cap_1',
      idempotencyKey: 'cap_1',
      amount: 5_000,
      final: false,
    });
    expect(first).toEqual({ status: 'succeeded', providerReference: expect.any(String) });
    const again = await c.capture({
      attempt: authorized,
      captureId: 'cap_1',
      idempotencyKey: 'cap_1',
      amount: 5_000,
      final: false,
    });
    expect(again).toEqual(first);
    expect(
      await c.capture({
        attempt: authorized,
        captureId: 'cap_x',
        idempotencyKey: 'cap_x',
        amount: 10_000,
        final: false,
      }),
    ).toMatchObject({ status: 'failed', reason: expect.stringContaining('refused the capture') });
    expect(
      await c.capture({
        attempt: authorized,
        captureId: 'cap_2',
        idempotencyKey: 'cap_2',
        amount: 4_000,
        final: true,
      }),
    ).toMatchObject({ status: 'succeeded' });
    const refund = await c.refund({
      attempt: authorized,
      refundId: 're_1',
      idempotencyKey: 're_1',
      amount: 3_000,
      currency: 'EUR',
    });
    expect(refund).toEqual({ status: 'succeeded', providerReference: expect.any(String) });

    const [order] = (await ledger(outcome.providerReference)).orders;
    // The final capture released what it left: nothing remains authorized.
    expect(order).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 9_000,
      refunded_amount: 3_000,
      remaining_authorized_amount: 0,
    });
    expect(order.captures.map((x: any) => [x.reference, x.captured_amount, x.capture_id])).toEqual([
      ['cap_1', 5_000, first.status === 'succeeded' ? first.providerReference : ''],
      ['cap_2', 4_000, expect.any(String)],
    ]);
    expect(order.refunds.map((x: any) => [x.reference, x.refunded_amount])).toEqual([['re_1', 3_000]]);
  });

  it('cancels an authorized order, and fails a cancel of one partly captured', async () => {
    const c = connector();
    const req = request({ capture: false });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    if (outcome.status !== 'authorized') throw new Error('not authorized');
    const authorized = { ...attempt, providerReference: outcome.providerReference };
    expect(await c.cancel({ attempt: authorized, idempotencyKey: `${req.attemptId}:cancel` })).toEqual({
      status: 'succeeded',
      providerReference: outcome.providerReference,
    });
    expect((await ledger(outcome.providerReference)).orders[0].status).toBe('CANCELLED');
    expect(
      await c.capture({
        attempt: authorized,
        captureId: 'cap_9',
        idempotencyKey: 'cap_9',
        amount: 100,
        final: false,
      }),
    ).toMatchObject({ status: 'failed' });
  });

  it('fails with canceled_by_shopper when the shopper cancels or goes back, placing no order', async () => {
    const c = connector();
    for (const action of ['cancel', 'back'] as const) {
      const req = request();
      const { attempt, url } = await redirected(c, req);
      const params = await shopper(url, action);
      expect(params).toEqual({ outcome: action });
      expect(await c.completeAction(attempt, params)).toMatchObject({
        status: 'failed',
        error: { code: 'canceled_by_shopper' },
      });
    }
    expect(sent.some((s) => s.url.includes('/authorizations/'))).toBe(false);
  });

  it('fails with payment_declined for a shopper Klarna refuses (+denied)', async () => {
    const c = connector();
    const req = request({ billingDetails: { name: 'Test Person', email: 'customer+denied@example.com' } });
    const { attempt, url } = await redirected(c, req);
    const params = await shopper(url, 'pay');
    expect(params.outcome).toBe('failure');
    expect(await c.completeAction(attempt, params)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
  });

  it('answers unknown for an error on the page, and the status inquiry waits while the session is unpaid', async () => {
    const c = connector();
    const req = request();
    const { attempt, url } = await redirected(c, req);
    const params = await shopper(url, 'error');
    expect(await c.completeAction(attempt, params)).toMatchObject({ status: 'unknown' });
    expect(await c.status(attempt)).toEqual({ status: 'pending' });
  });

  it('fails a purchase Klarna refuses before the shopper sees a page, and one without a country', async () => {
    const c = connector();
    expect(await c.authorize(request({ currency: 'USD' }))).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
    expect(await c.authorize(request({ country: null, billingDetails: null }))).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
  });

  it('settles an order under fraud review by the notification, read back from Klarna', async () => {
    const c = connector();
    const req = request({
      capture: false,
      billingDetails: { name: 'Test Person', email: 'customer+pend-accepted@example.com' },
    });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    expect(outcome).toMatchObject({ status: 'processing' });
    if (outcome.status !== 'processing') throw new Error('not processing');
    const orderId = outcome.providerReference;
    expect(await c.status({ ...attempt, providerReference: orderId })).toEqual({
      status: 'processing',
      providerReference: orderId,
    });

    await waitFor(() => receiver.received.some((b: any) => b.order_id === orderId));
    const body = receiver.received.find((b: any) => b.order_id === orderId);
    expect(body).toEqual({ order_id: orderId, event_type: 'FRAUD_RISK_ACCEPTED' });
    const reading = await klarnaModule.readWebhook(
      account,
      { headers: { 'content-type': 'application/json' }, rawBody: JSON.stringify(body), body },
      {},
    );
    expect(reading).toMatchObject({ ok: true, notifications: [{ eventKey: `${orderId}:ACCEPTED` }] });
    if (!reading.ok) throw new Error('refused');
    expect(reading.answer).toBeUndefined();
    const stored = reading.notifications[0]?.payload as any;
    expect(stored).toMatchObject({
      order_id: orderId,
      fraud_status: 'ACCEPTED',
      merchant_reference1: req.attemptId,
    });
    expect(klarnaModule.factOf(stored)).toEqual({
      kind: 'authorization',
      attemptId: req.attemptId,
      providerReference: orderId,
      succeeded: true,
    });
    expect(await c.status({ ...attempt, providerReference: orderId })).toEqual({
      status: 'authorized',
      providerReference: orderId,
    });
  });

  it('declines an order its review rejects, read from the notification', async () => {
    const c = connector();
    const req = request({
      billingDetails: { name: 'Test Person', email: 'customer+pend-rejected@example.com' },
    });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    if (outcome.status !== 'processing') throw new Error('not processing');
    const orderId = outcome.providerReference;
    await waitFor(() => receiver.received.some((b: any) => b.order_id === orderId));
    const body = { order_id: orderId, event_type: 'FRAUD_RISK_ACCEPTED' };
    // What was posted is not believed: the order Klarna answers is what is stored.
    const reading = await klarnaModule.readWebhook(
      account,
      { headers: {}, rawBody: JSON.stringify(body), body },
      {},
    );
    if (!reading.ok) throw new Error('refused');
    expect(reading.notifications[0]?.eventKey).toBe(`${orderId}:REJECTED`);
    expect(klarnaModule.factOf(reading.notifications[0]?.payload)).toMatchObject({
      kind: 'authorization',
      attemptId: req.attemptId,
      succeeded: false,
      error: { code: 'payment_declined' },
    });
    expect(await c.status({ ...attempt, providerReference: orderId })).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
  });

  it('captures an order accepted after review when the attempt captures, at the status inquiry', async () => {
    const c = connector();
    const req = request({
      billingDetails: { name: 'Test Person', email: 'customer+pend-accepted@example.com' },
    });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    if (outcome.status !== 'processing') throw new Error('not processing');
    const orderId = outcome.providerReference;
    await waitFor(() => receiver.received.some((b: any) => b.order_id === orderId));
    const body = { order_id: orderId, event_type: 'FRAUD_RISK_ACCEPTED' };
    const reading = await klarnaModule.readWebhook(account, { headers: {}, rawBody: '', body }, {});
    if (!reading.ok) throw new Error('refused');
    // Accepted but not captured: the notification alone must not make the attempt captured.
    expect(klarnaModule.factOf(reading.notifications[0]?.payload)).toMatchObject({ kind: 'ignored' });
    const processing = { ...attempt, providerReference: orderId };
    expect(await c.status(processing)).toEqual({ status: 'captured', providerReference: orderId });
    expect(await c.status(processing)).toEqual({ status: 'captured', providerReference: orderId });
    const [order] = (await ledger(orderId)).orders;
    expect(order).toMatchObject({ status: 'CAPTURED', captured_amount: 11_900 });
    expect(order.captures).toHaveLength(1);
    expect(order.captures[0].reference).toBe(req.attemptId);
  });

  it('refuses a notification without an order id (400) and one for an order Klarna does not know (401)', async () => {
    const empty = await klarnaModule.readWebhook(account, { headers: {}, rawBody: '{}', body: {} }, {});
    expect(empty).toMatchObject({ ok: false, status: 400 });
    const body = { order_id: '00000000-0000-4000-8000-000000000000', event_type: 'FRAUD_RISK_ACCEPTED' };
    const unknown = await klarnaModule.readWebhook(account, { headers: {}, rawBody: '', body }, {});
    expect(unknown).toMatchObject({ ok: false, status: 401 });
    const other = { ...account, credentials: { username: 'PK_nobody', password: 'x' } };
    const order = (await ledger()).orders[0];
    const foreign = await klarnaModule.readWebhook(
      other,
      { headers: {}, rawBody: '', body: { order_id: order.order_id, event_type: 'FRAUD_RISK_ACCEPTED' } },
      {},
    );
    expect(foreign).toMatchObject({ ok: false, status: 401 });
  });

  it('answers unknown when the order is placed but its answer is lost, and the status inquiry finds that order', async () => {
    const c = connector({ timeoutMs: 500 });
    const req = request();
    const { attempt, url } = await redirected(c, req);
    const params = await shopper(url, 'pay');
    await control('POST', '/faults', { calls: [{ operation: 'place_order', fault: 'timeout' }] });
    const lost = await c.completeAction(attempt, params);
    expect(lost).toMatchObject({ status: 'unknown' });
    // Still the KP session: the order's id was never learned.
    expect(lost.providerReference).toBe(attempt.providerReference);

    const found = await c.status(attempt);
    expect(found).toEqual({ status: 'captured', providerReference: expect.any(String) });
    const orders = (await ledger()).orders.filter((o: any) => o.merchant_reference1 === req.attemptId);
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({
      order_id: (found as { providerReference: string }).providerReference,
      captured_amount: 11_900,
    });
  });

  it('answers unknown for a 500 and a cut connection, never a failure', async () => {
    const c = connector();
    await control('POST', '/faults', { calls: [{ operation: 'create_session', fault: 'error_500' }] });
    expect(await c.authorize(request())).toMatchObject({ status: 'unknown' });
    await control('POST', '/faults', { calls: [{ operation: 'create_hpp_session', fault: 'drop_answer' }] });
    const req = request();
    const cut = await c.authorize(req);
    expect(cut).toMatchObject({ status: 'unknown', providerReference: expect.any(String) });
    // Sent again with the same key, the same pages come back: nothing is opened twice.
    const again = await c.authorize(req);
    expect(again).toMatchObject({ status: 'requires_action', providerReference: cut.providerReference });
  });

  it('places one order for one attempt, whatever the number of returns and inquiries', async () => {
    const c = connector();
    const req = request({ capture: false });
    const { attempt, url } = await redirected(c, req);
    const params = await shopper(url, 'pay');
    const first = await c.completeAction(attempt, params);
    const second = await c.completeAction(attempt, params);
    const inquiry = await c.status(attempt);
    expect(second).toEqual(first);
    expect(inquiry).toEqual(first);
    const orders = (await ledger()).orders.filter((o: any) => o.merchant_reference1 === req.attemptId);
    expect(orders).toHaveLength(1);
    // The same key twice for authorize opens one KP session.
    const again = await c.authorize(req);
    expect(again).toMatchObject({ providerReference: attempt.providerReference });
  });
});

describe('KlarnaConnector and expiry', () => {
  it('fails with payment_expired when the authorization lapsed before the order, or the order before capture', async () => {
    const c = connector();
    const late = request();
    const lateRedirect = await redirected(c, late);
    const lateParams = await shopper(lateRedirect.url, 'pay');

    const req = request({ capture: false });
    const { attempt, url } = await redirected(c, req);
    const outcome = await c.completeAction(attempt, await shopper(url, 'pay'));
    if (outcome.status !== 'authorized') throw new Error('not authorized');

    await control('POST', '/clock', { advanceMs: 61 * 60_000 });
    expect(await c.completeAction(lateRedirect.attempt, lateParams)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_expired' },
    });

    await control('POST', '/clock', { advanceMs: 29 * 86_400_000 });
    expect(await c.status({ ...attempt, providerReference: outcome.providerReference })).toMatchObject({
      status: 'failed',
      error: { code: 'payment_expired' },
    });
    // A KP session is forgotten after 48 hours: an attempt that old, never paid, has expired.
    const old = { ...lateRedirect.attempt, startedAt: Date.now() - 30 * 86_400_000 };
    expect(await c.status(old)).toMatchObject({ status: 'failed', error: { code: 'payment_expired' } });
  });
});
