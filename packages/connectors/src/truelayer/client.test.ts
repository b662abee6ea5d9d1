import { generateKeyPairSync } from 'node:crypto';
import { type HttpMethod, verify } from 'truelayer-signing';
import { describe, expect, it } from 'vitest';
import type { TrueLayerAccount } from './account.js';
import { callOutcome, idempotencyKeyFor, TrueLayerClient } from './client.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const account: TrueLayerAccount = {
  id: 'ca_tl',
  livemode: false,
  authEndpoint: 'https://auth.example',
  apiEndpoint: 'https://api.example',
  hppEndpoint: 'https://hpp.example',
  merchantAccountId: 'ma',
  signingKeyId: 'kid-1',
  clientId: 'client',
  clientSecret: 'secret',
  signingPrivateKey: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const problem = (status: number, title: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    type: 'https://docs.truelayer.com/docs/error-types#x',
    title,
    status,
    trace_id: 'tr-1',
    ...extra,
  });

/** A TrueLayer stand-in answering the token route and, for the API, as the test scripts it. */
function fakeTrueLayer(api: (request: Request) => Response | Promise<Response>) {
  const seen: Request[] = [];
  let tokens = 0;
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    seen.push(request.clone());
    if (request.url === 'https://auth.example/connect/token') {
      tokens += 1;
      await new Promise((done) => setTimeout(done, 5));
      return json(200, {
        access_token: `token-${tokens}`,
        expires_in: 3600,
        token_type: 'Bearer',
        scope: 'payments',
      });
    }
    return api(request);
  }) as typeof fetch;
  return { fetchImpl, seen, tokens: () => tokens };
}

describe('callOutcome', () => {
  it('takes a 2xx as the answer, with or without a body', () => {
    expect(callOutcome(201, '{"id":"p1"}')).toEqual({ kind: 'answered', status: 201, body: { id: 'p1' } });
    expect(callOutcome(202, '')).toEqual({ kind: 'answered', status: 202, body: undefined });
  });

  it('never takes a 2xx it cannot read as an answer', () => {
    expect(callOutcome(200, '<html>').kind).toBe('unknown');
  });

  it('reads a 4xx as a refusal, with the problem’s title, detail and trace id for the log', () => {
    const call = callOutcome(
      400,
      problem(400, 'Invalid Parameters', {
        detail: 'Some fields are invalid.',
        errors: { currency: ['Must be one of GBP, EUR.'] },
      }),
    );
    expect(call).toMatchObject({
      kind: 'rejected',
      status: 400,
      error: { code: 'processing_error' },
      problem: { title: 'Invalid Parameters', trace_id: 'tr-1' },
    });
    expect(call.kind === 'rejected' && call.detail).toBe(
      'TrueLayer answered 400 Invalid Parameters: Some fields are invalid. [currency: Must be one of GBP, EUR.] (trace_id tr-1)',
    );
  });

  it('reads refused credentials as such', () => {
    expect(callOutcome(401, problem(401, 'Unauthenticated'))).toMatchObject({
      kind: 'rejected',
      error: { message: expect.stringContaining('credentials') },
    });
  });

  it('stays unknown when the key’s first request is still running or went with another body', () => {
    expect(callOutcome(409, problem(409, 'Idempotency-Key Concurrency Conflict')).kind).toBe('unknown');
    expect(callOutcome(422, problem(422, 'Idempotency-Key Reuse')).kind).toBe('unknown');
  });

  it('reads a 429 as not done, and a 5xx or an unexplained status as unknown', () => {
    expect(callOutcome(429, problem(429, 'Too Many Requests')).kind).toBe('not_sent');
    expect(callOutcome(500, problem(500, 'Unknown Error'))).toMatchObject({ kind: 'unknown', status: 500 });
    expect(callOutcome(502, 'Bad gateway').kind).toBe('unknown');
  });
});

describe('idempotencyKeyFor', () => {
  it('is the same on every retry, another for each step and each payin key, and a UUID', () => {
    const key = idempotencyKeyFor('create_payment', 'att_1');
    expect(idempotencyKeyFor('create_payment', 'att_1')).toBe(key);
    expect(idempotencyKeyFor('cancel_payment', 'att_1')).not.toBe(key);
    expect(idempotencyKeyFor('create_payment', 'att_2')).not.toBe(key);
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('TrueLayerClient', () => {
  it('fetches one token for calls made together, and keeps it for the next ones', async () => {
    const tl = fakeTrueLayer(() => json(200, { id: 'p1', status: 'executed' }));
    const client = new TrueLayerClient(account, { timeoutMs: 1000, fetch: tl.fetchImpl });
    await Promise.all([
      client.get('/v3/payments/p1'),
      client.get('/v3/payments/p1'),
      client.get('/v3/payments/p1'),
    ]);
    await client.get('/v3/payments/p1');
    expect(tl.tokens()).toBe(1);
    const tokenRequest = tl.seen.find((r) => r.url.endsWith('/connect/token'));
    expect(Object.fromEntries(new URLSearchParams(await tokenRequest?.text()))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client',
      client_secret: 'secret',
      scope: 'payments',
    });
    const apiCalls = tl.seen.filter((r) => r.url.startsWith('https://api.example'));
    expect(apiCalls.every((r) => r.headers.get('authorization') === 'Bearer token-1')).toBe(true);
  });

  it('renews the token shortly before it expires', async () => {
    let now = 0;
    const tl = fakeTrueLayer(() => json(200, {}));
    const client = new TrueLayerClient(account, { timeoutMs: 1000, fetch: tl.fetchImpl, now: () => now });
    await client.get('/v3/payments/p1');
    now = 3_539_000; // still good, a second before the renewal margin
    await client.get('/v3/payments/p1');
    expect(tl.tokens()).toBe(1);
    now = 3_541_000; // within the last minute of an hour's token
    await client.get('/v3/payments/p1');
    expect(tl.tokens()).toBe(2);
  });

  it('takes a new token once when TrueLayer no longer takes the cached one', async () => {
    const tl = fakeTrueLayer((request) =>
      request.headers.get('authorization') === 'Bearer token-1'
        ? new Response(problem(401, 'Unauthenticated'), { status: 401 })
        : json(200, { id: 'p1' }),
    );
    const client = new TrueLayerClient(account, { timeoutMs: 1000, fetch: tl.fetchImpl });
    await client.get('/v3/payments/p0');
    const call = await client.get('/v3/payments/p1');
    expect(call.kind).toBe('answered');
    expect(tl.tokens()).toBe(2);
  });

  it('signs a POST over its path, its Idempotency-Key and its body exactly as sent', async () => {
    const tl = fakeTrueLayer(() => json(201, { id: 'p1' }));
    const client = new TrueLayerClient(account, { timeoutMs: 1000, fetch: tl.fetchImpl });
    await client.post('/v3/payments', { amount_in_minor: 1, currency: 'EUR' }, 'key-1');
    const sent = tl.seen.find((r) => r.url === 'https://api.example/v3/payments') as Request;
    const body = await sent.text();
    expect(sent.headers.get('idempotency-key')).toBe('key-1');
    const publicKeyPem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
    const check = (path: string, text: string) =>
      verify({
        publicKeyPem,
        signature: sent.headers.get('tl-signature') ?? '',
        method: 'POST' as HttpMethod,
        path,
        body: text,
        headers: { 'Idempotency-Key': 'key-1' },
        requiredHeaders: ['Idempotency-Key'],
      });
    expect(() => check('/v3/payments', body)).not.toThrow();
    expect(() => check('/v3/payments', body.replace('1', '2'))).toThrow();
  });

  it('sends nothing to the API when the token is refused, and says the credentials were', async () => {
    let apiCalls = 0;
    const fetchImpl = (async (input: RequestInfo | URL) => {
      if (String(input).endsWith('/connect/token')) return json(401, { error: 'invalid_client' });
      apiCalls += 1;
      return json(200, {});
    }) as typeof fetch;
    const client = new TrueLayerClient(account, { timeoutMs: 1000, fetch: fetchImpl });
    const call = await client.post('/v3/payments', {}, 'k');
    expect(call).toMatchObject({
      kind: 'rejected',
      error: { message: expect.stringContaining('credentials') },
    });
    expect(apiCalls).toBe(0);
  });

  it('tells a connection never made from an answer that did not come', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    const client = (fail: () => Promise<Response>) =>
      new TrueLayerClient(account, {
        timeoutMs: 1000,
        fetch: (async (input: RequestInfo | URL) =>
          String(input).endsWith('/connect/token')
            ? json(200, { access_token: 't', expires_in: 3600 })
            : fail()) as typeof fetch,
      });
    expect((await client(() => Promise.reject(refused)).get('/x')).kind).toBe('not_sent');
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    expect((await client(() => Promise.reject(reset)).get('/x')).kind).toBe('unknown');
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(await client(() => Promise.reject(timeout)).get('/x')).toMatchObject({
      kind: 'unknown',
      timedOut: true,
    });
  });
});
