import { generateKeyPairSync, randomUUID, sign as signBytes } from 'node:crypto';
import { recoverUnknownOutcomes } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formOf } from '../../emulators/test/truelayer-harness.js';
import { expectError } from './expect-error.js';
import { type ProviderPlatform, startProviderPlatform } from './provider-platform.js';

/**
 * Open Banking payments through TrueLayer, end to end over payin's HTTP API against the TrueLayer
 * emulator: the merchant's calls, the shopper on TrueLayer's hosted payment page and their bank's
 * consent page (played with fetch, as a browser would), their way back through the account's one
 * registered return URL, and TrueLayer's signed webhooks into payin. The emulator's clock decides
 * when a transfer is executed and settled.
 */

const SHOP_RETURN = 'https://shop.example/order/complete';
const KID = 'payin-signing-1';
const keys = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const PRIVATE_KEY = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const PUBLIC_KEY = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const PAYER = { name: 'Jeanne Martin', email: 'jeanne@example.fr' };
/** One minute of the emulator's clock to execute a consented transfer, one more to settle it. */
const STEP_MS = 60_000;
const EMULATOR_ENV = {
  EMULATOR_TRUELAYER_EXECUTE_DELAY_MS: String(STEP_MS),
  EMULATOR_TRUELAYER_SETTLE_DELAY_MS: String(STEP_MS),
  EMULATOR_TRUELAYER_WEBHOOK_RETRY_MS: '50',
};

/** A merchant's TrueLayer client as Console holds it, and payin's connector account for it. */
interface TrueLayerShop {
  p: ProviderPlatform;
  account: { id: string; webhook_url: string; return_url: string };
  clientId: string;
}

async function connectTrueLayer(p: ProviderPlatform): Promise<TrueLayerShop> {
  const clientId = `payin-${randomUUID()}`;
  const clientSecret = `secret-${randomUUID()}`;
  const merchantAccount = randomUUID();
  const api = p.emulators.url;
  const account = await p.connect({
    connector: 'truelayer',
    payment_method_types: ['open_banking'],
    settings: {
      auth_endpoint: `${api}/truelayer/auth`,
      api_endpoint: `${api}/truelayer/api`,
      hpp_endpoint: `${api}/truelayer/hpp`,
      merchant_account_id: merchantAccount,
      signing_key_id: KID,
      jwks_hosts: new URL(api).host,
    },
    credentials: { client_id: clientId, client_secret: clientSecret, signing_private_key: PRIVATE_KEY },
  });
  expect(account.return_url).toBe(`${p.t.api.core.publicUrl}/return/accounts/${account.id}`);
  // Console: the return URI TrueLayer may send shoppers to, the request signing key, the webhook URI.
  const client = await p.control('/truelayer/clients', {
    client_id: clientId,
    client_secret: clientSecret,
    return_uris: [account.return_url],
    signing_keys: [{ kid: KID, public_key_pem: PUBLIC_KEY }],
    merchant_accounts: [{ id: merchantAccount, currency: 'EUR' }],
  });
  expect(client.status, JSON.stringify(client.body)).toBe(201);
  const hook = await p.control('/truelayer/webhooks', { url: account.webhook_url, client_id: clientId });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  return { p, account, clientId };
}

/** The client's payments as TrueLayer holds them. */
async function ledgerOf(s: TrueLayerShop): Promise<any[]> {
  const answer = await s.p.control('/truelayer/ledger', undefined, 'GET');
  return (answer.body.payments as any[]).filter((payment) => payment.client_id === s.clientId);
}
const ledgerEntry = async (s: TrueLayerShop, id: string) =>
  (await s.p.control(`/truelayer/ledger?payment_id=${id}`, undefined, 'GET')).body.payments[0];
const advance = async (p: ProviderPlatform, ms: number) => {
  const moved = await p.control('/truelayer/clock/advance', { ms });
  expect(moved.status).toBe(200);
};
const attemptOf = (p: ProviderPlatform, paymentId: string) =>
  p.t.api.core.store.transaction((tx) => tx.currentAttempt(paymentId));
const notificationsOf = async (s: TrueLayerShop) =>
  (await s.p.t.api.database.db
    .selectFrom('providerNotifications')
    .selectAll()
    .where('connectorAccount', '=', s.account.id)
    .execute()) as { eventKey: string; processedAt: Date | null; outcome: string | null; payload: any }[];
const deliveriesOf = async (p: ProviderPlatform, paymentId: string) =>
  ((await p.control('/truelayer/webhooks', undefined, 'GET')).body.deliveries as any[]).filter(
    (d) => d.paymentId === paymentId,
  );

const openBanking = (s: TrueLayerShop, extra: Record<string, unknown> = {}) =>
  s.p.m.post('/v1/payments', {
    amount: 4_990,
    currency: 'EUR',
    country: 'FR',
    payment_method_data: { type: 'open_banking', billing_details: PAYER },
    confirm: true,
    return_url: SHOP_RETURN,
    ...extra,
  });

/** A browser posting a page's form with the button pressed; redirects are not followed. */
async function press(base: string, html: string, fields: Record<string, string>): Promise<Response> {
  const form = formOf(html);
  return fetch(new URL(form.action, base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...fields }),
    redirect: 'manual',
  });
}

/** TrueLayer's hosted payment page, opened from payin's next_action. */
async function hostedPage(s: TrueLayerShop, created: any): Promise<{ url: string; html: string }> {
  expect(created.status).toBe('requires_action');
  const next = created.next_action.redirect_to_url;
  expect(next.return_url).toBe(SHOP_RETURN);
  const url = new URL(next.url);
  expect(`${url.origin}${url.pathname}`).toBe(`${s.p.emulators.url}/truelayer/hpp/payments`);
  // TrueLayer sends the shopper back to the account's registered URL, not one per attempt.
  expect(url.searchParams.get('return_uri')).toBe(s.account.return_url);
  const page = await fetch(next.url);
  expect(page.status).toBe(200);
  return { url: next.url, html: await page.text() };
}

/**
 * The shopper picks `bank` on the hosted page and answers their bank's consent page with
 * `outcome`; answers where TrueLayer sends them back (the account's return URL).
 */
async function atBank(
  s: TrueLayerShop,
  created: any,
  bank: string,
  outcome: 'authorise' | 'cancel' | 'refuse' | 'fail',
): Promise<string> {
  const page = await hostedPage(s, created);
  const toBank = await press(page.url, page.html, { provider_id: bank, action: 'select' });
  expect(toBank.status).toBe(303);
  const consentUrl = new URL(toBank.headers.get('location') as string, page.url);
  const consent = await fetch(consentUrl);
  expect(consent.status).toBe(200);
  return sentBack(s, await press(consentUrl.href, await consent.text(), { outcome }));
}

function sentBack(s: TrueLayerShop, response: Response): string {
  expect(response.status).toBe(303);
  const location = response.headers.get('location') as string;
  expect(location.startsWith(`${s.account.return_url}?payment_id=`)).toBe(true);
  return location;
}

/** The shopper's browser at payin's return URL: payin completes the attempt and sends them on to the shop. */
async function backAtPayin(location: string): Promise<URL> {
  const toShop = await fetch(location, { redirect: 'manual' });
  expect(toShop.status, await toShop.clone().text()).toBe(303);
  return new URL(toShop.headers.get('location') as string);
}

function expectAtShop(shop: URL, paymentId: string, status: string) {
  expect(`${shop.origin}${shop.pathname}`).toBe(SHOP_RETURN);
  expect(shop.searchParams.get('payment')).toBe(paymentId);
  expect(shop.searchParams.get('redirect_status')).toBe(status);
}

/** A consented payment, processing at payin: the bank has not executed the transfer yet. */
async function consented(s: TrueLayerShop, extra: Record<string, unknown> = {}) {
  const created = await openBanking(s, extra);
  expect(created.status, created.text).toBe(200);
  const shop = await backAtPayin(await atBank(s, created.body, 'mock-fr-banque-atlantique', 'authorise'));
  expectAtShop(shop, created.body.id, 'processing');
  const attempt = await attemptOf(s.p, created.body.id);
  return { id: created.body.id as string, tl: attempt?.providerReference as string };
}

/** A `Tl-Signature` as TrueLayer makes one (detached ES512 JWS), by a key that is not TrueLayer's. */
function forge(path: string, timestamp: string, body: string, jku: string): string {
  const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
  const header = encode(
    JSON.stringify({
      alg: 'ES512',
      kid: 'not-truelayer',
      tl_version: '2',
      tl_headers: 'X-TL-Webhook-Timestamp',
      jku,
    }),
  );
  const payload = encode(`POST ${path}\nX-TL-Webhook-Timestamp: ${timestamp}\n${body}`);
  const signature = signBytes('sha512', Buffer.from(`${header}.${payload}`), {
    key: keys.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${header}..${signature.toString('base64url')}`;
}

const waitForStatus = (p: ProviderPlatform, id: string, status: string, what: string) =>
  p.eventually(async () => {
    const now = await p.payment(id);
    return now.status === status ? now : undefined;
  }, what);

describe('TrueLayer payments decided by the shopper and by webhooks', () => {
  let p: ProviderPlatform;
  let s: TrueLayerShop;

  beforeAll(async () => {
    // Status inquiries far off: whatever settles a payment here is the shopper's return or a webhook.
    p = await startProviderPlatform(EMULATOR_ENV, {
      PAYIN_INQUIRY_BASE_MS: '3600000',
      PAYIN_INQUIRY_MAX_MS: '3600000',
    });
    s = await connectTrueLayer(p);
  }, 90_000);
  afterAll(async () => {
    await p?.close();
  });

  it('pays by bank: consent, processing until the signed payment_executed webhook makes it succeeded', async () => {
    const created = await openBanking(s);
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ status: 'requires_action', connector: 'truelayer', amount: 4_990 });
    const attempt = await attemptOf(p, created.body.id);
    const tl = attempt?.providerReference as string;
    expect(await ledgerEntry(s, tl)).toMatchObject({
      status: 'authorization_required',
      amount_in_minor: 4_990,
      currency: 'EUR',
    });

    const back = await atBank(s, created.body, 'mock-fr-banque-atlantique', 'authorise');
    expect(new URL(back).searchParams.get('payment_id')).toBe(tl);
    const shop = await backAtPayin(back);
    expectAtShop(shop, created.body.id, 'processing');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'processing',
      next_action: null,
      amount_received: 0,
    });
    expect((await ledgerEntry(s, tl)).status).toBe('authorized');

    await advance(p, STEP_MS);
    expect((await ledgerEntry(s, tl)).status).toBe('executed');
    const paid = await waitForStatus(p, created.body.id, 'succeeded', 'the payment_executed webhook');
    expect(paid).toMatchObject({ amount_received: 4_990, payment_method_details: { type: 'open_banking' } });
    // The webhook is what did it: signed, accepted, stored and applied.
    const executed = await p.eventually(
      async () => (await deliveriesOf(p, tl)).find((d) => d.type === 'payment_executed' && d.delivered),
      'the delivery marked delivered',
    );
    expect(executed.attempts).toBe(1);
    const stored = (await notificationsOf(s)).find((n) => n.eventKey === executed.eventId);
    expect(stored).toMatchObject({ outcome: 'applied' });
    expect(await p.eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.processing',
      'payment.succeeded',
    ]);

    // Settlement repeats what execution said: nothing moves.
    await advance(p, STEP_MS);
    expect((await ledgerEntry(s, tl)).status).toBe('settled');
    const settled = await p.eventually(async () => {
      const delivery = (await deliveriesOf(p, tl)).find((d) => d.type === 'payment_settled');
      const n = delivery && (await notificationsOf(s)).find((x) => x.eventKey === delivery.eventId);
      return n?.processedAt ? n : undefined;
    }, 'the payment_settled webhook');
    expect(settled.outcome).toBe('unchanged');
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 4_990 });
    expect((await p.eventsOf(created.body.id)).filter((e) => e === 'payment.succeeded')).toHaveLength(1);
  });

  it('reports a cancellation at the bank as canceled_by_shopper, and the payment can be confirmed again', async () => {
    const created = await openBanking(s);
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    const shop = await backAtPayin(await atBank(s, created.body, 'mock-fr-credit-riviera', 'cancel'));
    expectAtShop(shop, created.body.id, 'failed');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      last_error: { type: 'card_error', code: 'canceled_by_shopper' },
    });
    expect(await ledgerEntry(s, tl)).toMatchObject({ status: 'failed', failure_reason: 'canceled' });
    expect((await p.eventsOf(created.body.id)).at(-1)).toBe('payment.failed');

    const again = await p.m.post(`/v1/payments/${created.body.id}/confirm`, {
      payment_method_data: { type: 'open_banking', billing_details: PAYER },
    });
    expect(again.status, again.text).toBe(200);
    expect(again.body.status).toBe('requires_action');
    const retry = (await attemptOf(p, created.body.id))?.providerReference as string;
    expect(retry).not.toBe(tl);
    // The second try pays.
    const paid = await backAtPayin(await atBank(s, again.body, 'mock-fr-banque-atlantique', 'authorise'));
    expectAtShop(paid, created.body.id, 'processing');
    await advance(p, STEP_MS);
    await waitForStatus(p, created.body.id, 'succeeded', 'the payment_executed webhook of the second try');
  });

  it('cancels at TrueLayer a payment the shopper left on the hosted page, as canceled_by_shopper', async () => {
    const created = await openBanking(s, { country: 'ES', amount: 2_500 });
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    const page = await hostedPage(s, created.body);
    expect(page.html).toContain('Banco Meseta');
    expect(page.html).not.toContain('Banque Atlantique');
    // Back to the shop without choosing a bank (the browser's back button, the page's return link).
    const shop = await backAtPayin(`${s.account.return_url}?payment_id=${tl}`);
    expectAtShop(shop, created.body.id, 'failed');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'requires_payment_method',
      last_error: { code: 'canceled_by_shopper' },
    });
    expect(await ledgerEntry(s, tl)).toMatchObject({ status: 'failed', failure_reason: 'canceled' });
    // The old page can no longer move money.
    const stale = await fetch(page.url);
    expect(stale.status).toBe(409);
  });

  it('fails a payment the shopper cancels on the hosted page itself', async () => {
    const created = await openBanking(s);
    const page = await hostedPage(s, created.body);
    const shop = await backAtPayin(sentBack(s, await press(page.url, page.html, { action: 'cancel' })));
    expectAtShop(shop, created.body.id, 'failed');
    expect((await p.payment(created.body.id)).last_error).toMatchObject({ code: 'canceled_by_shopper' });
    expect(await p.eventsOf(created.body.id)).toContain('payment.failed');
  });

  it('reports a refusal by the bank as payment_declined', async () => {
    const created = await openBanking(s);
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    const shop = await backAtPayin(await atBank(s, created.body, 'mock-fr-credit-riviera', 'refuse'));
    expectAtShop(shop, created.body.id, 'failed');
    expect(await p.payment(created.body.id)).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_error: { type: 'card_error', code: 'payment_declined', message: 'Your bank refused the payment.' },
    });
    expect(await ledgerEntry(s, tl)).toMatchObject({ status: 'failed', failure_reason: 'rejected' });
    expect((await p.eventsOf(created.body.id)).at(-1)).toBe('payment.failed');
  });

  it('refunds part of a settled payment; the refund_executed webhook makes the refund succeeded', async () => {
    const { id, tl } = await consented(s, { amount: 6_000 });
    await advance(p, 2 * STEP_MS);
    expect((await ledgerEntry(s, tl)).status).toBe('settled');
    await waitForStatus(p, id, 'succeeded', 'the payment_executed webhook');

    const refund = await p.m.post('/v1/refunds', { payment: id, amount: 1_500 });
    expect(refund.status, refund.text).toBe(200);
    expect(refund.body).toMatchObject({ status: 'pending', amount: 1_500 });
    expect(await ledgerEntry(s, tl)).toMatchObject({ refunded_in_minor: 1_500 });
    // TrueLayer's refund steps (authorized, executed) run on its clock.
    await advance(p, STEP_MS);
    expect((await ledgerEntry(s, tl)).refunds).toEqual([
      expect.objectContaining({ amount_in_minor: 1_500, status: 'executed' }),
    ]);
    const refunded = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 'the refund_executed webhook');
    expect(refunded.amount).toBe(1_500);
    const delivery = await p.eventually(
      async () => (await deliveriesOf(p, tl)).find((d) => d.type === 'refund_executed' && d.delivered),
      'the refund_executed delivery',
    );
    expect(delivery.body.metadata).toMatchObject({ payin_refund_id: refund.body.id });
    expect(await p.payment(id)).toMatchObject({ amount_received: 6_000, amount_refunded: 1_500 });
  });

  it('refuses forged webhooks with 401 and keeps nothing of them', async () => {
    const { id, tl } = await consented(s);
    const attempt = await attemptOf(p, id);
    const before = (await notificationsOf(s)).length;
    const body = JSON.stringify({
      type: 'payment_executed',
      event_id: randomUUID(),
      event_version: 1,
      payment_id: tl,
      payment_method: { type: 'bank_transfer', provider_id: 'mock-fr-banque-atlantique' },
      executed_at: new Date().toISOString(),
      metadata: { payin_attempt_id: attempt?.id, payin_payment_id: id },
    });
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const path = new URL(s.account.webhook_url).pathname;
    const deliver = (signature: string | undefined, text = body) =>
      p.t.request('POST', path, {
        rawBody: text,
        headers: {
          'content-type': 'application/json',
          'x-tl-webhook-timestamp': timestamp,
          ...(signature === undefined ? {} : { 'tl-signature': signature }),
        },
      });

    // No signature.
    expectError(await deliver(undefined), 401, 'invalid_request_error', { code: 'signature_missing' });
    // Signed by someone else's key, published on a host the account does not trust.
    const ownKey = forge(path, timestamp, body, 'https://attacker.example/.well-known/jwks');
    expectError(await deliver(ownKey), 401, 'invalid_request_error', { code: 'signature_invalid' });
    // Someone else's key claimed to be on the trusted host: no such key there.
    const fakeKid = forge(path, timestamp, body, `${p.emulators.url}/truelayer/api/.well-known/jwks`);
    expectError(await deliver(fakeKid), 401, 'invalid_request_error', { code: 'signature_invalid' });
    // TrueLayer's genuine signature, over another body or for another URL.
    const signer = p.emulators.truelayer?.signer;
    if (!signer) throw new Error('no TrueLayer emulator');
    const jku = `${p.emulators.url}/truelayer/api/.well-known/jwks`;
    const genuine = signer.sign({ path, headers: { 'X-TL-Webhook-Timestamp': timestamp }, body, jku });
    const tampered = body.replace('payment_executed', 'payment_settled');
    expectError(await deliver(genuine, tampered), 401, 'invalid_request_error', {
      code: 'signature_invalid',
    });
    const elsewhere = signer.sign({
      path: '/webhooks/truelayer/ca_other',
      headers: { 'X-TL-Webhook-Timestamp': timestamp },
      body,
      jku,
    });
    expectError(await deliver(elsewhere), 401, 'invalid_request_error', { code: 'signature_invalid' });

    expect(await notificationsOf(s)).toHaveLength(before);
    expect(await p.payment(id)).toMatchObject({ status: 'processing', amount_received: 0 });
    expect((await ledgerEntry(s, tl)).status).toBe('authorized');
    // The genuine article, as a control: the same body signed for this URL is taken.
    const taken = await deliver(genuine);
    expect(taken.status, taken.text).toBe(204);
    await waitForStatus(p, id, 'succeeded', 'the genuine webhook');
  });

  it('refuses, before anything is sent to TrueLayer, what an Open Banking payment cannot be', async () => {
    const before = (await ledgerOf(s)).length;
    expectError(
      await openBanking(s, {
        payment_method_data: { type: 'open_banking', billing_details: { name: PAYER.name } },
      }),
      400,
      'invalid_request_error',
      { code: 'parameter_missing', param: 'payment_method_data.billing_details.email' },
    );
    expectError(await openBanking(s, { capture_method: 'manual' }), 400, 'invalid_request_error', {
      param: 'capture_method',
    });
    expectError(await openBanking(s, { currency: 'GBP' }), 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
    });
    expectError(await openBanking(s, { country: 'US' }), 400, 'invalid_request_error', {
      code: 'payment_method_unavailable',
    });
    expect(await ledgerOf(s)).toHaveLength(before);
  });

  it("confirms from the shopper's browser with the publishable key and the client secret", async () => {
    const created = await p.m.post('/v1/payments', { amount: 3_200, currency: 'EUR', country: 'ES' });
    expect(created.status, created.text).toBe(200);
    const browser = (key: string, body: Record<string, unknown>) =>
      p.t.request('POST', `/v1/checkout/payments/${created.body.id}/confirm`, { key, body });
    const confirmBody = {
      client_secret: created.body.client_secret,
      payment_method_data: { type: 'open_banking', billing_details: PAYER },
      return_url: SHOP_RETURN,
    };
    // Not with a wrong secret, nor with the secret key.
    expect(
      (await browser(p.m.publishableKey, { ...confirmBody, client_secret: 'pay_x_secret_y' })).status,
    ).toBe(404);
    expect((await browser(p.m.secretKey, confirmBody)).status).toBe(401);
    expect(await ledgerOf(s)).toSatisfy((l: any[]) => !l.some((x) => x.amount_in_minor === 3_200));

    const confirmed = await browser(p.m.publishableKey, confirmBody);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({ object: 'checkout_payment', status: 'requires_action' });
    const page = await hostedPage(s, confirmed.body);
    expect(page.html).toContain('Caja Levante');
    const shop = await backAtPayin(await atBank(s, confirmed.body, 'mock-es-caja-levante', 'authorise'));
    expectAtShop(shop, created.body.id, 'processing');
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    expect(await ledgerEntry(s, tl)).toMatchObject({
      amount_in_minor: 3_200,
      provider_id: 'mock-es-caja-levante',
    });
    await advance(p, STEP_MS);
    await waitForStatus(p, created.body.id, 'succeeded', 'the payment_executed webhook');
  });
});

describe('TrueLayer payments whose outcome payin learns by asking', () => {
  let p: ProviderPlatform;
  let s: TrueLayerShop;

  beforeAll(async () => {
    p = await startProviderPlatform(EMULATOR_ENV, { PAYIN_PROVIDER_TIMEOUT_MS: '1500' });
    s = await connectTrueLayer(p);
  }, 90_000);
  afterAll(async () => {
    await p?.close();
  });

  /** Runs the recovery job until the payment leaves `processing` (the worker may get there first). */
  const recovered = (id: string) =>
    p.eventually(async () => {
      await recoverUnknownOutcomes(p.t.api.core);
      const now = await p.payment(id);
      return now.status !== 'processing' ? now : undefined;
    }, 'the status inquiry');

  it('creates one payment when the answer of its creation was lost once', async () => {
    const before = (await ledgerOf(s)).length;
    await p.control('/truelayer/faults', { calls: [{ operation: 'create_payment', fault: 'drop_answer' }] });
    const created = await openBanking(s);
    expect(created.status, created.text).toBe(200);
    expect(created.body.status).toBe('requires_action');
    const payments = await ledgerOf(s);
    expect(payments).toHaveLength(before + 1);
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    expect(payments.at(-1)?.payment_id).toBe(tl);
    const shop = await backAtPayin(await atBank(s, created.body, 'mock-fr-banque-atlantique', 'authorise'));
    expectAtShop(shop, created.body.id, 'processing');
  });

  it('learns by asking TrueLayer what became of a payment whose status read was lost', async () => {
    const { id, tl } = await consented(s);
    // The next read is lost, and the executed webhook with it: only asking again tells.
    await p.control('/truelayer/faults', {
      calls: [{ operation: 'get_payment', fault: 'drop_answer' }],
      webhooks: { drop: 1 },
    });
    // This payment only: other payments of the file keep their own time.
    const executed = await p.control(`/truelayer/payments/${tl}/transition`, { to: 'executed' });
    expect(executed.body).toMatchObject({ status: 'executed' });
    const done = await recovered(id);
    expect(done).toMatchObject({ status: 'succeeded', amount_received: 4_990 });
    // The lost read was made, and changed nothing on its own.
    expect((await p.control('/truelayer/faults', undefined, 'GET')).body.calls).toEqual([]);
    expect((await deliveriesOf(p, tl)).find((d) => d.type === 'payment_executed')).toMatchObject({
      dropped: true,
    });
    expect(await p.eventsOf(id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.processing',
      'payment.succeeded',
    ]);
    await p.control('/truelayer/faults', undefined, 'DELETE');
  });

  it('sends a shopper on to the shop when the read of the payment they came back from was lost once', async () => {
    const created = await openBanking(s);
    const back = await atBank(s, created.body, 'mock-fr-banque-atlantique', 'authorise');
    await p.control('/truelayer/faults', { calls: [{ operation: 'get_payment', fault: 'drop_answer' }] });
    expectAtShop(await backAtPayin(back), created.body.id, 'processing');
    expect((await p.control('/truelayer/faults', undefined, 'GET')).body.calls).toEqual([]);
    expect(await p.payment(created.body.id)).toMatchObject({ status: 'processing', next_action: null });
  });

  it('asks a shopper to try again, never telling them it failed, when TrueLayer cannot say which payment it was', async () => {
    const created = await openBanking(s);
    const back = await atBank(s, created.body, 'mock-fr-banque-atlantique', 'authorise');
    await p.control('/truelayer/faults', {
      calls: [{ operation: 'get_payment', fault: 'drop_answer', count: 2 }],
    });
    const page = await fetch(back, { redirect: 'manual' });
    expect(page.status).toBe(503);
    const html = await page.text();
    expect(html).toContain('We could not confirm your payment yet');
    expect(html).not.toMatch(/failed|declined/i);
    // The same URL, once TrueLayer answers again, sends them on.
    expectAtShop(await backAtPayin(back), created.body.id, 'processing');
  });

  it('keeps a payment processing whose creation timed out, and fails it when TrueLayer expires it', async () => {
    const before = (await ledgerOf(s)).length;
    await p.control('/truelayer/faults', { calls: [{ operation: 'create_payment', fault: 'timeout' }] });
    const created = await openBanking(s);
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ status: 'processing', next_action: null });
    const payments = await ledgerOf(s);
    expect(payments).toHaveLength(before + 1);
    const tl = payments.at(-1)?.payment_id as string;
    expect((await attemptOf(p, created.body.id))?.providerReference).toBeNull();
    // Without TrueLayer's id there is nothing to read: asking leaves it processing.
    const asked = await recoverUnknownOutcomes(p.t.api.core);
    expect(asked.resolved).toBe(0);
    expect((await p.payment(created.body.id)).status).toBe('processing');
    // The shopper never saw the page: TrueLayer expires the payment, and its webhook names the attempt.
    await advance(p, 15 * 60_000);
    expect(await ledgerEntry(s, tl)).toMatchObject({ status: 'failed', failure_reason: 'expired' });
    const failed = await waitForStatus(
      p,
      created.body.id,
      'requires_payment_method',
      'the payment_failed webhook',
    );
    expect(failed.last_error).toMatchObject({ code: 'payment_expired' });
    expect(await ledgerOf(s)).toHaveLength(before + 1);
    expect(await p.eventsOf(created.body.id)).toContain('payment.failed');
  });
});

describe('a shopper who never comes back from TrueLayer', () => {
  let p: ProviderPlatform;
  let s: TrueLayerShop;

  beforeAll(async () => {
    p = await startProviderPlatform(EMULATOR_ENV, { PAYIN_SHOPPER_ACTION_DEADLINE_MS: '1000' });
    s = await connectTrueLayer(p);
  }, 90_000);
  afterAll(async () => {
    await p?.close();
  });

  it('is asked about at the deadline: payin cancels the payment at TrueLayer and fails it with payment_expired', async () => {
    const created = await openBanking(s);
    expect(created.body.status, created.text).toBe('requires_action');
    const tl = (await attemptOf(p, created.body.id))?.providerReference as string;
    const pageUrl = created.body.next_action.redirect_to_url.url as string;
    const expired = await p.eventually(async () => {
      await recoverUnknownOutcomes(p.t.api.core);
      const now = await p.payment(created.body.id);
      return now.status === 'requires_payment_method' ? now : undefined;
    }, 'the deadline');
    expect(expired).toMatchObject({ next_action: null, last_error: { code: 'payment_expired' } });
    expect(await ledgerEntry(s, tl)).toMatchObject({ status: 'failed', failure_reason: 'canceled' });
    expect((await p.eventsOf(created.body.id)).at(-1)).toBe('payment.failed');
    // The old page moves nothing any more; the payment can be paid again.
    expect((await fetch(pageUrl)).status).toBe(409);
    const again = await p.m.post(`/v1/payments/${created.body.id}/confirm`, {
      payment_method_data: { type: 'open_banking', billing_details: PAYER },
    });
    expect(again.body.status, again.text).toBe('requires_action');
  });
});
