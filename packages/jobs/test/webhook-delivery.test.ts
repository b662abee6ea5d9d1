import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unixSeconds } from '@payin/core';
import type { Db } from '@payin/db';
import {
  deliverDueWebhooks,
  type JobDeps,
  maxWebhookAttempts,
  nextWebhookRetryDelayMs,
  relayEvents,
  webhookRetryDelaysMs,
} from '@payin/jobs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearJobTables, openTestDatabase, type TestDatabase } from './database.js';
import { type FakeClock, fakeClock } from './fake-clock.js';
import { type MerchantReceiver, startMerchantReceiver } from './merchant-receiver.js';
import { seedEndpoint, seedEvent, seedMerchant } from './seed.js';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => clearJobTables(db));

const receivers: MerchantReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

interface Scenario {
  clock: FakeClock;
  deps: JobDeps;
  receiver: MerchantReceiver;
  endpoint: { id: string; secret: string };
  event: { id: string; object: Record<string, unknown> };
  deliveryId: string;
}

/** A merchant with one endpoint served by `receiver`, one event, relayed: one delivery due now. */
async function scenario(
  respond?: (n: number) => { status: number; body?: string },
  endpointOverrides: { url?: string; livemode?: boolean } = {},
): Promise<Scenario> {
  const clock = fakeClock();
  const deps = { db, clock };
  let secret = '';
  const receiver = await startMerchantReceiver({
    secret: () => secret,
    clock,
    ...(respond ? { respond } : {}),
  });
  receivers.push(receiver);
  const merchantId = await seedMerchant(db, clock.now());
  const livemode = endpointOverrides.livemode ?? false;
  const endpoint = await seedEndpoint(db, {
    merchantId,
    url: endpointOverrides.url ?? receiver.url,
    createdAt: clock.now(),
    livemode,
  });
  secret = endpoint.secret;
  clock.advance(1000);
  const event = await seedEvent(db, { merchantId, createdAt: clock.now(), livemode });
  await relayEvents(deps, { limit: 10, brokerConfigured: false });
  const delivery = await db
    .selectFrom('webhookDeliveries')
    .select('id')
    .where('eventId', '=', event.id)
    .executeTakeFirstOrThrow();
  return { clock, deps, receiver, endpoint, event, deliveryId: delivery.id };
}

function deliveryRow(id: string) {
  return db.selectFrom('webhookDeliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

function attemptsOf(id: string) {
  return db
    .selectFrom('webhookDeliveryAttempts')
    .selectAll()
    .where('deliveryId', '=', id)
    .orderBy('seq')
    .execute();
}

describe('deliverDueWebhooks', () => {
  it('POSTs the event as the API shows it, signed so that the merchant can verify it', async () => {
    const s = await scenario();

    const results = await deliverDueWebhooks(s.deps, { limit: 10 });

    expect(results).toEqual([{ deliveryId: s.deliveryId, outcome: 'succeeded' }]);
    expect(s.receiver.received).toHaveLength(1);
    const [hit] = s.receiver.received;
    expect(hit?.verified).toBe(true);
    expect(hit?.timestamp).toBe(unixSeconds(s.clock.now()));
    expect(hit?.headers['content-type']).toBe('application/json');
    expect(hit?.headers['user-agent']).toBe('payin-webhooks/1');
    const eventRow = await db
      .selectFrom('events')
      .select('createdAt')
      .where('id', '=', s.event.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(hit?.rawBody ?? '')).toEqual({
      id: s.event.id,
      object: 'event',
      type: 'payment.succeeded',
      created: unixSeconds(eventRow.createdAt),
      livemode: false,
      data: { object: s.event.object },
    });

    const row = await deliveryRow(s.deliveryId);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, nextAttemptAt: null });
    const attempts = await attemptsOf(s.deliveryId);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ statusCode: 200, error: null, responseBody: 'ok' });
    expect(attempts[0]?.attemptedAt).toEqual(s.clock.now());
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('retries failures on the schedule until a 2xx, and stores every attempt', async () => {
    const long = 'x'.repeat(3000);
    const s = await scenario((n) => (n < 4 ? { status: 500, body: long } : { status: 204 }));
    const sentAt: number[] = [];

    for (let attempt = 1; attempt <= 4; attempt++) {
      sentAt.push(unixSeconds(s.clock.now()));
      expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
        { deliveryId: s.deliveryId, outcome: 'retrying' },
      ]);
      const delay = nextWebhookRetryDelayMs(attempt) as number;
      expect((await deliveryRow(s.deliveryId)).nextAttemptAt).toEqual(
        new Date(s.clock.now().getTime() + delay),
      );
      // Not due one second early…
      s.clock.advance(delay - 1000);
      expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([]);
      // …due on time.
      s.clock.advance(1000);
    }
    sentAt.push(unixSeconds(s.clock.now()));
    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
      { deliveryId: s.deliveryId, outcome: 'succeeded' },
    ]);

    // 42 minutes after the event the signature still verifies: t is the time of each send.
    expect(s.receiver.received.map((r) => r.verified)).toEqual([true, true, true, true, true]);
    expect(s.receiver.received.map((r) => r.timestamp)).toEqual(sentAt);
    expect(await deliveryRow(s.deliveryId)).toMatchObject({
      status: 'succeeded',
      attempts: 5,
      nextAttemptAt: null,
    });
    const attempts = await attemptsOf(s.deliveryId);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 204]);
    expect(attempts.map((a) => unixSeconds(a.attemptedAt))).toEqual(sentAt);
    expect(attempts[0]?.responseBody).toBe('x'.repeat(1024));
    expect(attempts[4]?.responseBody).toBe('');
  });

  it('marks the delivery failed after the last attempt of the schedule', async () => {
    const s = await scenario(() => ({ status: 503 }));

    for (let attempt = 1; attempt <= maxWebhookAttempts; attempt++) {
      const [result] = await deliverDueWebhooks(s.deps, { limit: 10 });
      expect(result?.outcome).toBe(attempt < maxWebhookAttempts ? 'retrying' : 'failed');
      if (attempt < maxWebhookAttempts) s.clock.advance(webhookRetryDelaysMs[attempt - 1] as number);
    }
    s.clock.advance(7 * 24 * 60 * 60 * 1000);
    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([]);

    expect(await deliveryRow(s.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: maxWebhookAttempts,
      nextAttemptAt: null,
    });
    expect(await attemptsOf(s.deliveryId)).toHaveLength(maxWebhookAttempts);
    expect(s.receiver.received).toHaveLength(maxWebhookAttempts);
  });

  it('treats a wrong signature refused by the merchant like any other failure', async () => {
    const s = await scenario();
    await db
      .updateTable('webhookEndpoints')
      .set({ secret: 'whsec_rotated' })
      .where('id', '=', s.endpoint.id)
      .execute();

    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
      { deliveryId: s.deliveryId, outcome: 'retrying' },
    ]);

    expect(s.receiver.received.map((r) => r.verified)).toEqual([false]);
    expect((await attemptsOf(s.deliveryId)).map((a) => [a.statusCode, a.responseBody])).toEqual([
      [400, 'bad signature'],
    ]);
  });

  it('records a network error as an attempt without status code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const s = await scenario(undefined, { url: `http://127.0.0.1:${port}/hooks` });

    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
      { deliveryId: s.deliveryId, outcome: 'retrying' },
    ]);

    const [attempt] = await attemptsOf(s.deliveryId);
    expect(attempt?.statusCode).toBeNull();
    expect(attempt?.error).toContain('ECONNREFUSED');
    expect((await deliveryRow(s.deliveryId)).attempts).toBe(1);
  });

  it('lets only one of two concurrent workers send a due delivery', async () => {
    const s = await scenario();

    const [a, b] = await Promise.all([
      deliverDueWebhooks(s.deps, { limit: 10 }),
      deliverDueWebhooks(s.deps, { limit: 10 }),
    ]);

    expect([...(a ?? []), ...(b ?? [])]).toEqual([{ deliveryId: s.deliveryId, outcome: 'succeeded' }]);
    expect(s.receiver.received).toHaveLength(1);
  });

  it('hands a delivery whose worker died to another one once the lease expires', async () => {
    const s = await scenario();
    // A worker claimed it and vanished before recording anything.
    await db
      .updateTable('webhookDeliveries')
      .set({ nextAttemptAt: new Date(s.clock.now().getTime() + 60_000) })
      .where('id', '=', s.deliveryId)
      .execute();
    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([]);

    s.clock.advance(60_000);
    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
      { deliveryId: s.deliveryId, outcome: 'succeeded' },
    ]);
  });

  it('does not send the pending deliveries of a deleted endpoint', async () => {
    const s = await scenario();
    await db
      .updateTable('webhookEndpoints')
      .set({ deletedAt: s.clock.now() })
      .where('id', '=', s.endpoint.id)
      .execute();

    expect(await deliverDueWebhooks(s.deps, { limit: 10 })).toEqual([
      { deliveryId: s.deliveryId, outcome: 'failed' },
    ]);

    expect(s.receiver.received).toHaveLength(0);
    expect(await deliveryRow(s.deliveryId)).toMatchObject({
      status: 'failed',
      attempts: 0,
      nextAttemptAt: null,
    });
    expect(await attemptsOf(s.deliveryId)).toEqual([]);
  });

  it('does not connect to a live-mode host that now resolves to a private address', async () => {
    const s = await scenario(undefined, { url: 'https://hooks.merchant.example/payin', livemode: true });
    const resolved: string[] = [];

    const results = await deliverDueWebhooks(s.deps, {
      limit: 10,
      resolve: async (host) => {
        resolved.push(host);
        return [{ address: '10.1.2.3', family: 4 }];
      },
    });

    expect(results).toEqual([{ deliveryId: s.deliveryId, outcome: 'retrying' }]);
    expect(resolved).toEqual(['hooks.merchant.example']);
    const [attempt] = await attemptsOf(s.deliveryId);
    expect(attempt?.statusCode).toBeNull();
    expect(attempt?.error).toMatch(
      /^Not sent: hooks\.merchant\.example resolves to 10\.1\.2\.3, which is a private/,
    );
  });
});
