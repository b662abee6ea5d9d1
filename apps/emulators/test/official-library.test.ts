import { URLSearchParams } from 'node:url';
import {
  CheckoutAPI,
  Client,
  type Config,
  EnvironmentEnum,
  HttpClientException,
  Types,
} from '@adyen/api-library';
import { schemaErrors } from '@payin/provider-wire/adyen/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulators } from '../src/server.js';
import { API_KEY, MERCHANT, startTestEmulators } from './harness.js';

type ClientInterface = NonNullable<ConstructorParameters<typeof Client>[1]>;
type RequestOptions = NonNullable<Parameters<ClientInterface['request']>[4]>;
const { CardDetails, PaymentCaptureResponse, PaymentCancelResponse, PaymentRefundResponse, PaymentResponse } =
  Types.checkout;

/**
 * The library's own transport (HttpURLConnectionClient) opens every connection with
 * `https.request` and an `https.Agent`, so against the emulator's plain-http listener it fails
 * before sending anything (ERR_INVALID_PROTOCOL: Protocol "http:" not supported). The library lets
 * a caller bring its own transport through `ClientInterface`; this one is fetch, sending the headers
 * the library's client sends (X-API-Key, Content-Type, Idempotency-Key from `idempotencyKey`). URLs,
 * serialisation and typed answers stay the library's own; the one part copied is how its client
 * turns an Adyen error body into HttpClientException (status, errorCode, apiError), so a caller
 * catches the same exception it would from Adyen.
 */
class FetchHttpClient implements ClientInterface {
  readonly sent: { url: string; headers: Record<string, string> }[] = [];

  async request(
    endpoint: string,
    json: string | Buffer,
    config: Config,
    isApiKeyRequired: boolean,
    requestOptions: RequestOptions = {},
  ): Promise<string> {
    if (isApiKeyRequired && !config.apiKey) throw new HttpClientException({ message: 'No X-API-Key' });
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      ...(requestOptions.headers as Record<string, string> | undefined),
    };
    if (config.apiKey) headers['X-API-Key'] = config.apiKey;
    if (requestOptions.idempotencyKey) headers['Idempotency-Key'] = requestOptions.idempotencyKey;
    const url = new URL(endpoint);
    if (requestOptions.params) {
      for (const [name, value] of new URLSearchParams(requestOptions.params))
        url.searchParams.set(name, value);
    }
    const method = requestOptions.method ?? 'POST';
    this.sent.push({ url: url.toString(), headers });
    const response = await fetch(url, {
      method,
      headers,
      body: method === 'GET' ? undefined : json.toString(),
    });
    const text = await response.text();
    if (response.ok) return text;
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (body && typeof body === 'object' && 'status' in body) {
      throw new HttpClientException({
        message: `HTTP Exception: ${body.status}. ${response.statusText}: ${body.message}`,
        statusCode: body.status,
        errorCode: body.errorCode,
        responseHeaders,
        responseBody: text,
        apiError: body,
      });
    }
    throw new HttpClientException({
      message: `HTTP Exception: ${response.status}. ${response.statusText}`,
      statusCode: response.status,
      responseHeaders,
      responseBody: text,
    });
  }
}

let emulators: RunningEmulators;

beforeAll(async () => {
  emulators = await startTestEmulators();
});
afterAll(() => emulators.close());

/**
 * A CheckoutAPI whose services talk to the emulator. The library composes every URL as
 * `${service.baseUrl}/payments…`, where baseUrl is `https://checkout-test.adyen.com/v72` set in each
 * service's constructor (private in the typings, hence the cast), and CheckoutAPI's getters build a
 * new service each time, so the caller keeps the instance whose baseUrl it changed.
 */
function checkoutFor(apiKey = API_KEY) {
  const transport = new FetchHttpClient();
  const client = new Client({ environment: EnvironmentEnum.TEST, apiKey }, transport);
  const checkout = new CheckoutAPI(client);
  const base = `${emulators.url}/adyen/checkout/v72`;
  const payments = checkout.PaymentsApi;
  const modifications = checkout.ModificationsApi;
  (payments as unknown as { baseUrl: string }).baseUrl = base;
  (modifications as unknown as { baseUrl: string }).baseUrl = base;
  return { payments, modifications, transport };
}

function cardPayment(
  number: string,
  extra: Partial<Types.checkout.PaymentRequest> = {},
  holderName = 'J. Smith',
): Types.checkout.PaymentRequest {
  return {
    merchantAccount: MERCHANT,
    amount: { currency: 'EUR', value: 1999 },
    reference: `order-${Math.random().toString(36).slice(2)}`,
    returnUrl: 'https://shop.example/return',
    channel: Types.checkout.PaymentRequest.ChannelEnum.Web,
    paymentMethod: {
      type: CardDetails.TypeEnum.Scheme,
      number,
      expiryMonth: '03',
      expiryYear: '2030',
      cvc: '737',
      holderName,
    },
    ...extra,
  };
}

async function ledger(pspReference: string) {
  const response = await fetch(`${emulators.url}/_control/adyen/ledger?pspReference=${pspReference}`);
  return ((await response.json()) as { payments: any[] }).payments[0];
}

describe('the official Adyen Node library against the emulator', () => {
  it('lists payment methods', async () => {
    const { payments, transport } = checkoutFor();
    const answer = await payments.paymentMethods({ merchantAccount: MERCHANT });
    expect(transport.sent[0]?.url).toBe(`${emulators.url}/adyen/checkout/v72/paymentMethods`);
    expect(answer.paymentMethods?.[0]).toMatchObject({ type: 'scheme', brands: ['visa', 'mc', 'amex'] });
  });

  it('authorises the Visa test card, and the same Idempotency-Key answers the same payment', async () => {
    const { payments, transport } = checkoutFor();
    const request = cardPayment('4111111111111111');
    const idempotencyKey = crypto.randomUUID();
    const first = await payments.payments(request, { idempotencyKey });
    expect(transport.sent[0]?.headers['Idempotency-Key']).toBe(idempotencyKey);
    expect(first.resultCode).toBe(PaymentResponse.ResultCodeEnum.Authorised);
    expect(first.pspReference).toMatch(/^[A-Z0-9]{16}$/);
    expect(first.merchantReference).toBe(request.reference);
    expect(first.amount).toEqual({ currency: 'EUR', value: 1999 });

    const again = await payments.payments(request, { idempotencyKey });
    expect(again.pspReference).toBe(first.pspReference);
    expect(again.resultCode).toBe(PaymentResponse.ResultCodeEnum.Authorised);
    // One payment on the books, not two.
    expect((await ledger(first.pspReference ?? '')).authorised).toBe(1999);
    const another = await payments.payments(request, { idempotencyKey: crypto.randomUUID() });
    expect(another.pspReference).not.toBe(first.pspReference);
  });

  it('follows a 3DS2 challenge through the redirect action and completes it with paymentsDetails', async () => {
    const { payments } = checkoutFor();
    const started = await payments.payments(cardPayment('4917610000000000'));
    expect(started.resultCode).toBe(PaymentResponse.ResultCodeEnum.RedirectShopper);
    const action = started.action as Types.checkout.CheckoutRedirectAction;
    expect(action.type).toBe(Types.checkout.CheckoutRedirectAction.TypeEnum.Redirect);
    expect(action.method).toBe('GET');
    expect(action.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/adyen\/threeDS\/redirect\?token=/);

    // The shopper's browser: the page, then the "Complete" button, back to returnUrl.
    const page = await fetch(action.url ?? '');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(started.pspReference);
    const done = await fetch(action.url ?? '', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete',
      redirect: 'manual',
    });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get('location') ?? '');
    expect(back.origin + back.pathname).toBe('https://shop.example/return');
    const redirectResult = back.searchParams.get('redirectResult') ?? '';
    expect(redirectResult).not.toBe('');

    const details = await payments.paymentsDetails({ details: { redirectResult } });
    expect(details.resultCode).toBe(Types.checkout.PaymentDetailsResponse.ResultCodeEnum.Authorised);
    expect(details.pspReference).toBe(started.pspReference);
    expect(schemaErrors('PaymentDetailsResponse', details)).toEqual([]);
  });

  it('captures part of a manual-capture payment, refunds it, and cancels another payment', async () => {
    const { payments, modifications } = checkoutFor();
    const manual = { additionalData: { manualCapture: 'true' } };
    const paid = await payments.payments(cardPayment('4111111111111111', manual));
    expect(paid.resultCode).toBe(PaymentResponse.ResultCodeEnum.Authorised);
    const psp = paid.pspReference ?? '';

    const capture = await modifications.captureAuthorisedPayment(
      psp,
      { merchantAccount: MERCHANT, amount: { currency: 'EUR', value: 1200 }, reference: 'cap-1' },
      { idempotencyKey: crypto.randomUUID() },
    );
    expect(capture.status).toBe(PaymentCaptureResponse.StatusEnum.Received);
    expect(capture.paymentPspReference).toBe(psp);
    expect(capture.amount).toEqual({ currency: 'EUR', value: 1200 });
    expect(capture.reference).toBe('cap-1');
    expect(capture.pspReference).not.toBe(psp);

    const refund = await modifications.refundCapturedPayment(psp, {
      merchantAccount: MERCHANT,
      amount: { currency: 'EUR', value: 700 },
    });
    expect(refund.status).toBe(PaymentRefundResponse.StatusEnum.Received);
    expect(refund.paymentPspReference).toBe(psp);
    expect(await ledger(psp)).toMatchObject({ authorised: 1999, captured: 1200, refunded: 700 });

    const other = await payments.payments(cardPayment('4111111111111111', manual));
    const otherPsp = other.pspReference ?? '';
    const cancel = await modifications.cancelAuthorisedPaymentByPspReference(otherPsp, {
      merchantAccount: MERCHANT,
    });
    expect(cancel.status).toBe(PaymentCancelResponse.StatusEnum.Received);
    expect(cancel.paymentPspReference).toBe(otherPsp);
    expect(await ledger(otherPsp)).toMatchObject({ cancelled: true, captured: 0 });
  });

  it('exposes a refusal through refusalReason and refusalReasonCode', async () => {
    const { payments } = checkoutFor();
    const refused = await payments.payments(cardPayment('4111111111111111', {}, 'NOT_ENOUGH_BALANCE'));
    expect(refused.resultCode).toBe(PaymentResponse.ResultCodeEnum.Refused);
    expect(refused.refusalReason).toBe('Not enough balance');
    expect(refused.refusalReasonCode).toBe('12');
  });

  it('throws HttpClientException with 401 and the errorCode Adyen sends for a wrong API key', async () => {
    const { payments } = checkoutFor('not_the_key');
    const error = await payments.payments(cardPayment('4111111111111111')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpClientException);
    const exception = error as HttpClientException;
    expect(exception.statusCode).toBe(401);
    expect(exception.errorCode).toBe('000');
    expect(exception.apiError).toMatchObject({ errorType: 'security', status: 401 });
  });
});
