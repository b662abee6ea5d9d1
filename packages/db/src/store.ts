import type {
  ApiKeyRecord,
  AttemptRecord,
  CaptureRecord,
  EventRecord,
  IdempotencyRecord,
  ListResult,
  MerchantRecord,
  Page,
  PaymentRecord,
  RefundRecord,
  Scope,
  Store,
  StoreTx,
  WebhookEndpointRecord,
} from '@payin/core';
import { type CompiledQuery, type Kysely, type SelectQueryBuilder, sql, type Transaction } from 'kysely';
import type { Db } from './connect.js';
import * as rows from './rows.js';
import type { Database } from './schema.js';
import { UnitOfWork } from './unit-of-work.js';

type Executor = Kysely<Database> | Transaction<Database>;
const json = (v: unknown) => JSON.stringify(v);

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

type Seqd = { seq: number; id: string };

/**
 * Cursor pagination, newest first. `starting_after` continues below the cursor's seq,
 * `ending_before` above it; one extra row tells whether there is more.
 */
async function paginate<T extends Seqd, O>(
  db: Executor,
  table: 'payments' | 'refunds' | 'events' | 'webhookEndpoints',
  scope: Scope,
  base: SelectQueryBuilder<Database, typeof table, T>,
  page: Page,
  map: (row: T) => O,
): Promise<ListResult<O>> {
  let q = base;
  const cursorId = page.startingAfter ?? page.endingBefore;
  if (cursorId) {
    const cursor = await db
      .selectFrom(table)
      .select('seq')
      .where('id', '=', cursorId)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .executeTakeFirst();
    // An unknown cursor gives an empty page rather than someone else's ordering.
    const seq = cursor?.seq ?? (page.startingAfter ? 0 : Number.MAX_SAFE_INTEGER);
    q = page.startingAfter
      ? q.where(sql.ref(`${table}.seq`), '<', seq)
      : q.where(sql.ref(`${table}.seq`), '>', seq);
  }
  if (page.endingBefore && !page.startingAfter) {
    const found = (await q
      .orderBy(sql.ref(`${table}.seq`), 'asc')
      .limit(page.limit + 1)
      .execute()) as T[];
    const hasMore = found.length > page.limit;
    return { data: found.slice(0, page.limit).reverse().map(map), hasMore };
  }
  const found = (await q
    .orderBy(sql.ref(`${table}.seq`), 'desc')
    .limit(page.limit + 1)
    .execute()) as T[];
  return { data: found.slice(0, page.limit).map(map), hasMore: found.length > page.limit };
}

/** What a query method runs on: the pool, or one transaction's connection and unit of work. */
interface Ctx {
  db: Executor;
  unit?: UnitOfWork;
}

// Inside a transaction writes wait in the unit of work; outside they run at once.
async function write(
  ctx: Ctx,
  row: string,
  query: { compile(): CompiledQuery; execute(): Promise<unknown> },
) {
  if (ctx.unit) await ctx.unit.add(row, query);
  else await query.execute();
}

/**
 * Every query, written once. Stores and transactions are objects whose prototype is this
 * (or its transactional twin below), so opening a transaction allocates one small object.
 */
const sqlStore: StoreTx & ThisType<Ctx> = {
  async findApiKeyByHash(keyHash) {
    const row = await this.db
      .selectFrom('apiKeys')
      .innerJoin('merchants', 'merchants.id', 'apiKeys.merchantId')
      .selectAll('apiKeys')
      .select([
        'merchants.name as merchantName',
        'merchants.country as merchantCountry',
        'merchants.rateLimit as merchantRateLimit',
        'merchants.createdAt as merchantCreatedAt',
      ])
      .where('keyHash', '=', keyHash)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ...rows.apiKey(row),
      merchant: {
        id: row.merchantId,
        name: row.merchantName,
        country: row.merchantCountry,
        rateLimit: row.merchantRateLimit,
        createdAt: new Date(row.merchantCreatedAt),
      },
    };
  },
  async getMerchant(id) {
    const row = await this.db.selectFrom('merchants').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rows.merchant(row);
  },
  async getPayment(scope, id) {
    const row = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .executeTakeFirst();
    return row && rows.payment(row);
  },
  listPayments(scope, filter, page) {
    let q = this.db
      .selectFrom('payments')
      .selectAll()
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode);
    if (filter.customer !== undefined) q = q.where('customer', '=', filter.customer);
    if (filter.reference !== undefined) q = q.where('reference', '=', filter.reference);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    return paginate(this.db, 'payments', scope, q, page, rows.payment);
  },
  async getAttempt(id) {
    const row = await this.db
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rows.attempt(row);
  },
  async getRefund(scope, id) {
    const row = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .executeTakeFirst();
    return row && rows.refund(row);
  },
  listRefunds(scope, filter, page) {
    let q = this.db
      .selectFrom('refunds')
      .selectAll()
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode);
    if (filter.paymentId !== undefined) q = q.where('paymentId', '=', filter.paymentId);
    return paginate(this.db, 'refunds', scope, q, page, rows.refund);
  },
  async getEvent(scope, id) {
    const row = await this.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .executeTakeFirst();
    return row && rows.event(row);
  },
  listEvents(scope, filter, page) {
    let q = this.db
      .selectFrom('events')
      .selectAll()
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    return paginate(this.db, 'events', scope, q, page, rows.event);
  },
  async getWebhookEndpoint(scope, id) {
    const row = await this.db
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return row && rows.webhookEndpoint(row);
  },
  listWebhookEndpoints(scope, page) {
    const q = this.db
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .where('deletedAt', 'is', null);
    return paginate(this.db, 'webhookEndpoints', scope, q, page, rows.webhookEndpoint);
  },
  async refundsDueForRetry(now, limit) {
    const found = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('status', '=', 'pending')
      .where('nextInquiryAt', '<=', now)
      .orderBy('nextInquiryAt')
      .limit(limit)
      .execute();
    return found.map(rows.refund);
  },
  async capturesDueForRetry(now, limit) {
    const found = await this.db
      .selectFrom('captures')
      .selectAll()
      .where('status', 'in', ['pending', 'unknown'])
      .where('nextInquiryAt', '<=', now)
      .orderBy('nextInquiryAt')
      .limit(limit)
      .execute();
    return found.map(rows.capture);
  },
  async attemptsDueForInquiry(now, limit, abandonedAfterMs) {
    const abandoned = new Date(now.getTime() - abandonedAfterMs);
    const found = await this.db
      .selectFrom('paymentAttempts')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'unknown'), eb('nextInquiryAt', '<=', now)]),
          eb.and([eb('status', '=', 'pending'), eb('updatedAt', '<', abandoned)]),
        ]),
      )
      .orderBy('nextInquiryAt')
      .limit(limit)
      .execute();
    return found.map(rows.attempt);
  },
  async insertMerchant(m: MerchantRecord) {
    await this.db.insertInto('merchants').values(m).execute();
  },
  async updateMerchant(m: MerchantRecord) {
    await this.db
      .updateTable('merchants')
      .set({ name: m.name, rateLimit: m.rateLimit })
      .where('id', '=', m.id)
      .execute();
  },
  async insertApiKey(k: ApiKeyRecord) {
    await this.db.insertInto('apiKeys').values(k).execute();
  },
  async insertPayment(p: PaymentRecord) {
    await write(this, `payments:${p.id}`, this.db.insertInto('payments').values(rows.paymentValues(p)));
  },
  async lockPayment(scope, id) {
    const row = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .forUpdate()
      .executeTakeFirst();
    return row && rows.payment(row);
  },
  assumeUnchanged(payment, attempt) {
    if (!this.unit) throw new Error('assumeUnchanged needs a transaction');
    this.unit.guard(
      sql`SELECT 1 FROM payments p, payment_attempts a
            WHERE p.id = ${payment.id} AND p.status = ${payment.status}
              AND a.id = ${attempt.id} AND a.status = ${attempt.status}
            FOR UPDATE OF p, a`.compile(this.db),
    );
  },
  async lockPaymentWithAttempt(scope, id) {
    const row = await this.db
      .selectFrom('payments')
      .selectAll('payments')
      .select(
        sql<Record<
          string,
          unknown
        > | null>`(SELECT to_jsonb(a) FROM payment_attempts a WHERE a.payment_id = payments.id ORDER BY a.seq DESC LIMIT 1)`.as(
          'currentAttempt',
        ),
      )
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return undefined;
    const { currentAttempt, ...payment } = row;
    return {
      payment: rows.payment(payment),
      attempt: currentAttempt ? rows.attemptFromJson(currentAttempt) : undefined,
    };
  },
  async lockPaymentById(id) {
    const row = await this.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && rows.payment(row);
  },
  async updatePayment(p: PaymentRecord) {
    const { id, merchantId, livemode, createdAt, ...values } = rows.paymentValues(p);
    await write(
      this,
      `payments:${id}`,
      this.db
        .updateTable('payments')
        .set({ ...values, updatedAt: new Date() })
        .where('id', '=', id),
    );
  },
  async insertAttempt(a: AttemptRecord) {
    await write(
      this,
      `attempts:${a.id}`,
      this.db.insertInto('paymentAttempts').values(rows.attemptValues(a)),
    );
  },
  async updateAttempt(a: AttemptRecord) {
    const { id, paymentId, merchantId, createdAt, ...values } = rows.attemptValues(a);
    await write(
      this,
      `attempts:${id}`,
      this.db.updateTable('paymentAttempts').set(values).where('id', '=', id),
    );
  },
  async currentAttempt(paymentId) {
    const row = await this.db
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('paymentId', '=', paymentId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && rows.attempt(row);
  },
  async insertCapture(c: CaptureRecord) {
    await write(this, `captures:${c.id}`, this.db.insertInto('captures').values(c));
  },
  async updateCapture(c: CaptureRecord) {
    await write(
      this,
      `captures:${c.id}`,
      this.db
        .updateTable('captures')
        .set({ status: c.status, inquiries: c.inquiries, nextInquiryAt: c.nextInquiryAt })
        .where('id', '=', c.id),
    );
  },
  async capturesInFlight(paymentId) {
    const row = await this.db
      .selectFrom('captures')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('paymentId', '=', paymentId)
      .where('status', 'in', ['pending', 'unknown'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async getCapture(id) {
    const row = await this.db.selectFrom('captures').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rows.capture(row);
  },
  async insertRefund(r: RefundRecord) {
    await write(this, `refunds:${r.id}`, this.db.insertInto('refunds').values(rows.refundValues(r)));
  },
  async updateRefund(r: RefundRecord) {
    const { id, ...values } = rows.refundValues(r);
    await write(this, `refunds:${id}`, this.db.updateTable('refunds').set(values).where('id', '=', id));
  },
  async refundsReserved(paymentId) {
    const row = await this.db
      .selectFrom('refunds')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), sql<number>`0`).as('total'))
      .where('paymentId', '=', paymentId)
      .where('status', 'in', ['pending', 'succeeded'])
      .executeTakeFirstOrThrow();
    return Number(row.total);
  },
  async insertEvents(events: EventRecord[]) {
    if (events.length === 0) return;
    await write(
      this,
      `events:${events[0]?.id}`,
      this.db.insertInto('events').values(
        events.map((e) => ({
          id: e.id,
          merchantId: e.merchantId,
          livemode: e.livemode,
          type: e.type,
          data: json(e.object),
          createdAt: e.createdAt,
        })),
      ),
    );
  },
  async insertWebhookEndpoint(w: WebhookEndpointRecord) {
    await this.db
      .insertInto('webhookEndpoints')
      .values({ ...w, enabledEvents: json(w.enabledEvents) })
      .execute();
  },
  async deleteWebhookEndpoint(scope, id) {
    const res = await this.db
      .updateTable('webhookEndpoints')
      .set({ deletedAt: new Date() })
      .where('id', '=', id)
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },
  async insertIdempotencyKey(rec: IdempotencyRecord) {
    const inserted = await this.db
      .insertInto('idempotencyKeys')
      .values({ ...rec, recoveryData: json(rec.recoveryData), responseBody: null })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    return inserted !== undefined;
  },
  async lockIdempotencyKey(scope, key) {
    const row = await this.db
      .selectFrom('idempotencyKeys')
      .selectAll()
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .where('key', '=', key)
      .forUpdate()
      .executeTakeFirst();
    return row && rows.idempotency(row);
  },
  async updateIdempotencyKey(scope, key, patch) {
    const { recoveryData, responseBody, ...rest } = patch;
    await write(
      this,
      `idempotency:${scope.merchantId}:${scope.livemode}:${key}`,
      this.db
        .updateTable('idempotencyKeys')
        .set({
          ...rest,
          ...(recoveryData !== undefined ? { recoveryData: json(recoveryData) } : {}),
          ...(responseBody !== undefined ? { responseBody: json(responseBody) } : {}),
        })
        .where('merchantId', '=', scope.merchantId)
        .where('livemode', '=', scope.livemode)
        .where('key', '=', key),
    );
  },
  async deleteIdempotencyKey(scope, key) {
    await this.db
      .deleteFrom('idempotencyKeys')
      .where('merchantId', '=', scope.merchantId)
      .where('livemode', '=', scope.livemode)
      .where('key', '=', key)
      .execute();
  },
};

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
