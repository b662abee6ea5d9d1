import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ForwardOutcome } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdyenAccount } from './account.js';
import { AdyenClient, callOutcome, forwardedOutcome } from './client.js';

describe('callOutcome', () => {
  it('reads a 2xx with a JSON body as answered', () => {
    expect(callOutcome(200, '{"pspReference":"P1","status":"received"}')).toEqual({
      kind: 'answered',
      body: { pspReference: 'P1', status: 'received' },
    });
    expect(callOutcome(201, '{"a":1}')).toEqual({ kind: 'answered', body: { a: 1 } });
  });

  it('keeps a 2xx without a readable body unknown', () => {
    expect(callOutcome(200, '')).toMatchObject({ kind: 'unknown' });
    expect(callOutcome(200, '<html>ok</html>')).toMatchObject({ kind: 'unknown' });
    for (const text of ['null', '"received"', '42'])
      expect(callOutcome(200, text)).toMatchObject({ kind: 'unknown' });
  });

  it('reads 401 and 403 as a refusal of the credentials', () => {
    for (const status of [401, 403]) {
      const call = callOutcome(
        status,
        JSON.stringify({
          status,
          errorCode: '000',
          message: 'HTTP Status Response - Unauthorized',
          errorType: 'security',
        }),
      );
      expect(call).toMatchObject({ kind: 'rejected', errorCode: '000', error: { code: 'processing_error' } });
      if (call.kind !== 'rejected') throw new Error('not rejected');
      expect(call.error.message).toMatch(/credentials/);
      expect(call.error.declineCode).toBeUndefined();
    }
    expect(callOutcome(401, '')).toMatchObject({ kind: 'rejected', error: { code: 'processing_error' } });
  });

  it('reads a 422 idempotency conflict (704) as unknown: the first request with the key decides', () => {
    const call = callOutcome(
      422,
      JSON.stringify({
        status: 422,
        errorCode: '704',
        message: 'request already processed or in progress',
        errorType: 'validation',
      }),
    );
    expect(call.kind).toBe('unknown');
    if (call.kind !== 'unknown') throw new Error('not unknown');
    expect(call.reason).toContain('704');
    expect(call.status).toBeUndefined();
  });

  it('reads card validation codes as card declines', () => {
    const body = (errorCode: string) =>
      JSON.stringify({ status: 422, errorCode, message: 'x', errorType: 'validation' });
    expect(callOutcome(422, body('101'))).toMatchObject({
      kind: 'rejected',
      errorCode: '101',
      error: { code: 'card_declined', declineCode: 'incorrect_number' },
    });
    expect(callOutcome(422, body('102'))).toMatchObject({
      kind: 'rejected',
      error: { code: 'card_declined', declineCode: 'card_not_supported' },
    });
    expect(callOutcome(422, body('103'))).toMatchObject({
      kind: 'rejected',
      error: { code: 'card_declined', declineCode: 'incorrect_cvc' },
    });
  });

  it("reads other 4xx as a refusal of the request, with Adyen's message", () => {
    const call = callOutcome(
      400,
      JSON.stringify({
        status: 400,
        errorCode: '702',
        message: 'Structure of PaymentRequest contains errors',
        errorType: 'validation',
      }),
    );
    expect(call).toMatchObject({ kind: 'rejected', errorCode: '702', error: { code: 'processing_error' } });
    if (call.kind !== 'rejected') throw new Error('not rejected');
    expect(call.error.message).toContain('Structure of PaymentRequest contains errors');
    expect(call.error.declineCode).toBeUndefined();
    expect(callOutcome(404, 'not json')).toMatchObject({
      kind: 'rejected',
      error: { code: 'processing_error', message: expect.stringContaining('HTTP 404') },
    });
    // A 422 with another code than 704 is a refusal, not an unknown outcome.
    expect(
      callOutcome(422, JSON.stringify({ errorCode: '14_030', message: 'Return URL is missing.' })).kind,
    ).toBe('rejected');
  });

  it('keeps 5xx unknown, with the status', () => {
    expect(
      callOutcome(500, JSON.stringify({ status: 500, errorCode: '905', message: 'boom' })),
    ).toMatchObject({
      kind: 'unknown',
      status: 500,
      reason: expect.stringContaining('905'),
    });
    expect(callOutcome(503, '')).toMatchObject({ kind: 'unknown', status: 503 });
    expect(callOutcome(502, '<html>bad gateway</html>')).toMatchObject({ kind: 'unknown', status: 502 });
  });
});

describe('forwardedOutcome', () => {
  const answered = (status: number, body: string): ForwardOutcome => ({
    kind: 'answered',
    answer: { status, headers: { 'content-type': 'application/json' }, body },
  });

  it("reads the provider's answer through the vault as callOutcome does", () => {
    expect(forwardedOutcome(answered(200, '{"resultCode":"Authorised"}'))).toEqual({
      kind: 'answered',
      body: { resultCode: 'Authorised' },
    });
    expect(forwardedOutcome(answered(500, ''))).toMatchObject({ kind: 'unknown', status: 500 });
    expect(
      forwardedOutcome(answered(422, '{"errorCode":"103","message":"CVC is not the right length"}')),
    ).toMatchObject({ kind: 'rejected', error: { code: 'card_declined', declineCode: 'incorrect_cvc' } });
  });

  it("reads the vault's refusal as a rejection that keeps the vault's code and message", () => {
    expect(
      forwardedOutcome({ kind: 'refused', code: 'placeholder_unavailable', message: '{{tok_x.cvc}}: gone' }),
    ).toEqual({
      kind: 'rejected',
      errorCode: 'placeholder_unavailable',
      detail: '{{tok_x.cvc}}: gone',
      error: { code: 'processing_error', message: expect.stringContaining('vault') },
    });
  });

  it('keeps not_sent and unknown as they are', () => {
    expect(forwardedOutcome({ kind: 'not_sent', message: 'ECONNREFUSED' })).toEqual({
      kind: 'not_sent',
      reason: 'ECONNREFUSED',
    });
    expect(forwardedOutcome({ kind: 'unknown', message: 'timeout' })).toEqual({
      kind: 'unknown',
      reason: 'timeout',
    });
  });
});

describe('AdyenClient.post', () => {
  interface Seen {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
  }
  const seen: Seen[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        if (request.url?.endsWith('/hang')) return; // never answers
        if (request.url?.endsWith('/boom')) {
          response.writeHead(500, { 'Content-Type': 'application/json' });
          response.end(
            JSON.stringify({ status: 500, errorCode: '905', message: 'internal', errorType: 'internal' }),
          );
          return;
        }
        response.writeHead(201, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify({ pspReference: 'MOD123', status: 'received' }));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v71`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  });

  const account = (endpoint: string): AdyenAccount => ({
    id: 'ca_test',
    merchantAccount: 'PayinECOM',
    endpoint,
    apiKey: 'AQE-test-api-key',
    hmacKey: '00',
    multiplePartialCaptures: false,
  });

  it('answers a 2xx with its body, sending the API key and the Idempotency-Key', async () => {
    const client = new AdyenClient(account(base), { timeoutMs: 5_000, cards: undefined });
    const call = await client.post('/payments/PSP1/captures', { reference: 'cap_1' }, 'idem_cap_1');
    expect(call).toEqual({ kind: 'answered', body: { pspReference: 'MOD123', status: 'received' } });
    const request = seen.at(-1);
    expect(request).toMatchObject({ method: 'POST', url: '/v71/payments/PSP1/captures' });
    expect(request?.headers['idempotency-key']).toBe('idem_cap_1');
    expect(request?.headers['x-api-key']).toBe('AQE-test-api-key');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({ reference: 'cap_1' });
  });

  it('keeps a 500 unknown, with the status', async () => {
    const client = new AdyenClient(account(base), { timeoutMs: 5_000, cards: undefined });
    const call = await client.post('/boom', {}, 'idem_boom');
    expect(call).toMatchObject({ kind: 'unknown', status: 500 });
    expect(seen.at(-1)?.headers['idempotency-key']).toBe('idem_boom');
  });

  it('keeps an answer that does not come in time unknown', async () => {
    const client = new AdyenClient(account(base), { timeoutMs: 200, cards: undefined });
    const started = Date.now();
    const call = await client.post('/hang', {}, 'idem_hang');
    expect(call.kind).toBe('unknown');
    expect(Date.now() - started).toBeLessThan(5_000);
    // The request did reach the server: this is why the outcome cannot be a failure.
    expect(seen.at(-1)?.url).toBe('/v71/hang');
  });

  it('reads a refused connection as not sent', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const client = new AdyenClient(account(`http://127.0.0.1:${port}/v71`), {
      timeoutMs: 5_000,
      cards: undefined,
    });
    const call = await client.post('/payments/PSP1/cancels', {}, 'idem_cancel');
    expect(call.kind).toBe('not_sent');
    if (call.kind !== 'not_sent') throw new Error('sent');
    expect(call.reason).toContain('ECONNREFUSED');
  });

  it('sends nothing through a vault when none is configured', async () => {
    const client = new AdyenClient(account(base), { timeoutMs: 5_000, cards: undefined });
    const before = seen.length;
    const call = await client.postWithCard(
      { merchantId: 'mer_1', livemode: false },
      '/payments',
      {},
      'att_1',
    );
    expect(call.kind).toBe('not_sent');
    expect(seen.length).toBe(before);
  });
});
