import { randomBytes } from 'node:crypto';
import { eventView } from '@payin/core';
import { type Db, eventRecordFromRow } from '@payin/db';
import { createBrokerPublisher, eventsExchange, relayEvents, startJobs } from '@payin/jobs';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearJobTables, openTestDatabase, type TestDatabase } from './database.js';
import { fakeClock } from './fake-clock.js';
import { recordingLogger } from './recording-logger.js';
import { seedEvent, seedMerchant } from './seed.js';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => clearJobTables(db));

function eventRow(id: string) {
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('broker publisher without a broker', () => {
  it('marks nothing published, reports unhealthy, and reconnects only after a backoff', async () => {
    const clock = fakeClock();
    const log = recordingLogger();
    // Port 1 refuses connections: a broker that is down.
    const publisher = createBrokerPublisher({
      url: 'amqp://127.0.0.1:1',
      log,
      clock,
      reconnectDelayMs: 1000,
    });
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: true });

    expect(await publisher.publishPending({ db, clock }, { limit: 10 })).toBe(0);
    expect(publisher.isHealthy()).toBe(false);
    expect((await eventRow(event.id)).publishedAt).toBeNull();
    const warnings = () => log.entries.filter((e) => e.level === 'warn');
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.obj).toMatchObject({ retryInMs: 1000, failures: 1 });

    // Within the backoff no connection is attempted.
    clock.advance(999);
    expect(await publisher.publishPending({ db, clock }, { limit: 10 })).toBe(0);
    expect(warnings()).toHaveLength(1);

    // Then it tries again, and waits twice as long after another failure.
    clock.advance(1);
    expect(await publisher.publishPending({ db, clock }, { limit: 10 })).toBe(0);
    expect(warnings().map((w) => w.obj)).toMatchObject([
      { retryInMs: 1000 },
      { retryInMs: 2000, failures: 2 },
    ]);
    expect((await eventRow(event.id)).publishedAt).toBeNull();
    await publisher.close();
  });
});

const amqpUrl = process.env.AMQP_URL ?? '';

/** A throwaway queue bound to `exchange`, collecting what arrives. */
async function listen(connection: ChannelModel, exchange: string, args: Record<string, unknown> = {}) {
  const channel: Channel = await connection.createChannel();
  await channel.assertExchange(exchange, 'topic', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true, arguments: args });
  await channel.bindQueue(queue, exchange, '#');
  const messages: ConsumeMessage[] = [];
  await channel.consume(
    queue,
    (m) => {
      if (m) messages.push(m);
    },
    { noAck: true },
  );
  return { channel, queue, messages };
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.runIf(!!process.env.AMQP_URL)('broker publisher with RabbitMQ', () => {
  let connection: ChannelModel;
  beforeAll(async () => {
    connection = await amqp.connect(amqpUrl);
  });
  afterAll(() => connection.close());

  it('publishes every event to payin.events, keyed by type, with the event id as messageId', async () => {
    const clock = fakeClock();
    const log = recordingLogger();
    const { channel, messages } = await listen(connection, eventsExchange);
    const publisher = createBrokerPublisher({ url: amqpUrl, log, clock });
    const merchantId = await seedMerchant(db, clock.now());
    const types = ['payment.created', 'payment.succeeded', 'refund.succeeded'];
    const events = [];
    for (const type of types) events.push(await seedEvent(db, { merchantId, createdAt: clock.now(), type }));
    const ids = events.map((e) => e.id);

    const jobs = startJobs({
      db,
      log,
      clock,
      publisher,
      intervals: { relayMs: 3_600_000, publishMs: 3_600_000, deliveryMs: 3_600_000, recoverMs: 3_600_000 },
    });
    try {
      await jobs.runOnce();
    } finally {
      await jobs.stop();
      await publisher.close();
    }

    // published_at is written after waitForConfirms, in the transaction that held the rows.
    for (const id of ids) expect((await eventRow(id)).publishedAt).toEqual(clock.now());
    await until(() => ids.every((id) => messages.some((m) => m.properties.messageId === id)));
    await channel.close();
    const ours = messages.filter((m) => ids.includes(m.properties.messageId));
    expect(ours.map((m) => [m.properties.messageId, m.fields.routingKey])).toEqual(
      ids.map((id, i) => [id, types[i]]),
    );
    for (const m of ours) {
      expect(m.fields.exchange).toBe('payin.events');
      expect(m.properties.contentType).toBe('application/json');
      expect(m.properties.deliveryMode).toBe(2);
      const row = await eventRow(m.properties.messageId);
      expect(JSON.parse(m.content.toString('utf8'))).toEqual(
        JSON.parse(JSON.stringify(eventView(eventRecordFromRow(row)))),
      );
    }
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('leaves published_at empty when the broker refuses a message, and publishes it once accepted', async () => {
    const clock = fakeClock();
    const log = recordingLogger();
    const exchange = `payin.events.test.${randomBytes(4).toString('hex')}`;
    // A queue that holds nothing and refuses overflow: RabbitMQ nacks every publish routed to it.
    const refusing = await listen(connection, exchange, {
      'x-max-length': 0,
      'x-overflow': 'reject-publish',
    });
    const publisher = createBrokerPublisher({ url: amqpUrl, log, clock, exchange, reconnectDelayMs: 1000 });
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: true });

    await expect(publisher.publishPending({ db, clock }, { limit: 10 })).rejects.toThrow(/nack/);
    expect((await eventRow(event.id)).publishedAt).toBeNull();
    expect(publisher.isHealthy()).toBe(false);
    // The caller (the scheduler) logs the rejection; the publisher adds no second entry.
    expect(log.entries).toEqual([]);

    await refusing.channel.deleteQueue(refusing.queue);
    await refusing.channel.close();
    const accepting = await listen(connection, exchange);
    clock.advance(1000);
    expect(await publisher.publishPending({ db, clock }, { limit: 10 })).toBe(1);
    expect(publisher.isHealthy()).toBe(true);
    expect((await eventRow(event.id)).publishedAt).toEqual(clock.now());
    await until(() => accepting.messages.length === 1);
    expect(accepting.messages[0]?.properties.messageId).toBe(event.id);

    await publisher.close();
    await accepting.channel.deleteExchange(exchange);
    await accepting.channel.close();
  });
});
