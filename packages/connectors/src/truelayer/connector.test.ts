import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttemptRef, AuthorizationOutcome, AuthorizeRequest } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmulatorsConfig } from '../../../../apps/emulators/src/config.js';
import { type RunningEmulators, startEmulators } from '../../../../apps/emulators/src/server.js';
import { formOf } from '../../../../apps/emulators/test/truelayer-harness.js';
import type { OpenedConnectorAccount } from '../provider.js';
import { truelayerAccount } from './account.js';
import { TrueLayerConnector } from './index.js';
import { truelayerModule } from './module.js';

/**
 * The connector against the TrueLayer emulator, the shopper played on its hosted payment page and
 * its banks' consent pages. Execution and settlement wait for the emulator's clock, moved by the
 * tests; each test connects a TrueLayer client of its own.
 */

let emulators: RunningEmulators;
/** Where the emulator posts webhooks: kept as received, for the module to read. */
let receiver: Server;
let receiverUrl: string;
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const keys = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const PRIVATE_KEY = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const RETURN_BASE = 'https://payin.example/return';

beforeAll(async () => {
  const config = loadEmulatorsConfig({
    EMULATORS_PORT: '0',
    EMULATOR_TRUELAYER_EXECUTE_DELAY_MS: '60000',
    EMULATOR_TRUELAYER_SETTLE_DELAY_MS: '60000',
    EMULATOR_TRUELAYER_WEBHOOK_RETRY_MS: '20',
  });
  emulators = await startEmulators({ ...config, host: '127.0.0.1', publicUrl: '', logLevel: 'silent' });
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await emulators?.close();
  await new Promise<void>((done) => receiver.close(() => done()));
});

const control = async (path: string, body?: unknown, method = 'POST') => {
  const response = await fetch(`${emulators.url}/_control/truelayer${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return response.json() as Promise<any>;
};
const ledger = async (paymentId: string) =>
  (await control(`/ledger?payment_id=${paymentId}`, undefined, 'GET')).payments;
const advance = (ms: number) => control('/clock/advance', { ms });

interface Merchant {
  account: OpenedConnectorAccount;
  connector: TrueLayerConnector;
  clientId: string;
  attempt(extra?: Partial<AuthorizeRequest>): AuthorizeRequest;
}

/** A TrueLayer client registered as Console would hold it, and payin's connector account for it. */
async function merchant(attempts = 4, settings: Record<string, string> = {}): Promise<Merchant> {
  const clientId = `client-${randomUUID()}`;
  const merchantAccount = randomUUID();
  const attemptIds = Array.from({ length: attempts }, () => `att_${randomUUID().replaceAll('-', '')}`);
  await control('/clients', {
    client_id: clientId,
    client_secret: 'secret',
    return_uris: attemptIds.map((id) => `${RETURN_BASE}/${id}`),
    signing_keys: [{ kid: 'kid-1', public_key_pem: PUBLIC_KEY }],
    merchant_accounts: [{ id: merchantAccount, currency: 'EUR' }],
  });
  const account: OpenedConnectorAccount = {
    id: `ca_${randomUUID().replaceAll('-', '')}`,
    merchantId: 'mer_1',
    livemode: false,
    connector: 'truelayer',
    paymentMethodTypes: ['open_banking'],
    settings: {
      auth_endpoint: `${emulators.url}/truelayer/auth`,
      api_endpoint: `${emulators.url}/truelayer/api`,
      hpp_endpoint: `${emulators.url}/truelayer/hpp`,
      merchant_account_id: merchantAccount,
      signing_key_id: 'kid-1',
      jwks_hosts: new URL(emulators.url).host,
      ...settings,
    },
    credentials: { client_id: clientId, client_secret: 'secret', signing_private_key: PRIVATE_KEY },
  };
  await control('/webhooks', { url: `${receiverUrl}/webhooks/truelayer/${account.id}`, client_id: clientId });
  const connector = truelayerModule.build(account, { timeoutMs: 2000 }) as TrueLayerConnector;
  const next = [...attemptIds];
  return {
    account,
    connector,
    clientId,
    attempt(extra = {}) {
      const attemptId = next.shift() as string;
      return {
        attemptId,
        paymentId: `pay_${attemptId.slice(4)}`,
        merchantId: 'mer_1',
        idempotencyKey: attemptId,
        amount: 4990,
        currency: 'EUR',
        capture: true,
        paymentMethod: 'open_banking',
        paymentMethodType: 'open_banking',
        billingDetails: { name: 'Jeanne Martin', email: 'jeanne@example.fr' },
        providerReturnUrl: `${RETURN_BASE}/${attemptId}`,
        country: 'FR',
        reference: 'order-1',
        locale: 'fr-FR',
        livemode: false,
        ...extra,
      };
    },
  };
}

const refOf = (req: AuthorizeRequest, providerReference: string | null): AttemptRef => ({
  attemptId: req.attemptId,
  paymentId: req.paymentId,
  providerReference,
  paymentMethod: req.paymentMethod,
  capture: true,
  amount: req.amount,
  currency: req.currency,
  startedAt: 0,
});

/** The hosted payment page an outcome sends the shopper to. */
function pageOf(outcome: AuthorizationOutcome): string {
  if (outcome.status !== 'requires_action' || outcome.action.type !== 'redirect_to_url') {
    throw new Error(`no redirect: ${outcome.status}`);
  }
  return outcome.action.url;
}

/** A browser posting a page's form with the button pressed; redirects are not followed. */
async function press(html: string, fields: Record<string, string>) {
  const form = formOf(html);
  return fetch(new URL(form.action, emulators.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...fields }),
    redirect: 'manual',
  });
}

/**
 * The shopper on TrueLayer's page and their bank's: picks `bank`, answers the consent page with
 * `outcome`, and is sent back; answers the query payin's return URL receives.
 */
async function shopper(url: string, bank: string, outcome: 'authorise' | 'cancel' | 'refuse' | 'fail') {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const toBank = await press(await page.text(), { provider_id: bank, action: 'select' });
  const consent = await fetch(new URL(toBank.headers.get('location') ?? '', emulators.url));
  const back = await press(await consent.text(), { outcome });
  return returned(back);
}

function returned(response: Response): Record<string, string> {
  expect(response.status).toBe(303);
  const to = new URL(response.headers.get('location') ?? '');
  expect(to.href.startsWith(RETURN_BASE)).toBe(true);
  return Object.fromEntries(to.searchParams);
}

/** Authorises a new payment and plays the shopper authorising it; answers its TrueLayer id. */
async function paid(m: Merchant, req = m.attempt()) {
  const outcome = await m.connector.authorize(req);
  const params = await shopper(pageOf(outcome), 'mock-fr-banque-atlantique', 'authorise');
  return { req, id: params.payment_id as string, params };
}

/** The module reading the webhooks TrueLayer sent about a payment, as payin's route does. */
async function factsAbout(m: Merchant, paymentId: string, types: string[]) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const ours = received.filter(
      (r) => r.path === `/webhooks/truelayer/${m.account.id}` && JSON.parse(r.body).payment_id === paymentId,
    );
    if (types.every((t) => ours.some((r) => JSON.parse(r.body).type === t)) || Date.now() > deadline) {
      const facts = [];
      for (const r of ours) {
        const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
        const reading = await truelayerModule.readWebhook(
          m.account,
          { headers, rawBody: r.body, body: JSON.parse(r.body) },
          {},
        );
        if (!reading.ok) throw new Error(`webhook refused: ${reading.message} ${reading.detail}`);
        for (const n of reading.notifications)
          facts.push({
            type: JSON.parse(r.body).type,
            eventKey: n.eventKey,
            fact: truelayerModule.factOf(n.payload),
          });
      }
      return facts;
    }
    await new Promise((done) => setTimeout(done, 20));
  }
}

describe('TrueLayerConnector against the emulator', () => {
  it('sends the shopper to the hosted payment page; their bank’s consent, then execution, make it captured', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    expect(outcome).toMatchObject({ status: 'requires_action', action: { type: 'redirect_to_url' } });
    if (outcome.status !== 'requires_action') return;
    const url = new URL(pageOf(outcome));
    expect(`${url.origin}${url.pathname}`).toBe(`${emulators.url}/truelayer/hpp/payments`);
    expect(url.searchParams.get('payment_id')).toBe(outcome.providerReference);
    expect(url.searchParams.get('return_uri')).toBe(req.providerReturnUrl);
    const [created] = await ledger(outcome.providerReference as string);
    expect(created).toMatchObject({
      status: 'authorization_required',
      amount_in_minor: 4990,
      currency: 'EUR',
    });

    const params = await shopper(pageOf(outcome), 'mock-fr-banque-atlantique', 'authorise');
    expect(params.payment_id).toBe(outcome.providerReference);
    const attempt = refOf(req, outcome.providerReference as string);
    // Authorised at the bank: the transfer is not executed yet.
    expect(await m.connector.completeAction(attempt, params)).toEqual({
      status: 'processing',
      providerReference: outcome.providerReference,
    });
    await advance(60_000);
    expect(await m.connector.status(attempt)).toEqual({
      status: 'captured',
      providerReference: outcome.providerReference,
      paymentMethodDetails: { type: 'open_banking' },
    });
  });

  it('fails as canceled_by_shopper when the shopper cancels at their bank', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    if (outcome.status !== 'requires_action') throw new Error(outcome.status);
    const params = await shopper(pageOf(outcome), 'mock-fr-credit-riviera', 'cancel');
    expect(
      await m.connector.completeAction(refOf(req, outcome.providerReference ?? null), params),
    ).toMatchObject({
      status: 'failed',
      providerReference: outcome.providerReference,
      error: { code: 'canceled_by_shopper' },
    });
  });

  it('fails as payment_declined when the bank refuses the payment', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    if (outcome.status !== 'requires_action') throw new Error(outcome.status);
    const params = await shopper(pageOf(outcome), 'mock-fr-credit-riviera', 'refuse');
    expect(
      await m.connector.completeAction(refOf(req, outcome.providerReference ?? null), params),
    ).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined', message: 'Your bank refused the payment.' },
    });
  });

  it('cancels at TrueLayer a payment the shopper came back from without choosing a bank, then fails it', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    if (outcome.status !== 'requires_action') throw new Error(outcome.status);
    const id = outcome.providerReference as string;
    expect(await m.connector.completeAction(refOf(req, id), { payment_id: id })).toMatchObject({
      status: 'failed',
      error: { code: 'canceled_by_shopper' },
    });
    expect((await ledger(id))[0]).toMatchObject({ status: 'failed', failure_reason: 'canceled' });
  });

  it('leaves a payment processing until a signed webhook says it was executed and settled', async () => {
    const m = await merchant();
    const { req, id, params } = await paid(m);
    expect((await m.connector.completeAction(refOf(req, id), params)).status).toBe('processing');
    // Executed a minute after consent, settled a minute later: one move of the clock runs both.
    await advance(120_000);
    const facts = await factsAbout(m, id, ['payment_executed', 'payment_settled']);
    const executed = facts.find((f) => f.type === 'payment_executed');
    expect(executed?.fact).toEqual({
      kind: 'authorization',
      attemptId: req.attemptId,
      providerReference: id,
      succeeded: true,
    });
    expect(facts.find((f) => f.type === 'payment_settled')?.fact).toMatchObject({
      attemptId: req.attemptId,
      succeeded: true,
    });
    // A body changed on the way is refused, signature and all.
    const original = received.find(
      (r) => r.path.endsWith(m.account.id) && r.body.includes('payment_executed'),
    );
    if (!original) throw new Error('no webhook');
    const headers = Object.fromEntries(Object.entries(original.headers).map(([k, v]) => [k, String(v)]));
    const forged = original.body.replace(req.attemptId, 'att_someone_else');
    expect(
      await truelayerModule.readWebhook(
        m.account,
        { headers, rawBody: forged, body: JSON.parse(forged) },
        {},
      ),
    ).toMatchObject({ ok: false, status: 401 });
  });

  it('reads a payment again after its answer was lost, and learns what became of it', async () => {
    const m = await merchant();
    const { req, id, params } = await paid(m);
    await control('/faults', { calls: [{ operation: 'get_payment', fault: 'drop_answer' }] });
    const lost = await m.connector.completeAction(refOf(req, id), params);
    expect(lost).toMatchObject({ status: 'unknown', providerReference: id });
    await advance(60_000);
    expect(await m.connector.status(refOf(req, id))).toMatchObject({
      status: 'captured',
      providerReference: id,
    });
  });

  it('tells which attempt a shopper came back from, reading the payment again when its answer was lost', async () => {
    const m = await merchant();
    const { req, params } = await paid(m);
    expect(await m.connector.attemptOfReturn(params)).toBe(req.attemptId);
    await control('/faults', { calls: [{ operation: 'get_payment', fault: 'drop_answer' }] });
    expect(await m.connector.attemptOfReturn(params)).toBe(req.attemptId);
    await control('/faults', { calls: [{ operation: 'get_payment', fault: 'drop_answer', count: 2 }] });
    expect(await m.connector.attemptOfReturn(params)).toBeUndefined();
    expect(await m.connector.attemptOfReturn({ payment_id: randomUUID() })).toBeUndefined();
    expect(await m.connector.attemptOfReturn({})).toBeUndefined();
  });

  it('sends the creation again under the same key when its answer is lost, and makes one payment', async () => {
    const m = await merchant();
    const req = m.attempt();
    await control('/faults', { calls: [{ operation: 'create_payment', fault: 'drop_answer' }] });
    const outcome = await m.connector.authorize(req);
    expect(outcome.status).toBe('requires_action');
    const payments = (await control('/ledger', undefined, 'GET')).payments.filter(
      (p: { client_id: string }) => p.client_id === m.clientId,
    );
    expect(payments).toHaveLength(1);
  });

  it('stays unknown when the creation’s answer is lost twice; the expiry webhook names the attempt', async () => {
    const m = await merchant();
    const req = m.attempt();
    await control('/faults', { calls: [{ operation: 'create_payment', fault: 'drop_answer', count: 2 }] });
    const outcome = await m.connector.authorize(req);
    expect(outcome).toMatchObject({ status: 'unknown' });
    expect(outcome).not.toHaveProperty('providerReference');
    expect(await m.connector.status(refOf(req, null))).toEqual({ status: 'pending' });
    const [payment] = (await control('/ledger', undefined, 'GET')).payments.filter(
      (p: { client_id: string }) => p.client_id === m.clientId,
    );
    await advance(15 * 60_000);
    const facts = await factsAbout(m, payment.payment_id, ['payment_failed']);
    expect(facts[0]?.fact).toMatchObject({
      kind: 'authorization',
      attemptId: req.attemptId,
      succeeded: false,
      error: { code: 'payment_expired' },
    });
  });

  it('makes one payment for the same key sent twice, and another for another key', async () => {
    const m = await merchant();
    const req = m.attempt();
    const first = await m.connector.authorize(req);
    const again = await m.connector.authorize(req);
    expect(again).toEqual(first);
    const other = await m.connector.authorize(m.attempt());
    expect(other.status === 'requires_action' && other.providerReference).not.toBe(
      first.status === 'requires_action' && first.providerReference,
    );
    const payments = (await control('/ledger', undefined, 'GET')).payments.filter(
      (p: { client_id: string }) => p.client_id === m.clientId,
    );
    expect(payments).toHaveLength(2);
  });

  it('refunds part of a settled payment; the refund webhooks name payin’s refund', async () => {
    const m = await merchant();
    const { req, id } = await paid(m);
    const attempt = refOf(req, id);
    const early = await m.connector.refund({
      attempt,
      refundId: 're_early',
      idempotencyKey: 're_early',
      amount: 100,
      currency: 'EUR',
    });
    expect(early).toMatchObject({ status: 'failed', reason: expect.stringContaining('settled') });
    await advance(120_000);
    const refund = {
      attempt,
      refundId: 're_Part1',
      idempotencyKey: 're_Part1',
      amount: 1500,
      currency: 'EUR',
    };
    const outcome = await m.connector.refund(refund);
    expect(outcome).toMatchObject({ status: 'pending', providerReference: expect.any(String) });
    expect(await m.connector.refund(refund)).toEqual(outcome);
    const failing = await m.connector.refund({
      ...refund,
      refundId: 're_FAIL1',
      idempotencyKey: 're_FAIL1',
      amount: 500,
    });
    expect(failing.status).toBe('pending');
    await advance(5_000);
    expect((await ledger(id))[0]).toMatchObject({ refunded_in_minor: 1500 });
    const facts = await factsAbout(m, id, ['refund_executed', 'refund_failed']);
    expect(facts.find((f) => f.type === 'refund_executed')?.fact).toEqual({
      kind: 'refund',
      refundId: 're_Part1',
      providerReference: outcome.status === 'pending' ? outcome.providerReference : '',
      succeeded: true,
    });
    expect(facts.find((f) => f.type === 'refund_failed')?.fact).toMatchObject({
      kind: 'refund',
      refundId: 're_FAIL1',
      succeeded: false,
    });
    const tooMuch = await m.connector.refund({
      attempt,
      refundId: 're_big',
      idempotencyKey: 're_big',
      amount: 9999,
      currency: 'EUR',
    });
    expect(tooMuch.status).toBe('failed');
  });

  it('cancels a payment not yet authorised, and refuses once the bank has', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    const id = outcome.status === 'requires_action' ? (outcome.providerReference as string) : '';
    expect(
      await m.connector.cancel({ attempt: refOf(req, id), idempotencyKey: `${req.attemptId}:cancel` }),
    ).toEqual({
      status: 'succeeded',
      providerReference: id,
    });
    expect((await ledger(id))[0]).toMatchObject({ status: 'failed', failure_reason: 'canceled' });
    const done = await paid(m);
    const refused = await m.connector.cancel({ attempt: refOf(done.req, done.id), idempotencyKey: 'k' });
    expect(refused).toMatchObject({ status: 'failed', reason: expect.stringContaining('Invalid State') });
    expect(await m.connector.capture()).toMatchObject({ status: 'failed' });
  });

  it('fails without creating anything when TrueLayer refuses the credentials', async () => {
    const m = await merchant();
    const account = truelayerAccount({
      ...m.account,
      credentials: { ...m.account.credentials, client_secret: 'wrong' },
    });
    const connector = new TrueLayerConnector(account as NonNullable<typeof account>, { timeoutMs: 2000 });
    expect(await connector.authorize(m.attempt())).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error', message: expect.stringContaining('credentials') },
    });
  });

  it('expires a payment never authorised', async () => {
    const m = await merchant();
    const req = m.attempt();
    const outcome = await m.connector.authorize(req);
    const id = outcome.status === 'requires_action' ? (outcome.providerReference as string) : '';
    expect(await m.connector.status(refOf(req, id))).toEqual({ status: 'pending' });
    await advance(15 * 60_000);
    expect(await m.connector.status(refOf(req, id))).toMatchObject({
      status: 'failed',
      error: { code: 'payment_expired' },
    });
  });
});
