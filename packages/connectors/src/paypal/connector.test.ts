import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttemptRef, AuthorizationOutcome, AuthorizeRequest } from '@payin/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadEmulatorsConfig } from '../../../../apps/emulators/src/config.js';
import { type RunningEmulators, startEmulators } from '../../../../apps/emulators/src/server.js';
import type { OpenedConnectorAccount } from '../provider.js';
import type { PayPalAccount } from './account.js';
import { PayPalConnector } from './index.js';
import { paypalModule } from './module.js';

interface Received {
  headers: Record<string, string | undefined>;
  raw: string;
  event: any;
}

const WEBHOOK_ID = '4JH86294D6297924G';
let emulators: RunningEmulators;
let endpoint: string;
let receiver: Server;
const received: Received[] = [];

beforeAll(async () => {
  emulators = await startEmulators({
    ...loadEmulatorsConfig({
      EMULATORS_PORT: '0',
      EMULATORS_HOST: '127.0.0.1',
      EMULATOR_PAYPAL_PENDING_CAPTURE_MS: '600000',
      EMULATOR_PAYPAL_WEBHOOK_RETRY_MS: '50',
      LOG_LEVEL: 'silent',
    }),
    // Links and the certificate URL point at the address the emulators listen at.
    publicUrl: '',
  });
  endpoint = `${emulators.url}/paypal`;
  receiver = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers as Received['headers'], raw, event: JSON.parse(raw) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const subscribed = await control('POST', '/webhooks', {
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/paypal/ca_paypal`,
    webhook_id: WEBHOOK_ID,
  });
  expect(subscribed.status).toBe(201);
});

afterAll(async () => {
  await emulators.close();
  receiver.closeAllConnections();
  await new Promise((done) => receiver.close(done));
});

beforeEach(async () => {
  await control('DELETE', '/faults');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulators.url}/_control/paypal${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function ledger(orderId: string) {
  return (await control('GET', `/ledger?orderId=${orderId}`)).body.orders[0];
}

const account = (): PayPalAccount => ({
  id: 'ca_paypal',
  endpoint,
  webhookId: WEBHOOK_ID,
  clientId: 'payin_paypal_client',
  clientSecret: 'payin_paypal_secret',
});

const opened = (): OpenedConnectorAccount => ({
  id: 'ca_paypal',
  merchantId: 'mer_1',
  livemode: false,
  connector: 'paypal',
  paymentMethodTypes: ['paypal'],
  settings: { endpoint, webhook_id: WEBHOOK_ID },
  credentials: { client_id: 'payin_paypal_client', client_secret: 'payin_paypal_secret' },
});

const id = (prefix: string) => `${prefix}_${randomBytes(9).toString('base64url')}`;

function request(overrides: Partial<AuthorizeRequest> = {}): AuthorizeRequest {
  const attemptId = overrides.attemptId ?? id('att');
  return {
    attemptId,
    paymentId: id('pay'),
    merchantId: 'mer_1',
    idempotencyKey: attemptId,
    amount: 4990,
    currency: 'EUR',
    capture: true,
    paymentMethod: 'paypal',
    paymentMethodType: 'paypal',
    providerReturnUrl: `https://payin.example/v1/payment_attempts/${attemptId}/return`,
    description: 'Two mugs',
    locale: 'fr-FR',
    livemode: false,
    ...overrides,
  };
}

const attemptOf = (req: AuthorizeRequest, outcome: AuthorizationOutcome): AttemptRef => ({
  attemptId: req.attemptId,
  paymentId: req.paymentId,
  providerReference: outcome.providerReference ?? null,
  paymentMethod: req.paymentMethod,
  capture: req.capture,
  amount: req.amount,
  currency: req.currency,
  startedAt: Date.now(),
});

/**
 * What the payer's browser does on PayPal's page: loads it, picks the test payer, presses Pay
 * (or Cancel and return). Answers the query PayPal sends the browser back to payin with.
 */
async function payerAt(
  url: string,
  action: 'pay' | 'cancel',
  payer: 'approve' | 'declined' | 'pending' = 'approve',
): Promise<{ back: URL; params: Record<string, string> }> {
  const page = await (await fetch(url)).text();
  const formAction = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replace(/&#38;/g, '&');
  if (!formAction) throw new Error('no form on the approval page');
  const response = await fetch(new URL(formAction, url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ payer, action }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const back = new URL(response.headers.get('location') ?? '');
  return { back, params: Object.fromEntries(back.searchParams) };
}

/** An order created and approved by the payer; the attempt and what PayPal sent the payer back with. */
async function approved(
  connector: PayPalConnector,
  overrides: Partial<AuthorizeRequest> = {},
  payer: 'approve' | 'declined' | 'pending' = 'approve',
) {
  const req = request(overrides);
  const outcome = await connector.authorize(req);
  if (outcome.status !== 'requires_action' || outcome.action.type !== 'redirect_to_url')
    throw new Error(`not a redirect: ${JSON.stringify(outcome)}`);
  const { params } = await payerAt(outcome.action.url, 'pay', payer);
  return { req, attempt: attemptOf(req, outcome), params };
}

/** The deliveries of one event type about a resource, as payin's webhook route would receive them. */
async function deliveries(eventType: string, resourceId: string): Promise<Received[]> {
  for (let i = 0; i < 200; i++) {
    const found = received.filter(
      (r) => r.event.event_type === eventType && r.event.resource?.id === resourceId,
    );
    if (found.length > 0) return found;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`no ${eventType} for ${resourceId}`);
}

async function readAndFact(delivery: Received) {
  const reading = await paypalModule.readWebhook(
    opened(),
    { headers: delivery.headers, rawBody: delivery.raw, body: JSON.parse(delivery.raw) },
    {},
  );
  if (!reading.ok) throw new Error(`refused: ${reading.message} ${reading.detail ?? ''}`);
  expect(reading.answer).toBeUndefined();
  expect(reading.notifications).toEqual([{ eventKey: delivery.event.id, payload: delivery.event }]);
  return paypalModule.factOf(reading.notifications[0]?.payload);
}

describe('PayPalConnector against the PayPal emulator', () => {
  it('sends the payer to PayPal, then captures the approved order when they return', async () => {
    const connector = new PayPalConnector(account());
    const req = request({ billingDetails: { name: 'Jeanne Marie Dupont', email: 'jeanne@example.com' } });
    const outcome = await connector.authorize(req);
    expect(outcome).toMatchObject({
      status: 'requires_action',
      providerReference: expect.stringMatching(/^[A-Z0-9]{17}$/),
      action: { type: 'redirect_to_url', url: expect.stringContaining('/paypal/checkoutnow?token=') },
    });
    const orderId = outcome.providerReference as string;
    const order = await ledger(orderId);
    expect(order).toMatchObject({
      intent: 'CAPTURE',
      status: 'PAYER_ACTION_REQUIRED',
      purchaseUnits: [
        {
          referenceId: req.paymentId,
          currency: 'EUR',
          amount: 4990,
          customId: req.attemptId,
          invoiceId: req.attemptId,
        },
      ],
    });

    const { back, params } = await payerAt((outcome as { action: { url: string } }).action.url, 'pay');
    expect(`${back.origin}${back.pathname}`).toBe(req.providerReturnUrl);
    expect(params.token).toBe(orderId);

    const done = await connector.completeAction(attemptOf(req, outcome), params);
    expect(done).toEqual({
      status: 'captured',
      providerReference: orderId,
      paymentMethodDetails: {
        type: 'paypal',
        billing_details: { email: 'jeanne@example.com', name: 'John Doe' },
      },
    });
    const captured = await ledger(orderId);
    expect(captured.status).toBe('COMPLETED');
    expect(captured.captures).toHaveLength(1);
    expect(captured.captures[0]).toMatchObject({ status: 'COMPLETED', amount: { minor: 4990 } });
    expect(await connector.status(attemptOf(req, outcome))).toMatchObject({ status: 'captured' });
  });

  it('sends yen without decimals', async () => {
    const connector = new PayPalConnector(account());
    const outcome = await connector.authorize(request({ amount: 1200, currency: 'JPY' }));
    expect(outcome.status).toBe('requires_action');
    const order = await ledger(outcome.providerReference as string);
    expect(order.purchaseUnits[0]).toMatchObject({ currency: 'JPY', amount: 1200 });
  });

  it('authorizes for manual capture, captures in two parts, refunds part, and each webhook names payin', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, { capture: false, amount: 1000 });
    expect(await connector.completeAction(attempt, params)).toMatchObject({
      status: 'authorized',
      providerReference: attempt.providerReference,
    });
    const orderId = attempt.providerReference as string;
    expect((await ledger(orderId)).authorizations[0]).toMatchObject({ status: 'CREATED' });

    const first = await connector.capture({
      attempt,
      captureId: 'cap_first',
      idempotencyKey: 'cap_first',
      amount: 600,
      final: false,
    });
    expect(first).toEqual({ status: 'succeeded', providerReference: expect.any(String) });
    const second = await connector.capture({
      attempt,
      captureId: 'cap_second',
      idempotencyKey: 'cap_second',
      amount: 400,
      final: true,
    });
    expect(second.status).toBe('succeeded');
    let order = await ledger(orderId);
    expect(order.authorizations[0]).toMatchObject({ status: 'CAPTURED', captured: 1000 });
    expect(order.captures.map((c: any) => [c.invoiceId, c.amount.minor, c.customId])).toEqual([
      ['cap_first', 600, attempt.attemptId],
      ['cap_second', 400, attempt.attemptId],
    ]);

    const refund = await connector.refund({
      attempt,
      refundId: 're_part',
      idempotencyKey: 're_part',
      amount: 300,
      currency: 'EUR',
    });
    expect(refund).toEqual({ status: 'succeeded', providerReference: expect.any(String) });
    order = await ledger(orderId);
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({
      invoiceId: 're_part',
      amount: { minor: 300 },
      captureId: order.captures[0].id,
    });
    // The same refund again (its answer lost, say) is the same refund at PayPal, not a second one.
    expect(
      await connector.refund({
        attempt,
        refundId: 're_part',
        idempotencyKey: 're_part',
        amount: 300,
        currency: 'EUR',
      }),
    ).toEqual(refund);
    expect((await ledger(orderId)).refunds).toHaveLength(1);
    // Larger than any one capture: PayPal cannot make it, nothing is sent.
    expect(
      await connector.refund({
        attempt,
        refundId: 're_big',
        idempotencyKey: 're_big',
        amount: 700,
        currency: 'EUR',
      }),
    ).toMatchObject({ status: 'failed', reason: expect.stringContaining('one capture at a time') });

    const firstCapture = order.captures[0].id;
    expect(
      await readAndFact((await deliveries('PAYMENT.CAPTURE.COMPLETED', firstCapture))[0] as Received),
    ).toEqual({
      kind: 'capture',
      captureId: 'cap_first',
      providerReference: firstCapture,
      succeeded: true,
    });
    expect(
      await readAndFact((await deliveries('PAYMENT.CAPTURE.REFUNDED', order.refunds[0].id))[0] as Received),
    ).toEqual({
      kind: 'refund',
      refundId: 're_part',
      providerReference: order.refunds[0].id,
      succeeded: true,
    });
    expect(
      await readAndFact(
        (await deliveries('PAYMENT.AUTHORIZATION.CREATED', order.authorizations[0].id))[0] as Received,
      ),
    ).toEqual({
      kind: 'authorization',
      attemptId: attempt.attemptId,
      providerReference: orderId,
      succeeded: true,
    });
  });

  it('refuses a refund larger than what remains of the capture', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, { amount: 1000 });
    await connector.completeAction(attempt, params);
    expect(
      (
        await connector.refund({
          attempt,
          refundId: 're_a',
          idempotencyKey: 're_a',
          amount: 800,
          currency: 'EUR',
        })
      ).status,
    ).toBe('succeeded');
    expect(
      await connector.refund({
        attempt,
        refundId: 're_b',
        idempotencyKey: 're_b',
        amount: 300,
        currency: 'EUR',
      }),
    ).toMatchObject({ status: 'failed', reason: expect.stringContaining('REFUND_AMOUNT_EXCEEDED') });
  });

  it('voids an authorization, which then cannot be captured', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, { capture: false });
    await connector.completeAction(attempt, params);
    const key = `${attempt.attemptId}:cancel`;
    const voided = await connector.cancel({ attempt, idempotencyKey: key });
    expect(voided).toEqual({ status: 'succeeded', providerReference: expect.any(String) });
    const order = await ledger(attempt.providerReference as string);
    expect(order.authorizations[0].status).toBe('VOIDED');
    // Asked again under the same key: the same answer.
    expect(await connector.cancel({ attempt, idempotencyKey: key })).toEqual(voided);
    expect(
      await connector.capture({
        attempt,
        captureId: 'cap_late',
        idempotencyKey: 'cap_late',
        amount: 100,
        final: true,
      }),
    ).toMatchObject({ status: 'failed', reason: expect.stringContaining('AUTHORIZATION_VOIDED') });
    expect(
      await readAndFact(
        (await deliveries('PAYMENT.AUTHORIZATION.VOIDED', order.authorizations[0].id))[0] as Received,
      ),
    ).toEqual({
      kind: 'cancellation',
      attemptId: attempt.attemptId,
      providerReference: attempt.providerReference,
      succeeded: true,
    });
  });

  it('fails as canceled_by_shopper when the payer cancels on PayPal, and captures nothing', async () => {
    const connector = new PayPalConnector(account());
    const req = request();
    const outcome = await connector.authorize(req);
    const { back, params } = await payerAt((outcome as { action: { url: string } }).action.url, 'cancel');
    expect(`${back.origin}${back.pathname}`).toBe(req.providerReturnUrl);
    expect(params).toEqual({ outcome: 'cancel', token: outcome.providerReference });
    expect(await connector.completeAction(attemptOf(req, outcome), params)).toMatchObject({
      status: 'failed',
      providerReference: outcome.providerReference,
      error: { code: 'canceled_by_shopper' },
    });
    const order = await ledger(outcome.providerReference as string);
    expect(order.status).toBe('PAYER_ACTION_REQUIRED');
    expect(order.captures).toEqual([]);
  });

  it("fails as payment_declined when PayPal declines the payer's funding", async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, {}, 'declined');
    const outcome = await connector.completeAction(attempt, params);
    expect(outcome).toMatchObject({
      status: 'failed',
      providerReference: attempt.providerReference,
      error: { code: 'payment_declined', message: expect.stringContaining('funding source') },
    });
    expect((await ledger(attempt.providerReference as string)).captures).toEqual([]);
  });

  it('answers processing for a capture under review, settled later by a signed webhook', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, {}, 'pending');
    expect(await connector.completeAction(attempt, params)).toEqual({
      status: 'processing',
      providerReference: attempt.providerReference,
    });
    expect(await connector.status(attempt)).toMatchObject({ status: 'processing' });
    const captureId = (await ledger(attempt.providerReference as string)).captures[0].id;
    expect(
      await readAndFact((await deliveries('PAYMENT.CAPTURE.PENDING', captureId))[0] as Received),
    ).toMatchObject({
      kind: 'ignored',
    });

    expect((await control('POST', `/captures/${captureId}/settle`, { status: 'COMPLETED' })).status).toBe(
      200,
    );
    const [completed] = await deliveries('PAYMENT.CAPTURE.COMPLETED', captureId);
    expect(await readAndFact(completed as Received)).toEqual({
      kind: 'authorization',
      attemptId: attempt.attemptId,
      providerReference: attempt.providerReference,
      succeeded: true,
    });
    expect(await connector.status(attempt)).toMatchObject({ status: 'captured' });
  });

  it('reads a capture denied after review as a declined authorization', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector, {}, 'pending');
    await connector.completeAction(attempt, params);
    const captureId = (await ledger(attempt.providerReference as string)).captures[0].id;
    await control('POST', `/captures/${captureId}/settle`, { status: 'DECLINED' });
    const [denied] = await deliveries('PAYMENT.CAPTURE.DENIED', captureId);
    expect(await readAndFact(denied as Received)).toMatchObject({
      kind: 'authorization',
      attemptId: attempt.attemptId,
      succeeded: false,
      error: { code: 'payment_declined' },
    });
    expect(await connector.status(attempt)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
  });

  it('refuses a delivery whose body was changed on the way', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector);
    await connector.completeAction(attempt, params);
    const captureId = (await ledger(attempt.providerReference as string)).captures[0].id;
    const [delivery] = (await deliveries('PAYMENT.CAPTURE.COMPLETED', captureId)) as [Received];
    const forged = delivery.raw.replace(attempt.attemptId, 'att_someoneelse');
    const reading = await paypalModule.readWebhook(
      opened(),
      { headers: delivery.headers, rawBody: forged, body: JSON.parse(forged) },
      {},
    );
    expect(reading).toMatchObject({ ok: false, status: 401, code: 'signature_invalid' });
  });

  it('keeps a capture whose answer was lost unknown, and learns it from a status inquiry', async () => {
    const connector = new PayPalConnector(account(), { timeoutMs: 400 });
    const { attempt, params } = await approved(connector);
    await control('POST', '/faults', { calls: [{ operation: 'orders.capture', fault: 'timeout' }] });
    const lost = await connector.completeAction(attempt, params);
    expect(lost).toMatchObject({ status: 'unknown', providerReference: attempt.providerReference });
    // PayPal did capture: the order says so.
    expect((await ledger(attempt.providerReference as string)).status).toBe('COMPLETED');
    expect(await connector.status(attempt)).toMatchObject({
      status: 'captured',
      providerReference: attempt.providerReference,
    });
  });

  it('sends a capture that never got through again from a status inquiry, under the same request id', async () => {
    const connector = new PayPalConnector(account());
    const { attempt, params } = await approved(connector);
    // Two 500s: the first try and its retry; PayPal did nothing.
    await control('POST', '/faults', {
      calls: [{ operation: 'orders.capture', fault: 'error_500', count: 2 }],
    });
    expect((await connector.completeAction(attempt, params)).status).toBe('unknown');
    expect((await ledger(attempt.providerReference as string)).status).toBe('APPROVED');
    expect(await connector.status(attempt)).toMatchObject({ status: 'captured' });
    expect(await connector.status(attempt)).toMatchObject({ status: 'captured' });
    expect((await ledger(attempt.providerReference as string)).captures).toHaveLength(1);
  });

  it('creates one order for one idempotency key, however often it is sent', async () => {
    const connector = new PayPalConnector(account());
    const req = request();
    const first = await connector.authorize(req);
    const again = await new PayPalConnector(account()).authorize({ ...req, description: 'changed' });
    expect(again).toEqual(first);
    // A 500 is retried once with the same PayPal-Request-Id.
    const other = request();
    await control('POST', '/faults', { calls: [{ operation: 'orders.create', fault: 'error_500' }] });
    expect((await connector.authorize(other)).status).toBe('requires_action');
    const orders = (await control('GET', '/ledger')).body.orders as any[];
    expect(orders.filter((o) => o.purchaseUnits[0].customId === req.attemptId)).toHaveLength(1);
    expect(orders.filter((o) => o.purchaseUnits[0].customId === other.attemptId)).toHaveLength(1);
  });

  it('takes a new access token when PayPal no longer accepts the one it has', async () => {
    const connector = new PayPalConnector(account());
    expect((await connector.authorize(request())).status).toBe('requires_action');
    await fetch(`${emulators.url}/_control/paypal/tokens/expire`, { method: 'POST' });
    expect((await connector.authorize(request())).status).toBe('requires_action');
  });

  it('fails without charging when the credentials are wrong or PayPal cannot be reached', async () => {
    const wrong = new PayPalConnector({ ...account(), clientSecret: 'nope' });
    expect(await wrong.authorize(request())).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error', message: expect.stringContaining('credentials') },
    });
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const away = new PayPalConnector({ ...account(), endpoint: `http://127.0.0.1:${port}/paypal` });
    expect(await away.authorize(request())).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
  });

  it('answers payment_expired for an order PayPal does not know', async () => {
    const connector = new PayPalConnector(account());
    const req = request();
    expect(
      await connector.status({
        ...attemptOf(req, { status: 'processing', providerReference: 'NOSUCHORDER123456' }),
      }),
    ).toMatchObject({ status: 'failed', error: { code: 'payment_expired' } });
  });
});
