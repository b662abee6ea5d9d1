import { describe, expect, it } from 'vitest';
import { CheckoutClient, CheckoutError, type CheckoutPayment } from '../src/client.js';

const payment: CheckoutPayment = {
  id: 'pay_1',
  object: 'checkout_payment',
  amount: 4990,
  currency: 'EUR',
  formatted_amount: '€49.90',
  country: 'FR',
  status: 'succeeded',
  next_action: null,
  last_error: null,
  payment_method_details: null,
  payment_methods: [],
  return_url: null,
  created: 1,
  livemode: false,
};

interface Sent {
  url: string;
  init: RequestInit;
}

const headersOf = (sent: Sent | undefined) => (sent?.init.headers ?? {}) as Record<string, string>;

/** A fetch that answers from a script, and records what it was sent. */
function scripted(answers: (Response | Error)[]) {
  const sent: Sent[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const client = (fetch: typeof globalThis.fetch) =>
  new CheckoutClient({
    apiUrl: 'https://api.example/',
    publishableKey: 'pk_test_1',
    paymentId: 'pay_1',
    clientSecret: 'pay_1_secret_abc',
    fetch,
    retryDelayMs: 1,
  });

describe('CheckoutClient', () => {
  it('reads the payment with the publishable key and the client secret, sending no cookie', async () => {
    const { fetch, sent } = scripted([json(200, payment)]);
    expect(await client(fetch).retrieve()).toEqual(payment);
    expect(sent[0]?.url).toBe(
      'https://api.example/v1/checkout/payments/pay_1?client_secret=pay_1_secret_abc',
    );
    expect(headersOf(sent[0]).Authorization).toBe('Bearer pk_test_1');
    expect(sent[0]?.init.credentials).toBe('omit');
  });

  it('asks for the amount in its locale, on reads and on the confirmation', async () => {
    const { fetch, sent } = scripted([json(200, payment), json(200, payment)]);
    const c = new CheckoutClient({
      apiUrl: 'https://api.example',
      publishableKey: 'pk_test_1',
      paymentId: 'pay_1',
      clientSecret: 'pay_1_secret_abc',
      locale: 'fr-FR',
      fetch,
    });
    await c.retrieve();
    await c.confirm('tok_1');
    expect(new URL(sent[0]?.url ?? '').searchParams.get('locale')).toBe('fr-FR');
    expect(JSON.parse(String(sent[1]?.init.body))).toMatchObject({
      payment_method: 'tok_1',
      locale: 'fr-FR',
    });
  });

  it('sends one confirmation again with the same Idempotency-Key when the connection fails', async () => {
    const { fetch, sent } = scripted([new TypeError('Failed to fetch'), json(502, {}), json(200, payment)]);
    expect(await client(fetch).confirm('tok_1')).toEqual(payment);
    expect(sent).toHaveLength(3);
    const keys = sent.map((s) => headersOf(s)['Idempotency-Key']);
    expect(keys[0]).toMatch(/^chk_/);
    expect(new Set(keys).size).toBe(1);
    expect(JSON.parse(sent[0]?.init.body as string)).toEqual({
      client_secret: 'pay_1_secret_abc',
      payment_method: 'tok_1',
    });
  });

  it('gives each confirmation its own key', async () => {
    const { fetch, sent } = scripted([json(200, payment), json(200, payment)]);
    const c = client(fetch);
    await c.confirm('tok_1');
    await c.confirm('tok_2');
    const keys = sent.map((s) => headersOf(s)['Idempotency-Key']);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('rejects a decline with its codes, at once', async () => {
    const { fetch, sent } = scripted([
      json(402, {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
          message: 'Declined',
        },
      }),
    ]);
    const error = (await client(fetch)
      .confirm('tok_1')
      .catch((e: unknown) => e)) as CheckoutError;
    expect(error).toBeInstanceOf(CheckoutError);
    expect(error).toMatchObject({
      type: 'card_error',
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      status: 402,
    });
    expect(error.isDecline).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('gives up after its attempts with a network error', async () => {
    const { fetch, sent } = scripted([new TypeError('x'), new TypeError('x'), new TypeError('x')]);
    const error = (await client(fetch)
      .confirm('tok_1')
      .catch((e: unknown) => e)) as CheckoutError;
    expect(error.code).toBe('network_error');
    expect(sent).toHaveLength(3);
  });

  it('waits out a 409 (the same confirmation still running) and reads its answer', async () => {
    const { fetch } = scripted([
      json(409, { error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'busy' } }),
      json(200, payment),
    ]);
    expect((await client(fetch).confirm('tok_1')).status).toBe('succeeded');
  });
});
