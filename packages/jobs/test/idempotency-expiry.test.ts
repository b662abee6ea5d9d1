import { expireIdempotencyKeys, idempotencyRetentionMs } from '@payin/jobs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './database.js';
import { fakeClock } from './fake-clock.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const key = (key: string, createdAt: Date, lockedAt: Date | null = null) => ({
  merchantId: 'mer_expiry',
  livemode: false,
  key,
  requestMethod: 'POST',
  requestPath: '/v1/payments',
  requestHash: 'h',
  lockedAt,
  recoveryPoint: 'finished',
  recoveryData: '{}',
  responseStatus: 200,
  responseBody: '{}',
  createdAt,
});

describe('idempotency key expiry', () => {
  it('keeps keys for at least 24 hours and deletes them after the retention', async () => {
    expect(idempotencyRetentionMs).toBeGreaterThanOrEqual(24 * 3_600_000);
    const clock = fakeClock();
    const now = clock.now().getTime();
    const { db } = database;
    await db
      .insertInto('idempotencyKeys')
      .values([
        key('fresh', new Date(now - 24 * 3_600_000)),
        key('old', new Date(now - idempotencyRetentionMs - 1000)),
        key('old-but-in-flight', new Date(now - idempotencyRetentionMs - 1000), new Date(now)),
      ])
      .execute();
    expect(await expireIdempotencyKeys({ db, clock }, { limit: 100 })).toBe(1);
    const left = await db.selectFrom('idempotencyKeys').select('key').orderBy('key').execute();
    expect(left.map((r) => r.key)).toEqual(['fresh', 'old-but-in-flight']);
  });
});
