import { createHmac } from 'node:crypto';
import { recoverUnknownOutcomes } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdyenPlatform,
  expectConformingCalls,
  MERCHANT_ACCOUNT,
  startAdyenPlatform,
} from './adyen-platform.js';
import { expectError } from './expect-error.js';

/**
 * Each market's local method through Adyen, end to end against the Adyen emulator: Bizum (a
 * form the shopper's browser posts, through payin's redirect page), PayPay (a link, separate
 * capture), konbini vouchers (paid later in cash, or expired). The shopper's part is played
 * the way a browser would: the pages' forms, the redirects back to payin.
 */
let p: AdyenPlatform;
const SHOP_RETURN = 'https://shop.example/order/complete';

beforeAll(async () => {
  p = await startAdyenPlatform(
    {},
    { paymentMethodTypes: ['card', 'bizum', 'konbini', 'paypay'], voucherValidityMs: 60 * 60_000 },
  );
}, 90_000);
afterAll(async () => {
  await p?.close();
});

const payment = async (id: string) => (await p.m.get(`/v1/payments/${id}`)).body;
const pspOf = async (id: string) =>
  (await p.t.api.core.store.transaction((tx) => tx.currentAttempt(id)))?.providerReference as string;
const eventsOf = async (id: string) =>
  ((await p.m.get('/v1/events?limit=100')).body.data as any[])
    .filter((e) => e.data.object.id === id)
    .map((e) => e.type as string)
    .reverse();

/** Follows payin's next_action as a browser would, up to the provider's page with its form. */
async function openProviderPage(nextActionUrl: string): Promise<{ url: string; html: string }> {
  const first = await fetch(nextActionUrl, { redirect: 'manual' });
  if (!new URL(nextActionUrl).pathname.startsWith('/redirect/att_')) {
    // A link to the provider's page itself (PayPay).
    return { url: nextActionUrl, html: await first.text() };
  }
  // payin's redirect page: a form to post to the provider, posted by its one script.
  const html = await first.text();
  expect(first.headers.get('content-security-policy')).toContain("script-src 'sha256-");
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] as string;
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)];
  const url = action.replace(/&amp;/g, '&');
  const page = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields.map((f) => [f[1] as string, f[2] as string])).toString(),
  });
  return { url, html: await page.text() };
}

/** The shopper presses a button of the provider's page; payin's return then sends them to the shop. */
async function answer(page: { url: string; html: string }, outcome: 'confirm' | 'cancel' | 'refuse') {
  const action = new URL(/<form method="post" action="([^"]+)"/.exec(page.html)?.[1] as string, page.url);
  const token = /name="token" value="([^"]+)"/.exec(page.html)?.[1] as string;
  const back = await fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, outcome }).toString(),
    redirect: 'manual',
  });
  expect(back.status).toBe(303);
  const toPayin = await fetch(back.headers.get('location') as string, { redirect: 'manual' });
  expect(toPayin.status).toBe(303);
  return new URL(toPayin.headers.get('location') as string);
}

const bizum = (extra: Record<string, unknown> = {}) =>
  p.m.post('/v1/payments', {
    amount: 4_500,
    currency: 'EUR',
    country: 'ES',
    payment_method: 'bizum',
    confirm: true,
    return_url: SHOP_RETURN,
    ...extra,
  });

describe('Bizum', () => {
  it('pays: the bank app confirms, the shopper is back at the shop, the payment succeeded', async () => {
    const created = await bizum();
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ status: 'requires_action', payment_method: 'bizum' });
    const next = created.body.next_action.redirect_to_url;
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(created.body.id));
    expect(new URL(next.url).pathname).toBe(`/redirect/${attempt?.id}`);
    expect(next.return_url).toBe(SHOP_RETURN);

    const page = await openProviderPage(next.url);
    expect(page.html).toContain('Bizum');
    const shop = await answer(page, 'confirm');
    expect(`${shop.origin}${shop.pathname}`).toBe(SHOP_RETURN);
    expect(shop.searchParams.get('redirect_status')).toBe('succeeded');
    expect(await payment(created.body.id)).toMatchObject({ status: 'succeeded', amount_received: 4_500 });
    expect(await eventsOf(created.body.id)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.requires_action',
      'payment.succeeded',
    ]);
    expect(await p.ledger(await pspOf(created.body.id))).toMatchObject({
      paymentMethod: 'bizum',
      captured: 4_500,
    });

    const refund = await p.m.post('/v1/refunds', { payment: created.body.id, amount: 1_000 });
    expect(refund.status, refund.text).toBe(200);
    const refunded = await p.eventually(async () => {
      const r = (await p.m.get(`/v1/refunds/${refund.body.id}`)).body;
      return r.status === 'succeeded' ? r : undefined;
    }, 'the REFUND webhook');
    expect(refunded.amount).toBe(1_000);
  });

  it('reports a cancellation in the app as canceled_by_shopper, and the payment can be paid again', async () => {
    const created = await bizum();
    const shop = await answer(await openProviderPage(created.body.next_action.redirect_to_url.url), 'cancel');
    expect(shop.searchParams.get('redirect_status')).toBe('failed');
    const after = await payment(created.body.id);
    expect(after).toMatchObject({
      status: 'requires_payment_method',
      last_error: { code: 'canceled_by_shopper' },
    });
    expect(after.last_error.message).toMatch(/cancelled in Bizum/);
    expect(await eventsOf(created.body.id)).toContain('payment.failed');

    const again = await p.m.post(`/v1/payments/${created.body.id}/confirm`, { payment_method: 'bizum' });
    expect(again.body.status).toBe('requires_action');
  });

  it('reports money taken after the attempt failed as payment.late_success, without moving the payment back', async () => {
    const created = await bizum();
    await answer(await openProviderPage(created.body.next_action.redirect_to_url.url), 'cancel');
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(created.body.id));
    const psp = await pspOf(created.body.id);
    // Adyen says, after all, that the bank paid it: a signed AUTHORISATION success.
    const item = {
      pspReference: psp,
      merchantAccountCode: MERCHANT_ACCOUNT,
      merchantReference: attempt?.id,
      amount: { value: 4_500, currency: 'EUR' },
      eventCode: 'AUTHORISATION',
      eventDate: '2026-11-25T10:00:00+01:00',
      success: 'true',
      paymentMethod: 'bizum',
    };
    const text = [psp, '', MERCHANT_ACCOUNT, attempt?.id, 4_500, 'EUR', 'AUTHORISATION', 'true'].join(':');
    const hmacSignature = createHmac('sha256', Buffer.from(p.hmacKey, 'hex')).update(text).digest('base64');
    const posted = await p.t.request('POST', `/webhooks/adyen/${p.account}`, {
      body: {
        live: 'false',
        notificationItems: [{ NotificationRequestItem: { ...item, additionalData: { hmacSignature } } }],
      },
    });
    expect(posted.text).toBe('[accepted]');
    await p.eventually(
      async () => (await eventsOf(created.body.id)).includes('payment.late_success'),
      'payment.late_success',
    );
    expect(await payment(created.body.id)).toMatchObject({
      status: 'requires_payment_method',
      last_error: { code: 'canceled_by_shopper' },
    });
  });

  it('reports a refusal by the bank as payment_declined', async () => {
    const created = await bizum();
    await answer(await openProviderPage(created.body.next_action.redirect_to_url.url), 'refuse');
    expect(await payment(created.body.id)).toMatchObject({
      status: 'requires_payment_method',
      last_error: { type: 'card_error', code: 'payment_declined', message: 'Bizum declined the payment.' },
    });
  });

  it('refuses manual capture, which Bizum does not have, before anything is sent', async () => {
    const calls = p.calls.length;
    expectError(await bizum({ capture_method: 'manual' }), 400, 'invalid_request_error', {
      param: 'capture_method',
    });
    expect(p.calls.length).toBe(calls);
  });
});

describe('PayPay', () => {
  it('authorises in the app for manual capture, then captures and refunds', async () => {
    const created = await p.m.post('/v1/payments', {
      amount: 3_000,
      currency: 'JPY',
      country: 'JP',
      payment_method: 'paypay',
      capture_method: 'manual',
      confirm: true,
    });
    expect(created.body.status, created.text).toBe('requires_action');
    const page = await openProviderPage(created.body.next_action.redirect_to_url.url);
    expect(page.url).toContain('/adyen/redirect/paypay');
    await fetch(new URL(/<form method="post" action="([^"]+)"/.exec(page.html)?.[1] as string, page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: /name="token" value="([^"]+)"/.exec(page.html)?.[1] as string,
        outcome: 'confirm',
      }).toString(),
      redirect: 'follow',
    });
    expect(await payment(created.body.id)).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 3_000,
    });
    const captured = await p.m.post(`/v1/payments/${created.body.id}/capture`, {});
    expect(captured.status, captured.text).toBe(200);
    const psp = await pspOf(created.body.id);
    await p.eventually(async () => (await p.ledger(psp)).captured === 3_000, 'the capture at Adyen');
  });
});

describe('konbini', () => {
  const payer = { name: 'Taro Yamada', email: 'taro@example.jp', phone: '090-1234-5678' };
  const konbini = () =>
    p.m.post('/v1/payments', {
      amount: 12_800,
      currency: 'JPY',
      country: 'JP',
      confirm: true,
      payment_method_data: { type: 'konbini', billing_details: payer },
    });

  it('shows the voucher with its deadline, and the payment succeeds when the store takes the cash', async () => {
    const created = await konbini();
    expect(created.status, created.text).toBe(200);
    expect(created.body.status).toBe('requires_action');
    const voucher = created.body.next_action.display_voucher;
    expect(created.body.next_action.type).toBe('display_voucher');
    expect(voucher.reference).toMatch(/^\d{6}$/);
    expect(voucher.store).toBe('lawson_ministop_familymart_seicomart');
    // One hour of validity in this emulator, read from Japan's local time.
    expect(Math.abs(voucher.expires_at - (Date.now() / 1000 + 3600))).toBeLessThan(120);
    const instructions = await (await fetch(voucher.instructions_url)).text();
    expect(instructions).toContain(voucher.reference);

    const psp = await pspOf(created.body.id);
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(created.body.id));
    const sent = p.calls.find((c) => (c.body as any)?.reference === attempt?.id);
    // The national number as the shopper wrote it, in the international form Adyen takes.
    expect((sent?.body as any)?.paymentMethod).toEqual({
      type: 'econtext_stores',
      firstName: 'Taro',
      lastName: 'Yamada',
      shopperEmail: payer.email,
      telephoneNumber: '+81 9012345678',
    });
    const paid = await fetch(`${p.emulators.url}/_control/adyen/vouchers/${psp}/pay`, { method: 'POST' });
    expect(paid.status).toBe(200);
    const done = await p.eventually(async () => {
      const now = await payment(created.body.id);
      return now.status === 'succeeded' ? now : undefined;
    }, 'the AUTHORISATION webhook of the paid voucher');
    expect(done).toMatchObject({ amount_received: 12_800, next_action: null });
  });

  it('closes the voucher at Adyen when the merchant cancels: the store no longer takes it', async () => {
    const created = await konbini();
    const psp = await pspOf(created.body.id);
    const canceled = await p.m.post(`/v1/payments/${created.body.id}/cancel`, {
      cancellation_reason: 'abandoned',
    });
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled', next_action: null });
    await p.eventually(
      async () => ((await p.ledger(psp)) as any).voucher?.status === 'cancelled',
      'the voucher closed',
    );
    const paid = await fetch(`${p.emulators.url}/_control/adyen/vouchers/${psp}/pay`, { method: 'POST' });
    expect(paid.status).toBe(409);
  });

  it("settles a voucher whose answer was lost by Adyen's webhook once the store takes the cash", async () => {
    await p.faults({ calls: [{ operation: 'payments', fault: 'drop_answer' }] });
    const created = await konbini();
    expect(created.status, created.text).toBe(200);
    // Adyen made the voucher; payin never learned its reference: on its way, not failed.
    expect(created.body).toMatchObject({ status: 'processing', next_action: null });
    const attempt = await p.t.api.core.store.transaction((tx) => tx.currentAttempt(created.body.id));
    const [made] = await p.ledgerByReference(attempt?.id as string);
    expect(made?.voucher).toMatchObject({ status: 'pending' });
    // Adyen answers no inquiry: asking changes nothing.
    await recoverUnknownOutcomes(p.t.api.core);
    expect((await payment(created.body.id)).status).toBe('processing');

    const paid = await fetch(`${p.emulators.url}/_control/adyen/vouchers/${made?.pspReference}/pay`, {
      method: 'POST',
    });
    expect(paid.status).toBe(200);
    const done = await p.eventually(async () => {
      const now = await payment(created.body.id);
      return now.status === 'succeeded' ? now : undefined;
    }, 'the AUTHORISATION webhook');
    expect(done.amount_received).toBe(12_800);
  });

  it('fails an unpaid voucher at its deadline with payment_expired, reported as payment.failed', async () => {
    const created = await konbini();
    const clock = await fetch(`${p.emulators.url}/_control/adyen/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 2 * 60 * 60_000 }),
    });
    expect(clock.status).toBe(200);
    const failed = await p.eventually(async () => {
      const now = await payment(created.body.id);
      return now.status === 'requires_payment_method' ? now : undefined;
    }, 'the OFFER_CLOSED webhook');
    expect(failed.last_error).toMatchObject({ code: 'payment_expired' });
    expect(failed.next_action).toBeNull();
    expect(await eventsOf(created.body.id)).toContain('payment.failed');
    await recoverUnknownOutcomes(p.t.api.core);
    expect((await payment(created.body.id)).status).toBe('requires_payment_method');
  });
});

describe("Adyen's description", () => {
  it('sent Adyen only requests its OpenAPI description (v71) accepts, local methods included', () => {
    expect(p.calls.some((c) => (c.body as any)?.paymentMethod?.type === 'econtext_stores')).toBe(true);
    expect(p.calls.some((c) => (c.body as any)?.paymentMethod?.type === 'bizum')).toBe(true);
    expectConformingCalls(p.calls);
  });
});
