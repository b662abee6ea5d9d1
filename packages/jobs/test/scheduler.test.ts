import type { Db } from '@payin/db';
import { startJobs } from '@payin/jobs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearJobTables, openTestDatabase, type TestDatabase } from './database.js';
import { fakeClock } from './fake-clock.js';
import { startMerchantReceiver } from './merchant-receiver.js';
import { recordingLogger } from './recording-logger.js';
import { seedEndpoint, seedEvent, seedMerchant } from './seed.js';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await openTestDatabase();
  db = database.db;
});
afterAll(() => database.close());
beforeEach(() => clearJobTables(db));

// Timers that do not fire during a test: runOnce drives the jobs.
const manual = { relayMs: 3_600_000, publishMs: 3_600_000, deliveryMs: 3_600_000, recoverMs: 3_600_000 };

/** Lets pending promise callbacks and I/O callbacks run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('startJobs', () => {
  it('relays an event and delivers it to the merchant in one runOnce', async () => {
    const clock = fakeClock();
    let secret = '';
    const receiver = await startMerchantReceiver({ secret: () => secret, clock });
    const merchantId = await seedMerchant(db, clock.now());
    secret = (await seedEndpoint(db, { merchantId, url: receiver.url, createdAt: clock.now() })).secret;
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    const log = recordingLogger();
    const jobs = startJobs({ db, log, clock, intervals: manual });
    try {
      await jobs.runOnce();
    } finally {
      await jobs.stop();
      await receiver.close();
    }
    expect(receiver.received.map((r) => [r.verified, JSON.parse(r.rawBody).id])).toEqual([[true, event.id]]);
    const row = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.publishedAt).toEqual(clock.now());
    expect(log.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('runs the jobs on their timers until stopped', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    const jobs = startJobs({ db, log: recordingLogger(), clock, intervals: { ...manual, relayMs: 5 } });
    const relayedAt = async () =>
      (await db.selectFrom('events').select('relayedAt').where('id', '=', event.id).executeTakeFirstOrThrow())
        .relayedAt;
    try {
      while ((await relayedAt()) === null) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      await jobs.stop();
    }
    expect(await relayedAt()).toEqual(clock.now());
  });

  it('logs a failing job instead of throwing, and runs the others', async () => {
    const clock = fakeClock();
    const merchantId = await seedMerchant(db, clock.now());
    const event = await seedEvent(db, { merchantId, createdAt: clock.now() });
    const log = recordingLogger();
    const jobs = startJobs({
      db,
      log,
      clock,
      intervals: manual,
      recover: () => Promise.reject(new Error('provider status API unreachable')),
    });
    await jobs.runOnce();
    await jobs.stop();

    expect(log.entries).toEqual([
      {
        level: 'error',
        obj: { err: new Error('provider status API unreachable'), job: 'outcome recovery' },
        msg: 'outcome recovery failed',
      },
    ]);
    const row = await db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', event.id)
      .executeTakeFirstOrThrow();
    expect(row.relayedAt).toEqual(clock.now());
  });

  it('stop waits for the run in progress', async () => {
    let release = () => {};
    let entered = () => {};
    const inRecover = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const jobs = startJobs({
      db,
      log: recordingLogger(),
      clock: fakeClock(),
      intervals: manual,
      recover: () =>
        new Promise<void>((resolve) => {
          release = resolve;
          entered();
        }),
    });
    const run = jobs.runOnce();
    await inRecover;
    let stopped = false;
    const stopping = jobs.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);

    release();
    await stopping;
    await run;
    expect(stopped).toBe(true);
  });

  it('never runs a job twice at the same time: a second runOnce waits for the run in progress', async () => {
    const gates: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const jobs = startJobs({
      db,
      log: recordingLogger(),
      clock: fakeClock(),
      intervals: manual,
      recover: () =>
        new Promise<void>((resolve) => {
          running++;
          most = Math.max(most, running);
          gates.push(() => {
            running--;
            resolve();
          });
        }),
    });
    const first = jobs.runOnce();
    while (gates.length < 1) await settle();
    const second = jobs.runOnce();
    for (let i = 0; i < 5; i++) await settle();
    expect(gates).toHaveLength(1);

    gates[0]?.();
    await first;
    while (gates.length < 2) await settle();
    gates[1]?.();
    await second;
    await jobs.stop();

    expect(gates).toHaveLength(2);
    expect(most).toBe(1);
  });
});
