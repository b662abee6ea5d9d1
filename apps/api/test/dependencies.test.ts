import amqp, { type ConsumeMessage } from 'amqplib';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApi } from './harness.js';
import { TcpProxy } from './tcp-proxy.js';

/**
 * Configured dependencies that go away: /readyz says so (503), payments go on, and no event
 * is lost — it reaches the broker once the broker is back.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const redisUrl = process.env.REDIS_URL;
const amqpUrl = process.env.AMQP_URL;

describe.runIf(!!redisUrl)('with Redis', () => {
  it('counts the merchant budget in Redis, where every api replica sees it', async () => {
    const prefix = `payin-shared-${process.pid}`;
    const a = await startTestApi({ PAYIN_REDIS_PREFIX: prefix });
    cleanups.push(() => a.close());
    const m = await a.merchant('Shared budget');
    await a.request('POST', `/admin/v1/merchants/${m.id}`, { key: a.adminToken, body: { rate_limit: 3 } });
    await new Promise((r) => setTimeout(r, 1100)); // a fresh one-second window
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await m.get('/v1/payments?limit=1')).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);

    const redis = new Redis(redisUrl as string);
    cleanups.push(async () => redis.disconnect());
    const keys = await redis.keys(`${prefix}:rl:merchant:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.endsWith(m.id))).toBe(true);
  });

  it('answers /readyz 503 while Redis is away and keeps taking payments', async () => {
    const target = new URL(redisUrl as string);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    cleanups.push(() => proxy.stop());
    const t = await startTestApi({ REDIS_URL: `redis://127.0.0.1:${port}` });
    cleanups.push(() => t.close());
    const m = await t.merchant();
    expect((await t.request('GET', '/readyz')).status).toBe(200);

    await proxy.stop();
    await eventually(async () => (await t.request('GET', '/readyz')).status === 503, 'readyz 503');
    const ready = await t.request('GET', '/readyz');
    expect(ready.body.checks.redis).toBe('unavailable');
    const paid = await m.post('/v1/payments', {
      amount: 500,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe('succeeded');

    await proxy.start();
    await eventually(async () => (await t.request('GET', '/readyz')).status === 200, 'readyz 200 again');
  });
});

describe.runIf(!!amqpUrl)('with RabbitMQ', () => {
  it('publishes every event, and loses none while the broker is away', async () => {
    const target = new URL(amqpUrl as string);
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5672));
    const port = await proxy.start();
    cleanups.push(() => proxy.stop());
    const proxied = new URL(amqpUrl as string);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(port);

    // Our own consumer connects to the broker directly, not through the proxy.
    const connection = await amqp.connect(amqpUrl as string);
    cleanups.push(() => connection.close());
    const channel = await connection.createChannel();
    await channel.assertExchange('payin.events', 'topic', { durable: true });
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    await channel.bindQueue(queue, 'payin.events', 'payment.#');
    const received: ConsumeMessage[] = [];
    await channel.consume(queue, (msg) => msg && received.push(msg), { noAck: true });

    const t = await startTestApi({ AMQP_URL: proxied.toString() });
    cleanups.push(() => t.close());
    const m = await t.merchant();
    const first = await m.post('/v1/payments', {
      amount: 700,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await eventually(
      async () =>
        received.some(
          (r) =>
            JSON.parse(r.content.toString()).data.object.id === first.body.id &&
            r.fields.routingKey === 'payment.succeeded',
        ),
      'first payment published',
    );
    expect((await t.request('GET', '/readyz')).body.checks.broker).toBe('ok');

    await proxy.stop();
    const during = await m.post('/v1/payments', {
      amount: 800,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(during.status).toBe(200);
    await eventually(
      async () => (await t.request('GET', '/readyz')).status === 503,
      'readyz 503 without broker',
    );

    await proxy.start();
    await eventually(
      async () =>
        received.some(
          (r) =>
            JSON.parse(r.content.toString()).data.object.id === during.body.id &&
            r.fields.routingKey === 'payment.succeeded',
        ),
      'the event written while the broker was away',
      40_000,
    );
    // Every event of that payment arrived, each with its event id as message id.
    const events = await m.get(`/v1/events?limit=100`);
    const ids = events.body.data
      .filter((e: any) => e.data.object.id === during.body.id)
      .map((e: any) => e.id);
    const delivered = new Set(received.map((r) => r.properties.messageId));
    for (const id of ids) expect(delivered.has(id), id).toBe(true);
    for (const r of received) expect(r.properties.deliveryMode).toBe(2);
  }, 90_000);
});
