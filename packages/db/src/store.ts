import type { Store, StoreTx } from '@payin/core';
import type { Db } from './connect.js';
import type { Ctx } from './queries/context.js';
import { providerQueries } from './queries/providers.js';
import { readQueries } from './queries/reads.js';
import { writeQueries } from './queries/writes.js';
import { UnitOfWork } from './unit-of-work.js';

/** The Store port of @payin/core on Kysely: the only place payments meet SQL. */
export function createStore(db: Db): Store {
  const store = Object.create(sqlStore) as Store & Ctx;
  store.db = db;
  store.transaction = (fn) =>
    db.connection().execute(async (conn) => {
      const unit = new UnitOfWork(conn);
      const tx = Object.create(transactional) as StoreTx & Ctx;
      tx.db = conn;
      tx.unit = unit;
      try {
        const result = await fn(tx);
        await unit.commit();
        return result;
      } catch (err) {
        await unit.rollback().catch(() => undefined);
        throw err;
      }
    });
  return store;
}

/**
 * Every query, written once. Stores and transactions are objects whose prototype is this
 * (or its transactional twin below), so opening a transaction allocates one small object.
 */
const sqlStore: StoreTx = { ...readQueries, ...writeQueries, ...providerQueries };

/** Writes that return nothing and may wait in the unit of work; everything else reads. */
const deferrable = new Set<keyof StoreTx>([
  'insertPayment',
  'updatePayment',
  'insertAttempt',
  'updateAttempt',
  'insertCapture',
  'updateCapture',
  'insertRefund',
  'updateRefund',
  'insertEvents',
  'updateIdempotencyKey',
]);

/**
 * sqlStore inside a transaction: every method but the deferrable writes reads, so it first
 * opens the transaction and flushes the writes waiting in the unit of work.
 */
function inTransaction(methods: StoreTx): StoreTx {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods) as [
    keyof StoreTx,
    (this: Ctx, ...args: unknown[]) => Promise<unknown>,
  ][]) {
    wrapped[name] =
      deferrable.has(name) || name === 'assumeUnchanged'
        ? fn
        : async function (this: Ctx, ...args: unknown[]) {
            await this.unit?.beforeRead();
            return fn.apply(this, args);
          };
  }
  return wrapped as unknown as StoreTx;
}

const transactional = inTransaction(sqlStore);
