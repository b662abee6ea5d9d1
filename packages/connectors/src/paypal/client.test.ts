import { describe, expect, it } from 'vitest';
import { PayPalAccessTokens } from './account.js';
import { callOutcome, PayPalClient, paypalRequestId } from './client.js';

const ENDPOINT = 'https://api-m.sandbox.paypal.com';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records what it is asked and answers from a script (token calls answered apart). */
function scripted(answers: (Response | Error | 'hang')[], opts: { tokenTtl?: number } = {}) {
  const sent: Sent[] = [];
  let tokens = 0;
  const fetcher = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = String(input);
    if (url.endsWith('/v1/oauth2/token')) {
      tokens += 1;
      return Response.json({
        access_token: `A21AA-token-${tokens}`,
        token_type: 'Bearer',
        expires_in: opts.tokenTtl ?? 32_400,
      });
    }
    sent.push({ url, init });
    const next = answers.shift();
    if (next === 'hang') {
      return new Promise<Response>((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    }
    if (next instanceof Error) throw next;
    return next ?? Response.json({ id: 'X' });
  }) as typeof fetch;
  return { sent, fetcher, tokenCalls: () => tokens };
}

const client = (fetcher: typeof fetch, timeoutMs = 5_000) => {
  const account = { endpoint: ENDPOINT, clientId: 'client', clientSecret: 'secret' };
  return new PayPalClient(account, new PayPalAccessTokens(account, { fetch: fetcher, timeoutMs }), {
    fetch: fetcher,
    timeoutMs,
  });
};

const paypalError = (name: string, issue?: string) =>
  JSON.stringify({
    name,
    message: 'm',
    debug_id: 'abc123',
    ...(issue ? { details: [{ issue, description: `${issue} described` }] } : {}),
  });

describe('callOutcome', () => {
  it('reads 2xx with a JSON object as answered, 204 as answered without a body', () => {
    expect(callOutcome(201, '{"id":"O1"}')).toEqual({ kind: 'answered', status: 201, body: { id: 'O1' } });
    expect(callOutcome(204, '')).toEqual({ kind: 'answered', status: 204, body: undefined });
    expect(callOutcome(200, '<html>')).toMatchObject({ kind: 'unknown' });
  });

  it("reads 4xx as a refusal with PayPal's name and issue", () => {
    expect(callOutcome(422, paypalError('UNPROCESSABLE_ENTITY', 'INSTRUMENT_DECLINED'))).toEqual({
      kind: 'rejected',
      refusal: {
        status: 422,
        name: 'UNPROCESSABLE_ENTITY',
        issue: 'INSTRUMENT_DECLINED',
        description: 'INSTRUMENT_DECLINED described',
        debugId: 'abc123',
      },
      error: { code: 'payment_declined', message: expect.any(String) },
    });
    expect(callOutcome(404, paypalError('RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID'))).toMatchObject({
      kind: 'rejected',
      refusal: { status: 404, issue: 'INVALID_RESOURCE_ID' },
    });
    expect(
      callOutcome(401, '{"error":"invalid_client","error_description":"Client Authentication failed"}'),
    ).toMatchObject({
      kind: 'rejected',
      refusal: { status: 401, name: 'invalid_client' },
      error: { code: 'processing_error' },
    });
  });

  it('keeps 5xx, 409 and a request still in progress unknown', () => {
    expect(callOutcome(500, paypalError('INTERNAL_SERVER_ERROR'))).toMatchObject({
      kind: 'unknown',
      status: 500,
    });
    expect(callOutcome(503, '')).toMatchObject({ kind: 'unknown', status: 503 });
    expect(callOutcome(409, paypalError('RESOURCE_CONFLICT'))).toMatchObject({ kind: 'unknown' });
    expect(
      callOutcome(422, paypalError('UNPROCESSABLE_ENTITY', 'PREVIOUS_REQUEST_IN_PROGRESS')),
    ).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('PREVIOUS_REQUEST_IN_PROGRESS'),
    });
  });
});

describe('paypalRequestId', () => {
  it("is payin's key, or a stable digest of a key longer than PayPal takes", () => {
    expect(paypalRequestId('att_123')).toBe('att_123');
    const long = 'k'.repeat(200);
    expect(paypalRequestId(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(paypalRequestId(long)).toBe(paypalRequestId(long));
  });
});

describe('PayPalClient', () => {
  it('sends a bearer token and, on POSTs, the PayPal-Request-Id and Prefer asked for', async () => {
    const { sent, fetcher } = scripted([Response.json({ id: 'O1' }, { status: 201 })]);
    const call = await client(fetcher).call('POST', '/v2/checkout/orders', {
      body: { intent: 'CAPTURE' },
      idempotencyKey: 'att_1',
      representation: true,
    });
    expect(call).toEqual({ kind: 'answered', status: 201, body: { id: 'O1' } });
    const [request] = sent as [Sent];
    expect(request.url).toBe(`${ENDPOINT}/v2/checkout/orders`);
    const headers = request.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer A21AA-token-1');
    expect(headers['PayPal-Request-Id']).toBe('att_1');
    expect(headers.Prefer).toBe('return=representation');
    expect(JSON.parse(String(request.init.body))).toEqual({ intent: 'CAPTURE' });
  });

  it('refuses to send a POST without an idempotency key', async () => {
    const { fetcher } = scripted([]);
    await expect(client(fetcher).call('POST', '/v2/checkout/orders', {})).rejects.toThrow(/idempotency key/);
  });

  it('takes a new token once when PayPal refuses the one it has, and sends again with the same request id', async () => {
    const { sent, fetcher, tokenCalls } = scripted([
      new Response(paypalError('AUTHENTICATION_FAILURE'), { status: 401 }),
      Response.json({ id: 'O1' }, { status: 201 }),
    ]);
    const call = await client(fetcher).call('POST', '/v2/checkout/orders', {
      body: {},
      idempotencyKey: 'att_1',
    });
    expect(call.kind).toBe('answered');
    expect(tokenCalls()).toBe(2);
    expect(sent.map((s) => (s.init.headers as Record<string, string>).Authorization)).toEqual([
      'Bearer A21AA-token-1',
      'Bearer A21AA-token-2',
    ]);
    expect(sent.map((s) => (s.init.headers as Record<string, string>)['PayPal-Request-Id'])).toEqual([
      'att_1',
      'att_1',
    ]);
  });

  it('keeps an answer that does not come in time unknown, and a refused connection not sent', async () => {
    const { fetcher } = scripted(['hang']);
    expect(await client(fetcher, 100).call('GET', '/v2/checkout/orders/O1')).toMatchObject({
      kind: 'unknown',
    });
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const { fetcher: down } = scripted([refused]);
    expect(await client(down).call('GET', '/v2/checkout/orders/O1')).toMatchObject({
      kind: 'not_sent',
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { fetcher: cut } = scripted([reset]);
    expect(await client(cut).call('GET', '/v2/checkout/orders/O1')).toMatchObject({ kind: 'unknown' });
  });
});

describe('PayPalAccessTokens', () => {
  const account = { endpoint: ENDPOINT, clientId: 'client', clientSecret: 'secret' };

  it('asks once for callers that need a token at the same time, and reuses it', async () => {
    let calls = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((done) => {
      release = done;
    });
    const fetcher = (async (_input: string | URL | Request, init: RequestInit = {}) => {
      calls += 1;
      expect((init.headers as Record<string, string>).Authorization).toBe(
        `Basic ${Buffer.from('client:secret').toString('base64')}`,
      );
      expect(init.body).toBe('grant_type=client_credentials');
      await gate;
      return Response.json({ access_token: `T${calls}`, expires_in: 32_400 });
    }) as typeof fetch;
    const tokens = new PayPalAccessTokens(account, { fetch: fetcher, timeoutMs: 5_000 });
    const both = Promise.all([tokens.get(), tokens.get()]);
    release();
    expect(await both).toEqual([
      { kind: 'token', accessToken: 'T1' },
      { kind: 'token', accessToken: 'T1' },
    ]);
    expect(await tokens.get()).toEqual({ kind: 'token', accessToken: 'T1' });
    expect(calls).toBe(1);
  });

  it('renews a token five minutes before it expires', async () => {
    let now = 0;
    let calls = 0;
    const fetcher = (async () => {
      calls += 1;
      return Response.json({ access_token: `T${calls}`, expires_in: 3_600 });
    }) as typeof fetch;
    const tokens = new PayPalAccessTokens(account, { fetch: fetcher, timeoutMs: 5_000, now: () => now });
    await tokens.get();
    now = 3_600_000 - 5 * 60_000 - 1;
    expect(await tokens.get()).toEqual({ kind: 'token', accessToken: 'T1' });
    now += 1;
    expect(await tokens.get()).toEqual({ kind: 'token', accessToken: 'T2' });
  });

  it('reports refused credentials, and no token as not sent', async () => {
    const refused = (async () =>
      Response.json(
        { error: 'invalid_client', error_description: 'Client Authentication failed' },
        { status: 401 },
      )) as typeof fetch;
    expect(await new PayPalAccessTokens(account, { fetch: refused, timeoutMs: 5_000 }).get()).toEqual({
      kind: 'rejected',
      status: 401,
      error: 'invalid_client',
    });
    const broken = (async () => new Response('oops', { status: 503 })) as typeof fetch;
    expect(await new PayPalAccessTokens(account, { fetch: broken, timeoutMs: 5_000 }).get()).toMatchObject({
      kind: 'not_sent',
    });
  });
});
