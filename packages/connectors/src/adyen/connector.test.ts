import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  AttemptRef,
  AuthorizeRequest,
  CardTokens,
  ForwardOutcome,
  ProviderRequest,
  Scope,
} from '@payin/core';
import { schemaErrors } from '@payin/provider-wire/adyen/conformance';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AdyenAccount } from './account.js';
import { AdyenConnector } from './index.js';

/** A card vault that records what it was asked to forward and answers as scripted. */
class FakeCardTokens implements CardTokens {
  readonly forwarded: { scope: Scope; request: ProviderRequest }[] = [];
  private readonly script: ForwardOutcome[] = [];

  answer(...outcomes: ForwardOutcome[]): this {
    this.script.push(...outcomes);
    return this;
  }

  async describe(): Promise<never> {
    throw new Error('not used');
  }

  async forward(scope: Scope, request: ProviderRequest): Promise<ForwardOutcome> {
    this.forwarded.push({ scope, request });
    const next = this.script.shift();
    if (!next) throw new Error('no scripted answer left');
    return next;
  }

  /** The JSON bodies forwarded, in order. */
  bodies(): any[] {
    return this.forwarded.map((f) => JSON.parse(f.request.body ?? ''));
  }
}

const answered = (status: number, body: unknown): ForwardOutcome => ({
  kind: 'answered',
  answer: { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
});
const authorised = answered(200, {
  resultCode: 'Authorised',
  pspReference: 'QFQTPCQ8HXSKGK82',
  merchantReference: 'att_123',
});

const request: AuthorizeRequest = {
  attemptId: 'att_123',
  paymentId: 'pay_123',
  merchantId: 'mer_123',
  idempotencyKey: 'att_123',
  amount: 1999,
  currency: 'EUR',
  capture: true,
  paymentMethodType: 'card',
  locale: 'en-US',
  paymentMethod: 'tok_x',
  card: { brand: 'visa', last4: '1111' },
  providerReturnUrl: 'https://api.example/v1/return/att_123',
  country: 'NL',
  reference: 'order-1',
  livemode: false,
};

const account = (endpoint: string): AdyenAccount => ({
  id: 'ca_adyen',
  merchantAccount: 'PayinECOM',
  endpoint,
  apiKey: 'AQE-test-api-key',
  hmacKey: '00',
  multiplePartialCaptures: true,
});

const ENDPOINT = 'https://checkout-test.adyen.com/v71';

describe('AdyenConnector.authorize', () => {
  it('sends card placeholders through the vault, never card data, with the attempt as key and reference', async () => {
    const cards = new FakeCardTokens().answer(authorised);
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    const outcome = await connector.authorize(request);
    expect(outcome).toEqual({ status: 'captured', providerReference: 'QFQTPCQ8HXSKGK82' });

    expect(cards.forwarded).toHaveLength(1);
    const [{ scope, request: sent }] = cards.forwarded as [{ scope: Scope; request: ProviderRequest }];
    expect(scope).toEqual({ merchantId: 'mer_123', livemode: false });
    expect(sent.url).toBe(`${ENDPOINT}/payments`);
    expect(sent.method).toBe('POST');
    expect(sent.headers['Idempotency-Key']).toBe('att_123');
    expect(sent.headers['X-API-Key']).toBe('AQE-test-api-key');

    const body = cards.bodies()[0];
    expect(body.reference).toBe('att_123');
    expect(body.merchantAccount).toBe('PayinECOM');
    expect(body.amount).toEqual({ value: 1999, currency: 'EUR' });
    expect(body.paymentMethod).toEqual({
      type: 'scheme',
      number: '{{tok_x.number}}',
      expiryMonth: '{{tok_x.exp_month}}',
      expiryYear: '{{tok_x.exp_year}}',
      // Optional: the vault leaves out the one the token lacks (a CVC used, no holder name).
      cvc: '{{tok_x.cvc?}}',
      holderName: '{{tok_x.holder_name?}}',
    });
    expect(cards.forwarded).toHaveLength(1);
    expect(sent.body).not.toMatch(/\d{12,}/);
    expect(schemaErrors('PaymentRequest', body)).toEqual([]);
  });

  it('authorises only, for a payment captured later', async () => {
    const cards = new FakeCardTokens().answer(authorised);
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize({ ...request, capture: false })).toEqual({
      status: 'authorized',
      providerReference: 'QFQTPCQ8HXSKGK82',
    });
    const body = cards.bodies()[0];
    expect(body.additionalData).toEqual({ manualCapture: 'true' });
    expect(schemaErrors('PaymentRequest', body)).toEqual([]);
  });

  it('fails without sending again when the vault refuses for another reason', async () => {
    const cards = new FakeCardTokens().answer({
      kind: 'refused',
      code: 'host_not_allowed',
      message: 'checkout-test.adyen.com is not on the allowlist',
    });
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
    expect(cards.forwarded).toHaveLength(1);
  });

  it('fails without sending again when the vault cannot fill a required placeholder', async () => {
    const cards = new FakeCardTokens().answer({
      kind: 'refused',
      code: 'placeholder_unavailable',
      message: '{{tok_x.number}}: the token has expired',
    });
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect((await connector.authorize(request)).status).toBe('failed');
    expect(cards.forwarded).toHaveLength(1);
  });

  it('retries once after a 5xx with the same key and without the CVC, and takes the second answer', async () => {
    const cards = new FakeCardTokens().answer(
      answered(500, { status: 500, errorCode: '905', message: 'internal', errorType: 'internal' }),
      answered(200, {
        resultCode: 'Refused',
        pspReference: 'SECONDPSP',
        refusalReasonCode: '12',
        refusalReason: 'Not enough balance',
      }),
    );
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toEqual({
      status: 'failed',
      providerReference: 'SECONDPSP',
      error: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'The card was declined.' },
    });
    expect(cards.forwarded).toHaveLength(2);
    expect(cards.forwarded.map((f) => f.request.headers['Idempotency-Key'])).toEqual(['att_123', 'att_123']);
    const [first, second] = cards.bodies();
    expect(first.paymentMethod.cvc).toBe('{{tok_x.cvc?}}');
    expect(second.paymentMethod).not.toHaveProperty('cvc');
    expect(second.paymentMethod.holderName).toBe('{{tok_x.holder_name?}}');
  });

  it('stays unknown when the retry after a 5xx fails too, and retries only once', async () => {
    const cards = new FakeCardTokens().answer(answered(500, ''), answered(503, ''));
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect((await connector.authorize(request)).status).toBe('unknown');
    expect(cards.forwarded).toHaveLength(2);
  });

  it('stays unknown when the vault cannot tell whether Adyen got the request, without retrying', async () => {
    const cards = new FakeCardTokens().answer({
      kind: 'unknown',
      message: 'the provider did not answer in time',
    });
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toEqual({
      status: 'unknown',
      reason: 'the provider did not answer in time',
    });
    expect(cards.forwarded).toHaveLength(1);
  });

  it('fails with a processing error when nothing was sent', async () => {
    const cards = new FakeCardTokens().answer({ kind: 'not_sent', message: 'connect ECONNREFUSED' });
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
  });

  it('fails with a processing error when no vault is configured', async () => {
    const connector = new AdyenConnector(account(ENDPOINT), {});
    expect(await connector.authorize(request)).toMatchObject({
      status: 'failed',
      error: { code: 'processing_error' },
    });
  });

  it("reads Adyen's card number validation error as a decline", async () => {
    const cards = new FakeCardTokens().answer(
      answered(422, {
        status: 422,
        errorCode: '101',
        message: 'Invalid card number',
        errorType: 'validation',
      }),
    );
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toEqual({
      status: 'failed',
      error: {
        code: 'card_declined',
        declineCode: 'incorrect_number',
        message: 'The card number is not valid.',
      },
    });
    expect(cards.forwarded).toHaveLength(1);
  });

  it('stays unknown on an idempotency conflict', async () => {
    const cards = new FakeCardTokens().answer(
      answered(422, {
        status: 422,
        errorCode: '704',
        message: 'request already processed',
        errorType: 'validation',
      }),
    );
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect((await connector.authorize(request)).status).toBe('unknown');
  });

  it('passes a redirect on as an action', async () => {
    const cards = new FakeCardTokens().answer(
      answered(200, {
        resultCode: 'RedirectShopper',
        pspReference: 'PSP3DS',
        action: {
          type: 'redirect',
          method: 'GET',
          url: 'https://issuer.example/3ds',
          paymentMethodType: 'scheme',
        },
      }),
    );
    const connector = new AdyenConnector(account(ENDPOINT), { cards });
    expect(await connector.authorize(request)).toEqual({
      status: 'requires_action',
      providerReference: 'PSP3DS',
      action: { type: 'redirect_to_url', url: 'https://issuer.example/3ds' },
    });
  });
});

describe('AdyenConnector modifications and details', () => {
  interface Seen {
    url: string;
    headers: IncomingHttpHeaders;
    body: any;
  }
  const seen: Seen[] = [];
  /** Status and body of the next answers; a received modification otherwise. */
  const script: { status: number; body: unknown }[] = [];
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk) => {
        text += chunk;
      });
      req.on('end', () => {
        const body = JSON.parse(text);
        seen.push({ url: req.url ?? '', headers: req.headers, body });
        const next = script.shift() ?? {
          status: 201,
          body: {
            merchantAccount: body.merchantAccount,
            paymentPspReference: decodeURIComponent(req.url?.split('/')[3] ?? ''),
            pspReference: 'MODPSP',
            reference: body.reference,
            ...(body.amount ? { amount: body.amount } : {}),
            status: 'received',
          },
        };
        res.writeHead(next.status, { 'Content-Type': 'application/json' });
        res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v71`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });

  beforeEach(() => {
    seen.length = 0;
    script.length = 0;
  });

  const attempt: AttemptRef = {
    attemptId: 'att_123',
    paymentId: 'pay_123',
    providerReference: 'QFQTPCQ8HXSKGK82',
    paymentMethod: 'tok_x',
    card: { brand: 'visa', last4: '1111' },
    capture: false,
    amount: 1999,
    currency: 'EUR',
    startedAt: 0,
  };

  /** A vault that must not be used: modifications carry no card data. */
  const noVault = new FakeCardTokens();

  it('captures at /payments/{psp}/captures with the capture as reference, pending until the webhook', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    const outcome = await connector.capture({
      attempt,
      captureId: 'cap_1',
      idempotencyKey: 'cap_1',
      amount: 1500,
      final: false,
    });
    expect(outcome).toEqual({ status: 'pending', providerReference: 'MODPSP' });
    expect(seen).toHaveLength(1);
    const [sent] = seen as [Seen];
    expect(sent.url).toBe('/v71/payments/QFQTPCQ8HXSKGK82/captures');
    expect(sent.headers['idempotency-key']).toBe('cap_1');
    expect(sent.headers['x-api-key']).toBe('AQE-test-api-key');
    expect(sent.body).toEqual({
      merchantAccount: 'PayinECOM',
      amount: { value: 1500, currency: 'EUR' },
      reference: 'cap_1',
    });
    expect(schemaErrors('PaymentCaptureRequest', sent.body)).toEqual([]);
    expect(noVault.forwarded).toHaveLength(0);
  });

  it('refuses a capture that keeps the rest open when the account cancels what partial captures leave', async () => {
    const connector = new AdyenConnector(
      { ...account(endpoint), multiplePartialCaptures: false },
      { cards: noVault },
    );
    expect(connector.capabilities.multipleCaptures).toBe(false);
    const outcome = await connector.capture({
      attempt,
      captureId: 'cap_2',
      idempotencyKey: 'cap_2',
      amount: 500,
      final: false,
    });
    expect(outcome).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('multiple partial captures'),
    });
    expect(seen).toHaveLength(0);
    const final = await connector.capture({
      attempt,
      captureId: 'cap_3',
      idempotencyKey: 'cap_3',
      amount: 500,
      final: true,
    });
    expect(final).toMatchObject({ status: 'pending' });
  });

  it("refunds at /payments/{psp}/refunds with the refund as reference and the reason in Adyen's terms", async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    const outcome = await connector.refund({
      attempt,
      refundId: 're_1',
      idempotencyKey: 're_1',
      amount: 500,
      currency: 'EUR',
      reason: 'requested_by_customer',
    });
    expect(outcome).toEqual({ status: 'pending', providerReference: 'MODPSP' });
    const [sent] = seen as [Seen];
    expect(sent.url).toBe('/v71/payments/QFQTPCQ8HXSKGK82/refunds');
    expect(sent.headers['idempotency-key']).toBe('re_1');
    expect(sent.body).toEqual({
      merchantAccount: 'PayinECOM',
      amount: { value: 500, currency: 'EUR' },
      reference: 're_1',
      merchantRefundReason: 'CUSTOMER REQUEST',
    });
    expect(schemaErrors('PaymentRefundRequest', sent.body)).toEqual([]);

    for (const [reason, adyen] of [
      ['fraudulent', 'FRAUD'],
      ['duplicate', 'DUPLICATE'],
      ['something_else', 'OTHER'],
    ] as const) {
      await connector.refund({
        attempt,
        refundId: 're_2',
        idempotencyKey: 're_2',
        amount: 1,
        currency: 'EUR',
        reason,
      });
      expect(seen.at(-1)?.body.merchantRefundReason).toBe(adyen);
      expect(schemaErrors('PaymentRefundRequest', seen.at(-1)?.body)).toEqual([]);
    }
    await connector.refund({ attempt, refundId: 're_3', idempotencyKey: 're_3', amount: 1, currency: 'EUR' });
    expect(seen.at(-1)?.body).not.toHaveProperty('merchantRefundReason');
  });

  it('cancels at /payments/{psp}/cancels with the attempt as reference', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    const outcome = await connector.cancel({ attempt, idempotencyKey: 'att_123:cancel' });
    expect(outcome).toEqual({ status: 'pending', providerReference: 'MODPSP' });
    const [sent] = seen as [Seen];
    expect(sent.url).toBe('/v71/payments/QFQTPCQ8HXSKGK82/cancels');
    expect(sent.headers['idempotency-key']).toBe('att_123:cancel');
    expect(sent.body).toEqual({ merchantAccount: 'PayinECOM', reference: 'att_123' });
    expect(schemaErrors('PaymentCancelRequest', sent.body)).toEqual([]);
  });

  it('escapes the pspReference in the path, and refuses a modification of a payment Adyen never named', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    await connector.cancel({ attempt: { ...attempt, providerReference: 'A/B?C' }, idempotencyKey: 'k' });
    expect(seen.at(-1)?.url).toBe('/v71/payments/A%2FB%3FC/cancels');
    await expect(
      connector.cancel({ attempt: { ...attempt, providerReference: null }, idempotencyKey: 'k' }),
    ).rejects.toThrow(/pspReference/);
  });

  it('reads a refused modification as failed, and a 5xx or an unexpected status as unknown', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    const capture = { attempt, captureId: 'cap_1', idempotencyKey: 'cap_1', amount: 1999, final: true };
    script.push({
      status: 422,
      body: {
        status: 422,
        errorCode: '167',
        message: 'Original pspReference required for this operation',
        errorType: 'validation',
      },
    });
    expect(await connector.capture(capture)).toMatchObject({ status: 'failed' });
    script.push({ status: 500, body: '' });
    expect((await connector.capture(capture)).status).toBe('unknown');
    script.push({ status: 201, body: { pspReference: 'MODPSP', status: 'something-new' } });
    expect((await connector.capture(capture)).status).toBe('unknown');
  });

  it('completes a redirect at /payments/details with the redirect result, keyed by the attempt', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    script.push({
      status: 200,
      body: { resultCode: 'Authorised', pspReference: 'PSP3DS', merchantReference: 'att_123' },
    });
    expect(await connector.completeAction(attempt, { redirectResult: 'X6XtfGC3!Y...' })).toEqual({
      status: 'authorized',
      providerReference: 'PSP3DS',
    });
    const [sent] = seen as [Seen];
    expect(sent.url).toBe('/v71/payments/details');
    expect(sent.headers['idempotency-key']).toBe('att_123:details');
    expect(sent.body).toEqual({ details: { redirectResult: 'X6XtfGC3!Y...' } });
    expect(schemaErrors('PaymentDetailsRequest', sent.body)).toEqual([]);

    expect((await connector.completeAction(attempt, {})).status).toBe('unknown');
    expect(seen).toHaveLength(1);
  });

  it('answers pending to a status inquiry: the webhook settles it', async () => {
    const connector = new AdyenConnector(account(endpoint), { cards: noVault });
    expect(await connector.status()).toEqual({ status: 'pending' });
    expect(seen).toHaveLength(0);
  });
});
