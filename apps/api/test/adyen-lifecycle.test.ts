import { createHmac } from 'node:crypto';
import { openCredentials } from '@payin/connectors';
import { recoverUnknownOutcomes } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type AdyenPlatform,
  expectConformingCalls,
  MERCHANT_ACCOUNT,
  passChallenge,
  SERVICE_SECRET,
  startAdyenPlatform,
} from './adyen-platform.js';
import { expectError } from './expect-error.js';

/**
 * Card payments through the Adyen connector, end to end: vault tokens of Adyen's test cards,
 * the api, the vault's proxy, the Adyen emulator and its webhooks back to the api. What payin
 * shows is checked against what the emulator's ledger says Adyen did.
 */
let p: AdyenPlatform;

beforeAll(async () => {
  p = await startAdyenPlatform();
}, 90_000);
afterAll(async () => {
  await p?.close();
});

const VISA = '4111111111111111';
const CHALLENGE_VISA = '4917610000000000';

const payment = async (id: string) => (await p.m.get(`/v1/payments/${id}`)).body;
const pspOf = async (id: string) => {
  const attempts = await p.t.api.core.store.transaction(async (tx) => tx.currentAttempt(id));
  return attempts?.providerReference as string;
};
const notificationsOf = async (account: string) =>
  (await p.t.api.database.db
    .selectFrom('providerNotifications')
    .selectAll()
    .where('connectorAccount', '=', account)
    .execute()) as { eventKey: string; processedAt: Date | null; outcome: string | null; payload: any }[];

describe('card payments through Adyen', () => {
  it('charges a Visa test card with automatic capture, confirmed by the AUTHORISATION webhook', async () => {
    const token = await p.tokenize(VISA);
    const paid = await p.pay(token.id);
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', amount_received: 2599, connector: 'adyen' });
    expect(paid.body.payment_method_details.card).toMatchObject({ brand: 'visa', last4: '1111' });

    const psp = await pspOf(paid.body.id);
    expect(psp).toMatch(/^[A-Z0-9]{16}$/);
    const ledger = await p.ledger(psp);
    expect(ledger).toMatchObject({
      resultCode: 'Authorised',
      captured: 2599,
      merchantAccount: MERCHANT_ACCOUNT,
    });
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(paid.body.id));
    expect(ledger.reference).toBe(attempt?.id);

    const applied = await p.eventually(async () => {
      const found = (await notificationsOf(p.account)).find((n) => n.payload.pspReference === psp);
      return found?.processedAt ? found : undefined;
    }, 'the AUTHORISATION webhook');
    expect(applied.payload.eventCode).toBe('AUTHORISATION');
    // Adyen sends the webhook as it acts, so it may come before or after /payments answers;
    // whichever comes second changes nothing: the payment succeeded once.
    expect(['applied', 'unchanged']).toContain(applied.outcome);
    const events = (await p.m.get('/v1/events?type=payment.succeeded&limit=100')).body.data as any[];
    expect(events.filter((e) => e.data.object.id === paid.body.id)).toHaveLength(1);
  });

  it('pays with a token holding neither holder name nor CVC in one request, the vault leaving both out', async () => {
    const token = await p.tokenize(VISA, { cvc: null, holderName: null });
    const before = p.calls.length;
    const cards = p.t.api.core.cards;
    if (!cards) throw new Error('the api has no vault');
    const forward = vi.spyOn(cards, 'forward');
    let forwarded = 0;
    const paid = await p.pay(token.id).finally(() => {
      forwarded = forward.mock.calls.length;
      forward.mockRestore();
    });
    expect(paid.body, paid.text).toMatchObject({ status: 'succeeded', amount_received: 2599 });
    // One request through the vault: none refused for a field the token lacks.
    expect(forwarded).toBe(1);
    const sent = p.calls.slice(before).filter((c) => c.operation === 'payments');
    expect(sent).toHaveLength(1);
    expect((sent[0]?.body as any)?.paymentMethod).toEqual({
      type: 'scheme',
      number: VISA,
      expiryMonth: '03',
      expiryYear: '2030',
    });
  });

  it('authorises for manual capture, captures twice partially, refunds twice, all confirmed by webhooks', async () => {
    const token = await p.tokenize(VISA);
    const paid = await p.pay(token.id, { amount: 10_000, capture_method: 'manual' });
    expect(paid.body).toMatchObject({ status: 'requires_capture', amount_capturable: 10_000 });
    const id = paid.body.id;
    const psp = await pspOf(id);

    const first = await p.m.post(`/v1/payments/${id}/capture`, { amount: 3_000, final_capture: false });
    expect(first.status, first.text).toBe(200);
    // Adyen took it ("received"): held until the CAPTURE webhook says it was done.
    await p.eventually(async () => (await payment(id)).amount_received === 3_000, 'the first capture');
    expect(await payment(id)).toMatchObject({ status: 'requires_capture', amount_capturable: 7_000 });

    const second = await p.m.post(`/v1/payments/${id}/capture`, { amount: 5_000 });
    expect(second.status, second.text).toBe(200);
    const captured = await p.eventually(async () => {
      const now = await payment(id);
      return now.status === 'succeeded' ? now : undefined;
    }, 'the final capture');
    expect(captured).toMatchObject({ amount_received: 8_000, amount_capturable: 0 });

    for (const amount of [1_000, 2_500]) {
      const refund = await p.m.post('/v1/refunds', { payment: id, amount, reason: 'requested_by_customer' });
      expect(refund.status, refund.text).toBe(200);
      expect(refund.body.status).toBe('pending');
      const done = await p.eventually(async () => {
        const now = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
        return now.status === 'succeeded' ? now : undefined;
      }, 'the REFUND webhook');
      expect(done.amount).toBe(amount);
    }
    expect(await payment(id)).toMatchObject({ amount_refunded: 3_500 });

    const ledger = await p.ledger(psp);
    expect(ledger).toMatchObject({ captured: 8_000, refunded: 3_500, cancelled: false });
    expect(ledger.modifications.map((x) => [x.type, x.status, x.amount?.value])).toEqual([
      ['capture', 'succeeded', 3_000],
      ['capture', 'succeeded', 5_000],
      ['refund', 'succeeded', 1_000],
      ['refund', 'succeeded', 2_500],
    ]);
  });

  it('cancels an authorisation at Adyen', async () => {
    const paid = await p.pay((await p.tokenize(VISA)).id, { capture_method: 'manual' });
    const canceled = await p.m.post(`/v1/payments/${paid.body.id}/cancel`, {});
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body.status).toBe('canceled');
    const psp = await pspOf(paid.body.id);
    await p.eventually(async () => (await p.ledger(psp)).cancelled, 'the cancellation in the ledger');
  });

  it("declines with Adyen's refusal as a decline code, and keeps the payment open for another card", async () => {
    const token = await p.tokenize(VISA, { holderName: 'NOT_ENOUGH_BALANCE' });
    const declined = await p.pay(token.id);
    expectError(declined, 402, 'card_error', { code: 'card_declined', decline_code: 'insufficient_funds' });
    const id = declined.body.error.payment;
    expect(await payment(id)).toMatchObject({ status: 'requires_payment_method' });

    const retried = await p.m.post(`/v1/payments/${id}/confirm`, {
      payment_method: (await p.tokenize(VISA)).id,
    });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.status).toBe('succeeded');
  });

  it('turns a refused capture into a failed capture and releases the amount', async () => {
    const token = await p.tokenize(VISA, { holderName: 'capture failed' });
    const paid = await p.pay(token.id, { capture_method: 'manual' });
    const id = paid.body.id;
    const capture = await p.m.post(`/v1/payments/${id}/capture`, {});
    expect(capture.status, capture.text).toBe(200);
    const ledger = await p.ledger(await pspOf(id));
    expect(ledger.captured).toBe(0);
    // Adyen confirms the capture (CAPTURE), then the scheme refuses it (CAPTURE_FAILED), in
    // whatever order the two arrive: payin ends showing no money received, and says so.
    const events = await p.eventually(async () => {
      const list = (await p.m.get(`/v1/events?type=payment.capture_failed`)).body.data as any[];
      const mine = list.filter((e) => e.data.object.id === id);
      const failed = (await notificationsOf(p.account)).filter(
        (n) => n.payload.eventCode === 'CAPTURE_FAILED' && n.processedAt,
      );
      return failed.length > 0 && (await payment(id)).amount_received === 0 ? { mine } : undefined;
    }, 'the capture failure');
    expect((await payment(id)).amount_received).toBe(ledger.captured);
    // Only when CAPTURE came first was there money to take back.
    expect(events.mine.length).toBeLessThanOrEqual(1);
  });

  it('pays with a frictionless 3-D Secure 2 card without any step for the shopper', async () => {
    const paid = await p.pay((await p.tokenize('5201281505129736')).id, {
      return_url: 'https://shop.example/done',
    });
    expect(paid.body, paid.text).toMatchObject({ status: 'succeeded', next_action: null });
    expect(paid.body.payment_method_details.card).toMatchObject({ brand: 'mastercard', last4: '9736' });
  });

  it('completes a 3-D Secure challenge over HTTP: next_action, the issuer page, the return, /payments/details', async () => {
    const token = await p.tokenize(CHALLENGE_VISA);
    const paid = await p.pay(token.id, { return_url: 'https://shop.example/done' });
    expect(paid.body.status, paid.text).toBe('requires_action');
    const challengeUrl = paid.body.next_action.redirect_to_url.url as string;

    // The shopper's browser: the issuer's page, then its form, then back to payin.
    const returned = await fetch(await passChallenge(challengeUrl), { redirect: 'manual' });
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toContain('redirect_status=succeeded');
    expect(await payment(paid.body.id)).toMatchObject({ status: 'succeeded', amount_received: 2599 });
  });
});

describe('what went over the wire', () => {
  it('sent Adyen only requests its OpenAPI description accepts, the card filled in by the vault', () => {
    expectConformingCalls(p.calls);
    const payments = p.calls.filter((c) => c.operation === 'payments');
    expect(payments.some((c) => (c.body as any).paymentMethod.number === VISA)).toBe(true);
    expect(p.calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining(['payments', 'details', 'captures', 'cancels', 'refunds']),
    );
  });

  it("counts the providers' notifications it applied in /metrics", async () => {
    const metrics = (await p.t.request('GET', '/metrics')).text;
    expect(metrics).toMatch(/payin_provider_notifications_total\{connector="adyen",result="applied"\} [1-9]/);
  });

  it('kept no card number or CVC in the api: not in its logs, its notifications or its attempts', async () => {
    const db = p.t.api.database.db;
    const stored = JSON.stringify([
      await db.selectFrom('providerNotifications').selectAll().execute(),
      await db.selectFrom('paymentAttempts').selectAll().execute(),
      await db.selectFrom('payments').selectAll().execute(),
    ]);
    for (const text of [p.logs.join('\n'), stored]) {
      expect(text).not.toContain(VISA);
      expect(text).not.toContain(CHALLENGE_VISA);
      expect(text).not.toMatch(/"cvc":"\d{3,4}"/);
    }
  });
});

describe('the webhook intake', () => {
  const signed = (item: Record<string, any>, key: string) => {
    const text = [
      item.pspReference,
      item.originalReference ?? '',
      item.merchantAccountCode,
      item.merchantReference,
      item.amount.value,
      item.amount.currency,
      item.eventCode,
      item.success,
    ].join(':');
    return {
      ...item,
      additionalData: {
        hmacSignature: createHmac('sha256', Buffer.from(key, 'hex')).update(text).digest('base64'),
      },
    };
  };
  const item = (overrides: Record<string, unknown> = {}) => ({
    pspReference: 'ZZZZZZZZZZZZZZZZ',
    merchantAccountCode: MERCHANT_ACCOUNT,
    merchantReference: 'att_nothing_here',
    amount: { value: 100, currency: 'EUR' },
    eventCode: 'AUTHORISATION',
    eventDate: '2026-11-25T10:00:00+01:00',
    success: 'true',
    ...overrides,
  });
  const post = (body: unknown, account = p.account) =>
    p.t.request('POST', `/webhooks/adyen/${account}`, { body });

  it('refuses a batch with a bad signature, logs it and keeps nothing of it', async () => {
    const before = (await notificationsOf(p.account)).length;
    const good = signed(item({ pspReference: 'GOOD000000000001' }), p.hmacKey);
    const forged = signed(item({ pspReference: 'BAD0000000000001' }), 'ab'.repeat(32));
    const answer = await post({
      live: 'false',
      notificationItems: [{ NotificationRequestItem: good }, { NotificationRequestItem: forged }],
    });
    expectError(answer, 401, 'invalid_request_error', { code: 'signature_invalid' });
    expect((await notificationsOf(p.account)).length).toBe(before);
    expect(p.logs.some((l) => l.includes('bad HMAC signature') && l.includes('BAD0000000000001'))).toBe(true);

    const tampered = { ...good, amount: { value: 1, currency: 'EUR' } };
    expectError(
      await post({ live: 'false', notificationItems: [{ NotificationRequestItem: tampered }] }),
      401,
      'invalid_request_error',
      { code: 'signature_invalid' },
    );
  });

  it('answers [accepted] once stored, keeps a duplicate once, and sets aside what names nothing payin knows', async () => {
    const n = signed(item({ pspReference: 'DUPL000000000001' }), p.hmacKey);
    const body = { live: 'false', notificationItems: [{ NotificationRequestItem: n }] };
    for (let i = 0; i < 2; i++) {
      const answer = await post(body);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('[accepted]');
    }
    const stored = (await notificationsOf(p.account)).filter(
      (x) => x.payload.pspReference === 'DUPL000000000001',
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.payload).toEqual(n);
    await p.eventually(async () => {
      const [row] = (await notificationsOf(p.account)).filter(
        (x) => x.payload.pspReference === 'DUPL000000000001',
      );
      return row?.outcome === 'unmatched';
    }, 'the unmatched notification to be tried');
  });

  it('keeps a payment Adyen only received processing, asks again without guessing, until the webhook settles it', async () => {
    const paid = await p.pay((await p.tokenize(VISA, { holderName: 'PENDING' })).id);
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body).toMatchObject({ status: 'processing', next_action: null, last_error: null });
    const attemptOf = () => p.t.api.core.store.transaction((tx) => tx.currentAttempt(paid.body.id));
    const taken = await attemptOf();
    expect(taken).toMatchObject({ status: 'processing' });
    expect(taken?.providerReference).toMatch(/^[A-Z0-9]{16}$/);
    expect((await p.ledger(taken?.providerReference as string)).resultCode).toBe('Received');

    // Past its next inquiry, the recovery job finds it still processing: no news, nothing guessed.
    await p.t.api.database.db
      .updateTable('paymentAttempts')
      .set({ nextInquiryAt: new Date(Date.now() - 1_000) })
      .where('id', '=', taken?.id as string)
      .execute();
    await recoverUnknownOutcomes(p.t.api.core);
    expect(await attemptOf()).toMatchObject({ status: 'processing' });
    expect((await payment(paid.body.id)).status).toBe('processing');

    const n = signed(
      item({
        pspReference: taken?.providerReference,
        merchantReference: taken?.id,
        amount: { value: 2599, currency: 'EUR' },
      }),
      p.hmacKey,
    );
    expect((await post({ live: 'false', notificationItems: [{ NotificationRequestItem: n }] })).text).toBe(
      '[accepted]',
    );
    const settled = await p.eventually(async () => {
      const now = await payment(paid.body.id);
      return now.status === 'processing' ? undefined : now;
    }, 'the AUTHORISATION webhook to settle it');
    expect(settled).toMatchObject({ status: 'succeeded', amount_received: 2599 });
    const events = (await p.m.get('/v1/events?limit=100')).body.data as any[];
    const types = events.filter((e) => e.data.object.id === paid.body.id).map((e) => e.type);
    expect(types).toContain('payment.processing');
    expect(types).toContain('payment.succeeded');
  });

  it("applies nothing another merchant's account signs about this merchant's payment", async () => {
    const paid = await p.pay((await p.tokenize(VISA)).id, { capture_method: 'manual' });
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(paid.body.id));
    const other = await p.t.merchant('Other Adyen merchant');
    const otherKey = 'ef'.repeat(32);
    const account = await p.t.request('POST', `/admin/v1/merchants/${other.id}/connector_accounts`, {
      key: p.t.adminToken,
      body: {
        connector: 'adyen',
        livemode: false,
        settings: { merchant_account: 'OtherECOM' },
        credentials: { api_key: 'other', hmac_key: otherKey },
      },
    });
    expect(account.status, account.text).toBe(201);
    const forged = signed(
      item({
        pspReference: 'FORGED0000000001',
        merchantReference: attempt?.id,
        success: 'false',
        reason: 'Refused',
        merchantAccountCode: 'OtherECOM',
      }),
      otherKey,
    );
    const answer = await post(
      { live: 'false', notificationItems: [{ NotificationRequestItem: forged }] },
      account.body.id,
    );
    expect(answer.text).toBe('[accepted]');
    await p.eventually(async () => {
      const [row] = (await notificationsOf(account.body.id)).filter(
        (x) => x.payload.pspReference === 'FORGED0000000001',
      );
      return row?.outcome === 'unmatched';
    }, 'the foreign notification to be set aside');
    expect(await payment(paid.body.id)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 2599,
    });
  });

  it('refuses what is not an Adyen notification, a test notification on a live account and an unknown account', async () => {
    expectError(await post({ hello: 'world' }), 400, 'invalid_request_error', { code: 'parameter_invalid' });
    const n = signed(item(), p.hmacKey);
    expectError(
      await post({ live: 'true', notificationItems: [{ NotificationRequestItem: n }] }),
      400,
      'invalid_request_error',
      { code: 'parameter_invalid' },
    );
    expectError(
      await post({ live: 'false', notificationItems: [{ NotificationRequestItem: n }] }, 'ca_unknown'),
      404,
      'invalid_request_error',
      { code: 'resource_missing' },
    );
  });
});

describe('connector accounts', () => {
  const admin = (method: string, path: string, body?: unknown) =>
    p.t.request(method, path, { key: p.t.adminToken, body });
  const valid = {
    connector: 'adyen',
    livemode: true,
    settings: { merchant_account: 'Shop', live_url_prefix: '1797a841fbb37ca7-AdyenDemo' },
    credentials: { api_key: 'AQE_live_key', hmac_key: 'cd'.repeat(32) },
  };

  it('updates an account: settings merged, a credential replaced, never shown back, checked as on creation', async () => {
    const path = `/admin/v1/merchants/${p.m.id}/connector_accounts`;
    const created = await admin('POST', path, valid);
    const update = (body: unknown) => admin('POST', `${path}/${created.body.id}`, body);

    const updated = await update({
      settings: { multiple_partial_captures: 'true' },
      credentials: { api_key: 'AQE_rotated_key' },
      payment_method_types: ['card', 'konbini'],
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body).toMatchObject({
      id: created.body.id,
      payment_method_types: ['card', 'konbini'],
      settings: { ...valid.settings, multiple_partial_captures: 'true' },
    });
    expect(updated.text).not.toContain('AQE_rotated_key');
    const stored = await p.t.api.core.store.getConnectorAccount(created.body.id);
    const opened = openCredentials(SERVICE_SECRET, created.body.id, stored?.sealedCredentials as string);
    // The credential not given is kept.
    expect(opened).toEqual({ api_key: 'AQE_rotated_key', hmac_key: valid.credentials.hmac_key });

    expectError(await update({ settings: { unknown: 'x' } }), 400, 'invalid_request_error', {
      param: 'settings.unknown',
    });
    expectError(await update({ settings: { live_url_prefix: '' } }), 400, 'invalid_request_error', {
      param: 'settings.live_url_prefix',
    });
    expectError(await update({ payment_method_types: ['paypal'] }), 400, 'invalid_request_error', {
      param: 'payment_method_types',
    });
    expectError(await update({ credentials: { hmac_key: 'not-hex' } }), 400, 'invalid_request_error', {
      param: 'credentials.hmac_key',
    });
    expectError(await admin('POST', `${path}/ca_nobody`, { settings: {} }), 404, 'invalid_request_error');
    // A refused update changed nothing.
    expect((await p.t.api.core.store.getConnectorAccount(created.body.id))?.sealedCredentials).toBe(
      stored?.sealedCredentials,
    );
    await admin('DELETE', `${path}/${created.body.id}`);
  });

  it('never shows credentials back, lists and deletes', async () => {
    const created = await admin('POST', `/admin/v1/merchants/${p.m.id}/connector_accounts`, valid);
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain('AQE_live_key');
    expect(created.text).not.toContain('cd'.repeat(32));
    expect(created.body).toMatchObject({
      object: 'connector_account',
      connector: 'adyen',
      livemode: true,
      payment_method_types: ['card'],
      webhook_url: expect.stringMatching(new RegExp(`/webhooks/adyen/${created.body.id}$`)),
    });
    const stored = await p.t.api.core.store.getConnectorAccount(created.body.id);
    expect(stored?.sealedCredentials).not.toContain('AQE_live_key');

    const list = await admin('GET', `/admin/v1/merchants/${p.m.id}/connector_accounts`);
    expect(list.body.data.map((a: { id: string }) => a.id)).toEqual(
      expect.arrayContaining([created.body.id, p.account]),
    );
    expect(list.text).not.toContain('AQE_live_key');

    const deleted = await admin(
      'DELETE',
      `/admin/v1/merchants/${p.m.id}/connector_accounts/${created.body.id}`,
    );
    expect(deleted.body).toEqual({ id: created.body.id, object: 'connector_account', deleted: true });
    expectError(
      await admin('DELETE', `/admin/v1/merchants/${p.m.id}/connector_accounts/${created.body.id}`),
      404,
      'invalid_request_error',
      { code: 'resource_missing' },
    );
  });

  it('refuses a live account over http, a live account without its URL prefix, a bad HMAC key, and another merchant', async () => {
    const path = `/admin/v1/merchants/${p.m.id}/connector_accounts`;
    expectError(
      await admin('POST', path, {
        ...valid,
        settings: { merchant_account: 'Shop', endpoint: 'http://adyen.example/v71' },
      }),
      400,
      'invalid_request_error',
      { code: 'parameter_invalid' },
    );
    expectError(
      await admin('POST', path, { ...valid, settings: { merchant_account: 'Shop' } }),
      400,
      'invalid_request_error',
      { code: 'parameter_invalid' },
    );
    expectError(
      await admin('POST', path, { ...valid, credentials: { ...valid.credentials, hmac_key: 'not-hex' } }),
      400,
      'invalid_request_error',
      { code: 'parameter_invalid' },
    );
    expectError(
      await admin('POST', '/admin/v1/merchants/mer_nobody/connector_accounts', valid),
      404,
      'invalid_request_error',
      { code: 'resource_missing' },
    );
    const unauthorised = await p.t.request('POST', path, { key: p.m.secretKey, body: valid });
    expect(unauthorised.status).toBe(401);
  });

  it('keeps test-mode cards of a merchant without an account on the sandbox', async () => {
    const other = await p.t.merchant('No Adyen');
    await other.post('/v1/allowed_origins', { origin: 'https://shop.example' });
    const token = await fetch(`${p.t.api.config.vaultUrl}/v1/tokens`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${other.publishableKey}`,
        'content-type': 'application/json',
        origin: 'https://shop.example',
      },
      body: JSON.stringify({
        card: { number: '4242424242424242', exp_month: 3, exp_year: 2030, cvc: '123' },
      }),
    });
    const paid = await other.post('/v1/payments', {
      amount: 500,
      currency: 'EUR',
      payment_method: ((await token.json()) as { id: string }).id,
      confirm: true,
    });
    expect(paid.body).toMatchObject({ status: 'succeeded', connector: 'sandbox' });
  });
});
