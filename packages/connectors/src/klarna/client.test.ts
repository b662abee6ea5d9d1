import { describe, expect, it } from 'vitest';
import { callOutcome, KlarnaClient } from './client.js';

const error = (code: string) =>
  JSON.stringify({ error_code: code, error_messages: ['Bad value: order_amount'], correlation_id: 'c-1' });

describe('Klarna call outcomes', () => {
  it('reads a 2xx as answered, with or without a body', () => {
    expect(callOutcome(200, '{"session_id":"s1"}')).toMatchObject({
      kind: 'answered',
      body: { session_id: 's1' },
    });
    const created = callOutcome(201, '', new Headers({ 'Capture-Id': 'cap-9' }));
    expect(created).toMatchObject({ kind: 'answered', body: undefined });
    if (created.kind === 'answered') expect(created.headers.get('capture-id')).toBe('cap-9');
    expect(callOutcome(204, '')).toMatchObject({ kind: 'answered' });
  });

  it('keeps a 2xx with an unreadable body unknown', () => {
    expect(callOutcome(200, '<html>')).toMatchObject({ kind: 'unknown' });
  });

  it("reads a 4xx as refused with Klarna's code, its messages kept for the log only", () => {
    const call = callOutcome(400, error('BAD_VALUE'));
    expect(call).toMatchObject({
      kind: 'rejected',
      status: 400,
      errorCode: 'BAD_VALUE',
      error: { code: 'processing_error' },
    });
    if (call.kind !== 'rejected') throw new Error('not rejected');
    expect(call.detail).toContain('Bad value: order_amount');
    expect(call.detail).toContain('c-1');
    expect(call.error.message).not.toContain('order_amount');
  });

  it('keeps a 5xx and an idempotency conflict unknown, and a rate limit unsent', () => {
    expect(callOutcome(500, error('INTERNAL_SERVER_ERROR'))).toMatchObject({ kind: 'unknown', status: 500 });
    expect(callOutcome(503, '')).toMatchObject({ kind: 'unknown' });
    expect(callOutcome(409, error('CONFLICT'))).toMatchObject({ kind: 'unknown' });
    expect(callOutcome(429, error('TOO_MANY_REQUESTS'))).toMatchObject({ kind: 'not_sent' });
  });
});

describe('KlarnaClient', () => {
  const account = {
    id: 'ca_1',
    endpoint: 'https://api.playground.klarna.com',
    username: 'PK_1',
    password: 'pw',
  };

  it('sends Basic credentials and the idempotency key on a POST', async () => {
    let seen: { url: string; init: RequestInit } | undefined;
    const client = new KlarnaClient(account, {
      timeoutMs: 1_000,
      fetch: async (url, init) => {
        seen = { url: String(url), init: init ?? {} };
        return new Response('{"session_id":"s1"}', { status: 200 });
      },
    });
    expect(await client.post('/payments/v1/sessions', { a: 1 }, 'att_1:session')).toMatchObject({
      kind: 'answered',
    });
    expect(seen?.url).toBe('https://api.playground.klarna.com/payments/v1/sessions');
    const headers = seen?.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe(`Basic ${Buffer.from('PK_1:pw').toString('base64')}`);
    expect(headers['Klarna-Idempotency-Key']).toBe('att_1:session');
    expect(seen?.init.body).toBe('{"a":1}');
  });

  it('reads a refused connection as unsent and a timeout as unknown', async () => {
    const refused = new KlarnaClient(account, {
      timeoutMs: 1_000,
      fetch: async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      },
    });
    expect(await refused.get('/x')).toMatchObject({ kind: 'not_sent' });
    const slow = new KlarnaClient(account, {
      timeoutMs: 20,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    expect(await slow.post('/x', {}, 'k')).toMatchObject({
      kind: 'unknown',
      reason: expect.stringContaining('TimeoutError'),
    });
  });
});
