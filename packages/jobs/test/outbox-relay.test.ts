import type { Db } from '@payin/db';
import { relayEvents } from '@payin/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearJobTables, openTestDatabase, type TestDatabase } from './database.js';
import { fakeClock } from './fake-clock.js';
import { seedEndpoint, seedEvent, seedMerchant } from './seed.js';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => clearJobTables(db));

const url = 'https://hooks.example.com/payin';
const minute = 60_000;

function deliveriesOf(eventId: string) {
  return db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('eventId', '=', eventId)
    .orderBy('seq')
    .execute();
}

function eventRow(eventId: string) {
  return db.selectFrom('events').selectAll().where('id', '=', eventId).executeTakeFirstOrThrow();
}

describe('relayEvents', () => {
  it('creates one pending delivery per endpoint of the same merchant and mode that subscribes to the type', async () => {
    const clock = fakeClock();
    const start = clock.now();
    const merchantId = await seedMerchant(db, start);
    const otherMerchantId = await seedMerchant(db, start);
    const everything = await seedEndpoint(db, { merchantId, url, createdAt: start });
    const succeededOnly = await seedEndpoint(db, {
      merchantId,
      url,
      createdAt: start,
      enabledEvents: ['payment.created', 'payment.succeeded'],
    });
    await seedEndpoint(db, { merchantId, url, createdAt: start, enabledEvents: ['refund.succeeded'] });
    await seedEndpoint(db, { merchantId, url, createdAt: start, livemode: true });
    await seedEndpoint(db, { merchantId, url, createdAt: start, deletedAt: start });
    await seedEndpoint(db, { merchantId: otherMerchantId, url, createdAt: start });
    clock.advance(minute);
    const event = await seedEvent(db, { merchantId, createdAt: clock.now(), type: 'payment.succeeded' });
    clock.advance(1000);

    expect(await relayEvents({ db, clock }, { limit: 10, brokerConfigured: false })).toBe(1);

    const deliveries = await deliveriesOf(event.id);
    expect(deliveries.map((d) => d.endpointId).sort()).toEqual([everything.id, succeededOnly.id].sort());
    for (const d of deliveries) {
      expect(d.id).toMatch(/^whd_[0-9A-Za-z]{24}$/);
      expect(d).toMatchObject({ merchantId, livemode: false, status: 'pending', attempts: 0 });
      expect(d.nextAttemptAt).toEqual(clock.now());
    }
    const row = await eventRow(event.id);
    expect(row.relayedAt).toEqual(clock.now());
    // No broker: the relay is the last step, so it also marks the event published.
    expect(row.publishedAt).toEqual(clock.now());
  });

  it('does not send an event to an endpoint created after it', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    const sameInstant = await seedEndpoint(db, { merchantId, url, createdAt: clock.now() });
    clock.advance(1);
    await seedEndpoint(db, { merchantId, url, createdAt: clock.now() });

    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: false });

    expect((await deliveriesOf(event.id)).map((d) => d.endpointId)).toEqual([sameInstant.id]);
  });

  it('creates no duplicate delivery when an event is relayed a second time', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    await seedEndpoint(db, { merchantId, url, createdAt: clock.now() });
    await seedEndpoint(db, { merchantId, url, createdAt: clock.now(), enabledEvents: ['payment.succeeded'] });
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: false });
    const first = await deliveriesOf(event.id);
    expect(first).toHaveLength(2);

    // As after a crash between the fan-out and the mark, or an operator replaying the outbox.
    await db.updateTable('events').set({ relayedAt: null }).where('id', '=', event.id).execute();
    clock.advance(minute);
    expect(await relayEvents({ db, clock }, { limit: 10, brokerConfigured: false })).toBe(1);

    const second = await deliveriesOf(event.id);
    expect(second.map((d) => d.id)).toEqual(first.map((d) => d.id));
    expect((await eventRow(event.id)).relayedAt).toEqual(clock.now());
  });

  it('takes the oldest events first, no more than the limit', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await seedEvent(db, { merchantId, createdAt: clock.now() })).id);

    expect(await relayEvents({ db, clock }, { limit: 2, brokerConfigured: false })).toBe(2);
    const relayed = await db.selectFrom('events').select('id').where('relayedAt', 'is not', null).execute();
    expect(relayed.map((r) => r.id).sort()).toEqual(ids.slice(0, 2).sort());

    expect(await relayEvents({ db, clock }, { limit: 2, brokerConfigured: false })).toBe(1);
    expect(await relayEvents({ db, clock }, { limit: 2, brokerConfigured: false })).toBe(0);
  });

  it('marks an event nobody subscribes to as relayed', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    await seedEndpoint(db, { merchantId, url, createdAt: clock.now(), enabledEvents: ['refund.failed'] });
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });

    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: false });

    expect(await deliveriesOf(event.id)).toEqual([]);
    expect((await eventRow(event.id)).relayedAt).toEqual(clock.now());
  });

  it('leaves published_at to the publisher when a broker is configured', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });

    await relayEvents({ db, clock }, { limit: 10, brokerConfigured: true });

    const row = await eventRow(event.id);
    expect(row.relayedAt).toEqual(clock.now());
    expect(row.publishedAt).toBeNull();
  });
});
