import { schemaErrors } from '@payin/provider-wire/adyen/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulators } from '../src/server.js';
import { adyen, cardPayment, MERCHANT, startTestEmulators } from './harness.js';

let emulators: RunningEmulators;
let base: string;

beforeAll(async () => {
  emulators = await startTestEmulators();
  base = emulators.url;
});
afterAll(() => emulators.close());

async function ledger(pspReference: string) {
  const response = await fetch(`${base}/_control/adyen/ledger?pspReference=${pspReference}`);
  const body = (await response.json()) as { payments: any[] };
  return body.payments[0];
}

const manual = { additionalData: { manualCapture: 'true' } };

describe('Adyen Checkout emulator', () => {
  it('answers /healthz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('refuses a missing or wrong X-API-Key with Adyen 401 body', async () => {
    for (const apiKey of [null, 'wrong']) {
      const answer = await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }), { apiKey });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        status: 401,
        errorCode: '000',
        message: 'HTTP Status Response - Unauthorized',
        errorType: 'security',
      });
      expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
    }
  });

  it.each(['v71', 'v72'])(
    'authorises the Visa test card on %s with a spec-valid PaymentResponse',
    async (version) => {
      const answer = await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }), { version });
      expect(answer.status).toBe(200);
      expect(answer.body.resultCode).toBe('Authorised');
      expect(answer.body.pspReference).toMatch(/^[A-Z0-9]{16}$/);
      expect(answer.body.additionalData.cardSummary).toBe('1111');
      expect(schemaErrors('PaymentResponse', answer.body)).toEqual([]);
    },
  );

  it('authorises the Mastercard test card 5555 3412 4444 1115', async () => {
    const answer = await adyen(base, '/payments', cardPayment({ number: '5555341244441115' }));
    expect(answer.body.resultCode).toBe('Authorised');
    expect(answer.body.paymentMethod).toEqual({ brand: 'mc', type: 'scheme' });
  });

  it.each([
    ['DECLINED', 'Refused', 'Refused', '2'],
    ['NOT_ENOUGH_BALANCE', 'Refused', 'Not enough balance', '12'],
    ['CVC_DECLINED', 'Refused', 'CVC Declined', '24'],
    ['CARD_EXPIRED', 'Refused', 'Expired Card', '6'],
    ['ERROR', 'Error', 'Acquirer Error', '4'],
  ])('holderName %s answers %s with refusalReason %s', async (holderName, resultCode, reason, code) => {
    const answer = await adyen(base, '/payments', cardPayment({ number: '4111111111111111', holderName }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ resultCode, refusalReason: reason, refusalReasonCode: code });
    expect(schemaErrors('PaymentResponse', answer.body)).toEqual([]);
  });

  it('declines a wrong CVC generically', async () => {
    const answer = await adyen(base, '/payments', cardPayment({ number: '4111111111111111', cvc: '123' }));
    expect(answer.body).toMatchObject({ resultCode: 'Refused', refusalReason: 'Refused' });
  });

  it.each([
    [
      'merchantAccount missing',
      { merchantAccount: undefined },
      '14_006',
      "Required field 'merchantAccount' is not provided.",
    ],
    ['amount missing', { amount: undefined }, '100', "Required object 'amount' is not provided."],
    [
      'invalid card number',
      { paymentMethod: { type: 'scheme', number: '4111111111111112' } },
      '101',
      'Invalid card number',
    ],
  ])('answers 422 in Adyen shape: %s', async (_name, change, errorCode, message) => {
    const answer = await adyen(base, '/payments', {
      ...cardPayment({ number: '4111111111111111' }),
      ...change,
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ status: 422, errorCode, message, errorType: 'validation' });
    expect(schemaErrors('ServiceError', answer.body)).toEqual([]);
  });

  it('answers unparsable JSON with Adyen 400 body', async () => {
    const answer = await adyen(base, '/payments', undefined, { raw: '{"merchantAccount":' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, errorCode: '000', errorType: 'validation' });
  });

  it('replays the first answer for the same Idempotency-Key and body, and refuses another body', async () => {
    const key = crypto.randomUUID();
    const body = cardPayment({ number: '4111111111111111' });
    const first = await adyen(base, '/payments', body, { idempotencyKey: key });
    const again = await adyen(base, '/payments', body, { idempotencyKey: key, version: 'v72' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-key')).toBe(key);
    expect((await ledger(first.body.pspReference)).authorised).toBe(1999);

    const other = await adyen(base, '/payments', { ...body, reference: 'another' }, { idempotencyKey: key });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ errorCode: '704', errorType: 'validation' });
  });

  it('sends a 3DS2 challenge card through the redirect, the challenge page and /payments/details', async () => {
    const payment = await adyen(base, '/payments', cardPayment({ number: '4917610000000000' }));
    expect(payment.body.resultCode).toBe('RedirectShopper');
    expect(payment.body.action).toMatchObject({
      type: 'redirect',
      method: 'GET',
      paymentMethodType: 'scheme',
    });
    expect(schemaErrors('PaymentResponse', payment.body)).toEqual([]);

    const page = await fetch(payment.body.action.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Complete');
    const done = await fetch(payment.body.action.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('https://shop.example/return');
    const redirectResult = back.searchParams.get('redirectResult');

    const details = await adyen(base, '/payments/details', { details: { redirectResult } });
    expect(details.status).toBe(200);
    expect(details.body).toMatchObject({ resultCode: 'Authorised', pspReference: payment.body.pspReference });
    expect(schemaErrors('PaymentDetailsResponse', details.body)).toEqual([]);
    expect((await ledger(payment.body.pspReference)).authorised).toBe(1999);
  });

  it('authorises a frictionless 3DS2 card at once, the authentication in additionalData', async () => {
    const answer = await adyen(base, '/payments', cardPayment({ number: '5201281505129736' }));
    expect(answer.body.resultCode).toBe('Authorised');
    expect(answer.body.action).toBeUndefined();
    expect(answer.body.additionalData).toMatchObject({ threeDAuthenticated: 'true', liabilityShift: 'true' });
    expect(schemaErrors('PaymentResponse', answer.body)).toEqual([]);
  });

  it('refuses a payment whose challenge failed with 3D Not Authenticated', async () => {
    const payment = await adyen(base, '/payments', cardPayment({ number: '5454545454545454' }));
    const done = await fetch(payment.body.action.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=fail',
      redirect: 'manual',
    });
    const redirectResult = new URL(done.headers.get('location') ?? '').searchParams.get('redirectResult');
    const details = await adyen(base, '/payments/details', { details: { redirectResult } });
    expect(details.body).toMatchObject({ resultCode: 'Refused', refusalReason: '3D Not Authenticated' });
  });

  it('captures at once without manualCapture, as an account with immediate capture does', async () => {
    const payment = await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }));
    expect(await ledger(payment.body.pspReference)).toMatchObject({ authorised: 1999, captured: 1999 });
  });

  it('acknowledges capture and refund with spec-valid bodies and keeps the ledger', async () => {
    const payment = await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }, manual));
    const psp = payment.body.pspReference;
    const capture = await adyen(base, `/payments/${psp}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1999 },
      reference: 'cap-1',
    });
    expect(capture.status).toBe(201);
    expect(capture.body).toMatchObject({ status: 'received', paymentPspReference: psp, reference: 'cap-1' });
    expect(schemaErrors('PaymentCaptureResponse', capture.body)).toEqual([]);

    const refund = await adyen(base, `/payments/${psp}/refunds`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 500 },
    });
    expect(refund.status).toBe(201);
    expect(schemaErrors('PaymentRefundResponse', refund.body)).toEqual([]);
    const tooMuch = await adyen(base, `/payments/${psp}/refunds`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1500 },
    });
    expect(tooMuch.status).toBe(201);

    const entry = await ledger(psp);
    expect(entry).toMatchObject({ authorised: 1999, captured: 1999, refunded: 500, cancelled: false });
    expect(entry.modifications.map((m: any) => [m.type, m.status])).toEqual([
      ['capture', 'succeeded'],
      ['refund', 'succeeded'],
      ['refund', 'failed'],
    ]);
  });

  it('cancels an uncaptured payment and reverses a captured one', async () => {
    const first = (await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }, manual))).body
      .pspReference;
    const cancel = await adyen(base, `/payments/${first}/cancels`, { merchantAccount: MERCHANT });
    expect(cancel.status).toBe(201);
    expect(schemaErrors('PaymentCancelResponse', cancel.body)).toEqual([]);
    expect(await ledger(first)).toMatchObject({ cancelled: true, captured: 0 });

    const second = (await adyen(base, '/payments', cardPayment({ number: '4111111111111111' }, manual))).body
      .pspReference;
    await adyen(base, `/payments/${second}/captures`, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 1000 },
    });
    const reversal = await adyen(base, `/payments/${second}/reversals`, { merchantAccount: MERCHANT });
    expect(schemaErrors('PaymentReversalResponse', reversal.body)).toEqual([]);
    expect(await ledger(second)).toMatchObject({ captured: 1000, refunded: 1000 });
  });

  it('refuses a modification of an unknown payment with 167', async () => {
    const answer = await adyen(base, '/payments/ABCDEFGHIJKLMNOP/captures', {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 100 },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errorCode).toBe('167');
  });

  it('lists card payment methods', async () => {
    const answer = await adyen(base, '/paymentMethods', { merchantAccount: MERCHANT });
    expect(answer.status).toBe(200);
    expect(schemaErrors('PaymentMethodsResponse', answer.body)).toEqual([]);
  });
});
