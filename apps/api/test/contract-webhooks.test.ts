import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * API.md "Events and webhooks": each delivery is a POST of the event JSON signed with
 * `Payin-Signature: t=…,v1=HMAC-SHA256("<t>.<raw body>", secret)`; only the subscribed types
 * are sent; every attempt is recorded and visible; a failed attempt is retried later.
 * The api runs the worker's jobs inside it (embedded mode), so deliveries happen on their own.
 */

interface Received {
  path: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}

/** A merchant's webhook receiver on a local port: records every request, answers as told. */
function startReceiver() {
  const received: Received[] = [];
  const answers: Record<string, number[]> = {};
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({
        path,
        method: req.method ?? '',
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      res.statusCode = answers[path]?.shift() ?? 200;
      if (res.statusCode >= 300 && res.statusCode < 400) res.setHeader('location', '/redirected');
      res.end('ok');
    });
  });
  return new Promise<{
    url: string;
    received: Received[];
    answers: Record<string, number[]>;
    close(): Promise<void>;
  }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        received,
        answers,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `find` returns something (deadline ~20 s, for the background delivery job). */
async function eventually<T>(find: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const found = await find();
    if (found !== undefined) return found;
    await sleep(200);
  }
  throw new Error(`gave up waiting for ${what}`);
}

let t: TestApi;
let m: TestMerchant;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestApi();
  m = await t.merchant('Webhooks Shop');
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const bodiesAt = (path: string) =>
  receiver.received
    .filter((r) => r.path === path)
    .map((r) => ({ ...r, event: JSON.parse(r.raw) as { id: string; type: string } }));

describe('webhook deliveries', () => {
  it('POSTs the event JSON, exactly as GET /v1/events/{id} shows it, signed with the endpoint secret', async () => {
    const endpoint = await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/signed`,
      enabled_events: ['payment.succeeded', 'refund.succeeded'],
    });
    expect(endpoint.status, endpoint.text).toBe(200);
    const secret = endpoint.body.secret as string;

    const payment = await m.post('/v1/payments', {
      amount: 1999,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(payment.body.status).toBe('succeeded');
    const delivered = await eventually(
      () => bodiesAt('/signed').find((r) => r.event.type === 'payment.succeeded'),
      'the payment.succeeded webhook',
    );

    expect(delivered.method).toBe('POST');
    expect(String(delivered.headers['content-type'])).toMatch(/^application\/json/);
    const event = await m.get(`/v1/events/${delivered.event.id}`);
    expect(event.status).toBe(200);
    expect(JSON.parse(delivered.raw)).toEqual(event.body);
    expect(event.body.data.object).toMatchObject({ id: payment.body.id, status: 'succeeded' });

    const header = String(delivered.headers['payin-signature'] ?? '');
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
    expect(match, header).not.toBeNull();
    const [, timestamp, signature] = match as RegExpExecArray;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(300);
    const expected = createHmac('sha256', secret).update(`${timestamp}.${delivered.raw}`).digest('hex');
    expect(signature).toBe(expected);
  });

  it('sends only the event types the endpoint subscribed to', async () => {
    await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/only-refunds`,
      enabled_events: ['refund.succeeded'],
    });
    const payment = await m.post('/v1/payments', {
      amount: 1500,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const refund = await m.post('/v1/refunds', { payment: payment.body.id, amount: 500 });
    expect(refund.body.status).toBe('succeeded');
    // Events are relayed in order: once the refund's arrives, the payment's would have too.
    await eventually(
      () => bodiesAt('/only-refunds').find((r) => r.event.type === 'refund.succeeded'),
      'the refund.succeeded webhook',
    );
    expect(bodiesAt('/only-refunds').map((r) => r.event.type)).toEqual(['refund.succeeded']);
  });

  it("sends every event type to a '*' endpoint, each event once", async () => {
    await m.post('/v1/webhook_endpoints', { url: `${receiver.url}/all`, enabled_events: ['*'] });
    const payment = await m.post('/v1/payments', {
      amount: 1200,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await eventually(
      () => (bodiesAt('/all').some((r) => r.event.type === 'payment.succeeded') ? true : undefined),
      'the payment.succeeded webhook on the * endpoint',
    );
    const forPayment = bodiesAt('/all').filter(
      (r) => (JSON.parse(r.raw) as { data: { object: { id: string } } }).data.object.id === payment.body.id,
    );
    expect(forPayment.map((r) => r.event.type)).toEqual([
      'payment.created',
      'payment.processing',
      'payment.succeeded',
    ]);
    expect(new Set(forPayment.map((r) => r.event.id)).size).toBe(3);
  });

  it('records every attempt, visible in GET /v1/webhook_endpoints/{id}/deliveries, and schedules a retry after a failure', async () => {
    receiver.answers['/flaky'] = [500];
    const endpoint = await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/flaky`,
      enabled_events: ['payment.canceled'],
    });
    const payment = await m.post('/v1/payments', { amount: 800, currency: 'EUR' });
    await m.post(`/v1/payments/${payment.body.id}/cancel`);

    const delivery = await eventually(async () => {
      const res = await m.get(`/v1/webhook_endpoints/${endpoint.body.id}/deliveries`);
      expect(res.status).toBe(200);
      const found = (res.body.data as { attempts: unknown[] }[])[0];
      return found && found.attempts.length > 0 ? res.body.data[0] : undefined;
    }, 'a recorded delivery attempt');

    expect(delivery).toMatchObject({
      object: 'webhook_delivery',
      webhook_endpoint: endpoint.body.id,
      status: 'pending',
      attempt_count: 1,
    });
    expect(delivery.id).toEqual(expect.any(String));
    expect(Number.isInteger(delivery.created)).toBe(true);
    expect(delivery.livemode).toBe(false);
    expect(delivery.attempts[0]).toMatchObject({ status_code: 500 });
    expect(delivery.next_attempt).toBeGreaterThan(delivery.attempts[0].attempted);
    const event = await m.get(`/v1/events/${delivery.event}`);
    expect(event.body).toMatchObject({ type: 'payment.canceled', data: { object: { id: payment.body.id } } });
  });

  it('counts a redirect as a failed attempt and does not follow it', async () => {
    receiver.answers['/moved'] = [302];
    const endpoint = await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/moved`,
      enabled_events: ['payment.created'],
    });
    await m.post('/v1/payments', { amount: 450, currency: 'EUR' });
    const delivery = await eventually(async () => {
      const data = (await m.get(`/v1/webhook_endpoints/${endpoint.body.id}/deliveries`)).body.data as {
        status: string;
        attempts: { status_code: number | null }[];
      }[];
      return data[0]?.attempts.length ? data[0] : undefined;
    }, 'the redirected delivery attempt');
    expect(delivery.status).toBe('pending');
    expect(delivery.attempts[0]?.status_code).toBe(302);
    expect(bodiesAt('/moved')).toHaveLength(1);
    expect(receiver.received.filter((r) => r.path === '/redirected')).toEqual([]);
  });

  it('stops delivering to a deleted endpoint', async () => {
    const endpoint = await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/deleted`,
      enabled_events: ['*'],
    });
    expect((await m.del(`/v1/webhook_endpoints/${endpoint.body.id}`)).status).toBe(200);
    // A live endpoint created after it proves the events were relayed meanwhile.
    await m.post('/v1/webhook_endpoints', {
      url: `${receiver.url}/witness`,
      enabled_events: ['payment.created'],
    });
    await m.post('/v1/payments', { amount: 300, currency: 'EUR' });
    await eventually(() => (bodiesAt('/witness').length > 0 ? true : undefined), 'the witness webhook');
    expect(bodiesAt('/deleted')).toEqual([]);
  });
});
