import { createServer as createReceiver, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hmacValidator } from '@adyen/api-library';
import { createServer } from '@payin/http';
import { schemaErrors, webhookErrors } from '@payin/provider-wire/adyen/conformance';
import { createLogger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdyenFaults } from '../src/adyen/faults.js';
import { adyenEmulator } from '../src/adyen/index.js';
import { AdyenState } from '../src/adyen/state.js';
import { AdyenWebhookSender } from '../src/adyen/webhooks.js';

const API_KEY = 'adyen_local_methods_key';
const MERCHANT = 'PayinTestMerchant';
const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const HOUR = 60 * 60 * 1000;

interface Emulator {
  base: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** The Adyen plugin alone on a random port, its webhooks sent to the test's receiver. */
async function startAdyen(voucherValidityMs?: number): Promise<Emulator> {
  const app = createServer({ logger: createLogger('silent', 'adyen-local-methods') });
  const state = new AdyenState();
  const faults = new AdyenFaults();
  const webhooks = new AdyenWebhookSender(state, { faults, retryBaseMs: 20, retryMaxMs: 200 });
  webhooks.addEndpoint(receiverUrl, HMAC_KEY);
  let base = '';
  await app.register(adyenEmulator, {
    state,
    faults,
    webhooks,
    apiKeys: [API_KEY],
    publicUrl: () => base,
    ...(voucherValidityMs === undefined ? {} : { voucherValidityMs }),
  });
  base = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', 'localhost');
  return {
    base,
    app,
    close: async () => {
      webhooks.close();
      await app.close();
    },
  };
}

let receiver: Server;
let receiverUrl = '';
const received: Received[] = [];
let emulator: Emulator;
let base = '';

beforeAll(async () => {
  receiver = createReceiver((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(text);
      received.push({ body, item: body.notificationItems[0].NotificationRequestItem });
      response.writeHead(200).end('[accepted]');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/adyen`;
  emulator = await startAdyen(HOUR);
  base = emulator.base;
});
afterAll(async () => {
  await emulator.close();
  await new Promise((done) => receiver.close(done));
});

async function checkout(path: string, body: unknown, at = base) {
  const response = await fetch(`${at}/adyen/checkout/v71${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-Key': API_KEY },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function control(path: string, body: unknown = {}, at = base) {
  const response = await fetch(`${at}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function ledger(pspReference: string, at = base) {
  const response = await fetch(`${at}/_control/adyen/ledger?pspReference=${pspReference}`);
  return ((await response.json()) as { payments: any[] }).payments[0];
}

/** Waits for the notifications about a payment (or its modifications) to reach the receiver. */
type Received = { body: any; item: any };
async function webhooksFor(pspReference: string, count: number): Promise<[Received, ...Received[]]> {
  for (let i = 0; i < 200; i++) {
    const items = received.filter(
      ({ item }) => item.pspReference === pspReference || item.originalReference === pspReference,
    );
    if (items.length >= count && items[0]) return [items[0], ...items.slice(1)];
    await new Promise((done) => setTimeout(done, 25));
  }
  throw new Error(`webhooks for ${pspReference} did not arrive`);
}

function payment(
  paymentMethod: Record<string, unknown>,
  amount: { currency: string; value: number },
  extra = {},
) {
  const body = {
    merchantAccount: MERCHANT,
    amount,
    reference: `order${Math.random().toString(36).slice(2)}`,
    returnUrl: 'https://shop.example/return',
    paymentMethod,
    ...extra,
  };
  expect(schemaErrors('PaymentRequest', body)).toEqual([]);
  return body;
}

const bizum = (value = 1999, extra = {}) => payment({ type: 'bizum' }, { currency: 'EUR', value }, extra);
const paypay = (value = 5000, extra = {}) => payment({ type: 'paypay' }, { currency: 'JPY', value }, extra);
const shopper = {
  firstName: 'Taro',
  lastName: 'Yamada',
  shopperEmail: 'taro@example.jp',
  telephoneNumber: '+81 90 1234 5678',
};
const konbini = (type: string, value = 5000, details: Record<string, unknown> = shopper) =>
  payment({ type, ...details }, { currency: 'JPY', value });

/** Opens the method's page as the browser would (Bizum's by posting `data`), then presses a button. */
async function answerRedirect(action: any, outcome: 'confirm' | 'cancel' | 'refuse') {
  const page =
    action.method === 'POST'
      ? await fetch(action.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(action.data).toString(),
        })
      : await fetch(action.url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const form = /<form method="post" action="([^"]+)">/.exec(html)?.[1] ?? '';
  const token = /name="token" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const done = await fetch(new URL(form, action.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, outcome }).toString(),
    redirect: 'manual',
  });
  expect(done.status).toBe(303);
  const back = new URL(done.headers.get('location') ?? '');
  expect(back.origin + back.pathname).toBe('https://shop.example/return');
  return back.searchParams.get('redirectResult');
}

describe('Adyen emulator: Bizum and PayPay redirects', () => {
  it.each([
    ['bizum', 'POST', bizum],
    ['paypay', 'GET', paypay],
  ] as const)('answers %s with RedirectShopper and a %s redirect action', async (type, method, request) => {
    const answer = await checkout('/payments', request());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      resultCode: 'RedirectShopper',
      action: { type: 'redirect', method },
    });
    expect(answer.body.action.paymentMethodType).toBe(type);
    if (method === 'POST') expect(Object.keys(answer.body.action.data)).toEqual(['token']);
    expect(schemaErrors('PaymentResponse', answer.body)).toEqual([]);
  });

  it.each([
    ['bizum', bizum, 1999, 'EUR'],
    ['paypay', paypay, 5000, 'JPY'],
  ] as const)(
    'authorises a %s payment the shopper confirms, with its AUTHORISATION webhook',
    async (type, request, value, currency) => {
      const created = await checkout('/payments', request());
      const redirectResult = await answerRedirect(created.body.action, 'confirm');
      const details = await checkout('/payments/details', { details: { redirectResult } });
      expect(details.status).toBe(200);
      expect(details.body).toMatchObject({
        resultCode: 'Authorised',
        pspReference: created.body.pspReference,
        paymentMethod: { type },
        amount: { currency, value },
      });
      expect(schemaErrors('PaymentDetailsResponse', details.body)).toEqual([]);
      const again = await checkout('/payments/details', { details: { redirectResult } });
      expect(again.body).toEqual(details.body);

      const [{ body, item }] = await webhooksFor(created.body.pspReference, 1);
      expect(item).toMatchObject({ eventCode: 'AUTHORISATION', success: 'true', paymentMethod: type });
      expect(webhookErrors('AUTHORISATION', body)).toEqual([]);
      expect(new hmacValidator().validateHMAC(item, HMAC_KEY)).toBe(true);
      expect(await ledger(created.body.pspReference)).toMatchObject({ authorised: value, captured: value });
    },
  );

  it.each([
    ['bizum', 'cancel', 'Cancelled', undefined],
    ['paypay', 'cancel', 'Cancelled', undefined],
    ['bizum', 'refuse', 'Refused', 'Refused'],
    ['paypay', 'refuse', 'Refused', 'Refused'],
  ] as const)(
    'answers a %s payment the shopper answers "%s" with %s, and AUTHORISATION success false',
    async (type, outcome, resultCode, refusalReason) => {
      const request = type === 'bizum' ? bizum : paypay;
      const expected = refusalReason ? { resultCode, refusalReason } : { resultCode };
      const reason = refusalReason ?? resultCode;
      const created = await checkout('/payments', request());
      const redirectResult = await answerRedirect(created.body.action, outcome);
      const details = await checkout('/payments/details', { details: { redirectResult } });
      expect(details.body).toMatchObject(expected);
      expect(schemaErrors('PaymentDetailsResponse', details.body)).toEqual([]);
      const [{ body, item }] = await webhooksFor(created.body.pspReference, 1);
      expect(item).toMatchObject({ eventCode: 'AUTHORISATION', success: 'false', reason });
      expect(webhookErrors('AUTHORISATION', body)).toEqual([]);
      expect(await ledger(created.body.pspReference)).toMatchObject({ authorised: 0, captured: 0 });
    },
  );

  it('serves the confirmation page without script, under a strict CSP, with labelled buttons and a lang', async () => {
    const created = await checkout('/payments', paypay());
    const page = await fetch(created.body.action.url);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; form-action *");
    const html = await page.text();
    expect(html).toMatch(/<html lang="en">/);
    expect(html).not.toMatch(/<script|style=|on[a-z]+=/i);
    for (const label of ['Confirm', 'Cancel', 'Refuse'])
      expect(html).toMatch(new RegExp(`>${label}[^<]*</button>`));
    // A session answered once is gone; a page of another method does not open it.
    expect((await fetch(created.body.action.url.replace('/paypay?', '/bizum?'))).status).toBe(404);
  });

  it('refuses a redirectResult that no page handed back', async () => {
    const answer = await checkout('/payments/details', { details: { redirectResult: 'forged' } });
    expect(answer.status).toBe(422);
    expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
  });

  it.each([
    ['bizum', 'USD'],
    ['paypay', 'EUR'],
    ['econtext_stores', 'EUR'],
  ])('refuses %s in %s, a currency it is not offered in, with Adyen 905_1', async (type, currency) => {
    const answer = await checkout(
      '/payments',
      payment({ type, ...(type === 'econtext_stores' ? shopper : {}) }, { currency, value: 1999 }),
    );
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({
      status: 500,
      errorCode: '905_1',
      errorType: 'configuration',
      message: `Could not find an acquirer account for the provided txvariant (${type}), currency (${currency}), and action (AUTH).`,
    });
    expect(answer.body.pspReference).toMatch(/^[A-Z0-9]{16}$/);
    expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
  });

  it('captures Bizum at once, refuses a separate capture, and refunds it partially', async () => {
    const created = await checkout('/payments', bizum(1999, { additionalData: { manualCapture: 'true' } }));
    const psp = created.body.pspReference;
    await checkout('/payments/details', {
      details: { redirectResult: await answerRedirect(created.body.action, 'confirm') },
    });
    expect(await ledger(psp)).toMatchObject({ authorised: 1999, captured: 1999 });
    const capture = await checkout(`/payments/${psp}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1999 },
    });
    expect(capture.status).toBe(201);
    expect(schemaErrors('PaymentCaptureResponse', capture.body)).toEqual([]);
    const refund = await checkout(`/payments/${psp}/refunds`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 500 },
    });
    expect(refund.status).toBe(201);
    const entry = await ledger(psp);
    expect(entry).toMatchObject({ captured: 1999, refunded: 500, paymentMethod: 'bizum' });
    expect(entry.modifications.map((m: any) => [m.type, m.status, m.reason])).toEqual([
      ['capture', 'failed', 'Separate capture is not supported for this payment method'],
      ['refund', 'succeeded', undefined],
    ]);
    const items = await webhooksFor(psp, 3);
    expect(items.map(({ item }) => [item.eventCode, item.success]).sort()).toEqual([
      ['AUTHORISATION', 'true'],
      ['CAPTURE', 'false'],
      ['REFUND', 'true'],
    ]);
  });

  it('keeps a PayPay payment with manualCapture authorised until /captures', async () => {
    const created = await checkout('/payments', paypay(5000, { additionalData: { manualCapture: 'true' } }));
    const psp = created.body.pspReference;
    await checkout('/payments/details', {
      details: { redirectResult: await answerRedirect(created.body.action, 'confirm') },
    });
    expect(await ledger(psp)).toMatchObject({ authorised: 5000, captured: 0 });
    await checkout(`/payments/${psp}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'JPY', value: 3000 },
    });
    expect(await ledger(psp)).toMatchObject({ authorised: 5000, captured: 3000 });
  });
});

describe('Adyen emulator: konbini vouchers', () => {
  it.each(['econtext_stores', 'econtext_seven_eleven'])(
    'answers %s with PresentToShopper and a voucher action',
    async (type) => {
      const before = Date.now();
      const answer = await checkout('/payments', konbini(type, 17408));
      expect(answer.status).toBe(200);
      expect(schemaErrors('PaymentResponse', answer.body)).toEqual([]);
      const action = answer.body.action;
      expect(answer.body.resultCode).toBe('PresentToShopper');
      expect(action).toMatchObject({
        type: 'voucher',
        paymentMethodType: type,
        initialAmount: { currency: 'JPY', value: 17408 },
        totalAmount: { currency: 'JPY', value: 17408 },
        maskedTelephoneNumber: '81********78',
        merchantName: MERCHANT,
      });
      expect(action.reference).toMatch(type === 'econtext_seven_eleven' ? /^\d{13}$/ : /^\d{6}$/);
      // Japan's local time, no offset: one hour (this emulator's validity) from now, plus nine.
      const expires = Date.parse(`${action.expiresAt}Z`) - 9 * HOUR;
      expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + HOUR);
      expect(expires).toBeLessThanOrEqual(Date.now() + HOUR);
      expect(action.url === undefined).toBe(type === 'econtext_stores');

      const page = await fetch(action.url ?? action.instructionsUrl);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe("default-src 'none'; form-action *");
      const html = await page.text();
      expect(html).toContain(action.reference);
      expect(html).toMatch(/<html lang="en">/);
      expect(html).not.toMatch(/<script/i);
      expect(await ledger(answer.body.pspReference)).toMatchObject({
        resultCode: 'PresentToShopper',
        authorised: 0,
        voucher: { reference: action.reference, status: 'pending' },
      });
    },
  );

  it('authorises a voucher paid at the store later, with an AUTHORISATION webhook, and takes it once', async () => {
    const psp = (await checkout('/payments', konbini('econtext_stores', 5000))).body.pspReference;
    const paid = await control(`/_control/adyen/vouchers/${psp}/pay`);
    expect(paid).toEqual({ status: 200, body: { pspReference: psp, status: 'paid' } });
    const [{ body, item }] = await webhooksFor(psp, 1);
    expect(item).toMatchObject({
      eventCode: 'AUTHORISATION',
      success: 'true',
      paymentMethod: 'econtext_stores',
      amount: { currency: 'JPY', value: 5000 },
    });
    expect(webhookErrors('AUTHORISATION', body)).toEqual([]);
    expect(new hmacValidator().validateHMAC(item, HMAC_KEY)).toBe(true);
    expect(await ledger(psp)).toMatchObject({ resultCode: 'Authorised', authorised: 5000, captured: 5000 });
    expect((await control(`/_control/adyen/vouchers/${psp}/pay`)).status).toBe(409);
    expect((await control('/_control/adyen/vouchers/NOSUCHPAYMENT000/pay')).status).toBe(404);
  });

  it('closes a voucher unpaid past its expiresAt with OFFER_CLOSED, and no longer takes it', async () => {
    const psp = (await checkout('/payments', konbini('econtext_seven_eleven', 8000))).body.pspReference;
    const moved = await control('/_control/adyen/clock', { advanceMs: HOUR + 1000 });
    expect(moved.status).toBe(200);
    expect(moved.body.expired).toBeGreaterThanOrEqual(1);
    const [{ body, item }] = await webhooksFor(psp, 1);
    expect(item).toMatchObject({
      eventCode: 'OFFER_CLOSED',
      success: 'true',
      paymentMethod: 'econtext_seven_eleven',
    });
    // OFFER_CLOSED takes the generic NotificationAdditionalData, which lacks the hmacSignature the
    // spec's own OFFER_CLOSED example carries: the rest of the body is checked against it.
    const { hmacSignature, ...additionalData } = item.additionalData;
    const unsigned = {
      ...body,
      notificationItems: [{ NotificationRequestItem: { ...item, additionalData } }],
    };
    expect(hmacSignature).toEqual(expect.any(String));
    expect(webhookErrors('OFFER_CLOSED', unsigned)).toEqual([]);
    expect(new hmacValidator().validateHMAC(item, HMAC_KEY)).toBe(true);
    expect(await control(`/_control/adyen/vouchers/${psp}/pay`)).toMatchObject({ status: 409 });
    expect((await ledger(psp)).voucher.status).toBe('expired');
    expect((await control('/_control/adyen/clock', { advanceMs: -1 })).status).toBe(400);
  });

  it('expires a voucher on its own once its validity has passed', async () => {
    const quick = await startAdyen(200);
    try {
      const psp = (await checkout('/payments', konbini('econtext_stores'), quick.base)).body.pspReference;
      const [{ item }] = await webhooksFor(psp, 1);
      expect(item.eventCode).toBe('OFFER_CLOSED');
      expect((await ledger(psp, quick.base)).voucher.status).toBe('expired');
    } finally {
      await quick.close();
    }
  });

  it('gives a voucher three days by default', async () => {
    const plain = await startAdyen();
    try {
      const answer = await checkout('/payments', konbini('econtext_stores'), plain.base);
      const expires = Date.parse(`${answer.body.action.expiresAt}Z`) - 9 * HOUR;
      expect(Math.abs(expires - (Date.now() + 72 * HOUR))).toBeLessThan(60_000);
    } finally {
      await plain.close();
    }
  });

  it('refuses to refund or capture a paid voucher, acknowledging 201 and failing in the webhook', async () => {
    const psp = (await checkout('/payments', konbini('econtext_stores', 5000))).body.pspReference;
    await control(`/_control/adyen/vouchers/${psp}/pay`);
    const refund = await checkout(`/payments/${psp}/refunds`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'JPY', value: 5000 },
    });
    expect(refund.status).toBe(201);
    expect(schemaErrors('PaymentRefundResponse', refund.body)).toEqual([]);
    const items = await webhooksFor(psp, 2);
    const failed = items.find(({ item }) => item.eventCode === 'REFUND');
    expect(failed?.item).toMatchObject({
      success: 'false',
      reason: 'Refund is not supported for this payment method',
    });
    expect(webhookErrors('REFUND', failed?.body)).toEqual([]);
    await checkout(`/payments/${psp}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'JPY', value: 5000 },
    });
    expect(await ledger(psp)).toMatchObject({ captured: 5000, refunded: 0 });
    expect((await ledger(psp)).modifications.map((m: any) => [m.type, m.status])).toEqual([
      ['refund', 'failed'],
      ['capture', 'failed'],
    ]);
  });

  it('cancels an unpaid voucher, which the store then refuses', async () => {
    const psp = (await checkout('/payments', konbini('econtext_stores'))).body.pspReference;
    const cancel = await checkout(`/payments/${psp}/cancels`, { merchantAccount: MERCHANT });
    expect(cancel.status).toBe(201);
    const [{ item }] = await webhooksFor(psp, 1);
    expect(item).toMatchObject({ eventCode: 'CANCELLATION', success: 'true', originalReference: psp });
    expect(await ledger(psp)).toMatchObject({ cancelled: true, voucher: { status: 'cancelled' } });
    expect((await control(`/_control/adyen/vouchers/${psp}/pay`)).status).toBe(409);
  });

  it.each([
    ['0 JPY', 0],
    ['300,001 JPY', 300_001],
  ])('refuses a konbini payment of %s with 137', async (_name, value) => {
    const answer = await checkout('/payments', konbini('econtext_seven_eleven', value));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ errorCode: '137', errorType: 'validation' });
    expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
  });

  it('takes 300,000 JPY, the most a konbini takes', async () => {
    const answer = await checkout('/payments', konbini('econtext_stores', 300_000));
    expect(answer.body.resultCode).toBe('PresentToShopper');
  });

  it('takes the shopper details from the request when paymentMethod lacks them', async () => {
    // Adyen's API-only konbini page sends them so; the v71 spec wants them in paymentMethod.
    const body = {
      ...konbini('econtext_stores', 5000),
      paymentMethod: { type: 'econtext_stores' },
      shopperName: { firstName: 'Hanako', lastName: 'Sato' },
      shopperEmail: 'hanako@example.jp',
      telephoneNumber: '+81 80 9876 5432',
    };
    const answer = await checkout('/payments', body);
    expect(answer.body).toMatchObject({
      resultCode: 'PresentToShopper',
      action: { maskedTelephoneNumber: '81********32' },
    });
  });

  it.each([
    [
      'without shopperEmail',
      { ...shopper, shopperEmail: undefined },
      "Required field 'shopperEmail' is not provided.",
    ],
    ['without a name', { ...shopper, lastName: undefined }, "Required field 'lastName' is not provided."],
    ['with a national telephone number', { ...shopper, telephoneNumber: '090 1234 5678' }, undefined],
    ['with a 00 prefix', { ...shopper, telephoneNumber: '0081 90 1234 5678' }, undefined],
  ])('refuses a konbini payment %s with a 422', async (_name, details, message) => {
    const body = {
      ...konbini('econtext_stores', 5000, shopper),
      paymentMethod: { type: 'econtext_stores', ...details },
    };
    const answer = await checkout('/payments', body);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ status: 422, errorType: 'validation' });
    if (message) expect(answer.body.message).toBe(message);
    else expect(answer.body.message).toMatch(/telephoneNumber/);
    expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
  });
});

describe('Adyen emulator: /paymentMethods per market', () => {
  const methods = async (request: Record<string, unknown>) => {
    const answer = await checkout('/paymentMethods', { merchantAccount: MERCHANT, ...request });
    expect(answer.status).toBe(200);
    expect(schemaErrors('PaymentMethodsResponse', answer.body)).toEqual([]);
    return answer.body.paymentMethods.map((m: any) => [m.type, m.name]);
  };

  it('lists Bizum next to the cards in Spain, in euros', async () => {
    expect(await methods({ countryCode: 'ES', amount: { currency: 'EUR', value: 1999 } })).toEqual([
      ['scheme', 'Cards'],
      ['bizum', 'Bizum'],
    ]);
  });

  it('lists PayPay and the konbini next to the cards in Japan, in yen', async () => {
    expect(await methods({ countryCode: 'JP', amount: { currency: 'JPY', value: 5000 } })).toEqual([
      ['scheme', 'Cards'],
      ['paypay', 'PayPay'],
      ['econtext_seven_eleven', '7-Eleven'],
      ['econtext_stores', 'Convenience Stores'],
    ]);
  });

  it('leaves the konbini out above 300,000 JPY, and the local methods out elsewhere', async () => {
    expect(await methods({ countryCode: 'JP', amount: { currency: 'JPY', value: 300_001 } })).toEqual([
      ['scheme', 'Cards'],
      ['paypay', 'PayPay'],
    ]);
    expect(await methods({ countryCode: 'FR', amount: { currency: 'EUR', value: 1999 } })).toEqual([
      ['scheme', 'Cards'],
    ]);
    expect(await methods({ countryCode: 'ES', amount: { currency: 'USD', value: 1999 } })).toEqual([
      ['scheme', 'Cards'],
    ]);
  });
});
