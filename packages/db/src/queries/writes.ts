import type {
  AllowedOriginRecord,
  ApiKeyRecord,
  AttemptRecord,
  CaptureRecord,
  EventRecord,
  IdempotencyRecord,
  MerchantRecord,
  PaymentRecord,
  RefundRecord,
  StoreTx,
  WebhookEndpointRecord,
} from '@payin/core';
import { sql } from 'kysely';
import * as rows from '../rows.js';
import { type Ctx, inScope, json, write } from './context.js';

/**
 * Writes, and the locking reads that go with them. Inserts and updates go through write():
 * inside a transaction they wait in its unit of work.
 */
export const writeQueries = {
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
      .where(inScope(scope))
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
      .where(inScope(scope))
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
  async capturesOf(paymentId) {
    const found = await this.db
      .selectFrom('captures')
      .selectAll()
      .where('paymentId', '=', paymentId)
      .orderBy('createdAt')
      .execute();
    return found.map(rows.capture);
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
  async insertAllowedOrigin(a: AllowedOriginRecord) {
    const res = await this.db
      .insertInto('allowedOrigins')
      .values(a)
      .onConflict((oc) => oc.columns(['merchantId', 'livemode', 'origin']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  },
  async deleteAllowedOrigin(scope, id) {
    const res = await this.db
      .deleteFrom('allowedOrigins')
      .where('id', '=', id)
      .where(inScope(scope))
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },
  async deleteWebhookEndpoint(scope, id) {
    const res = await this.db
      .updateTable('webhookEndpoints')
      .set({ deletedAt: new Date() })
      .where('id', '=', id)
      .where(inScope(scope))
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
      .where(inScope(scope))
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
        .where(inScope(scope))
        .where('key', '=', key),
    );
  },
} satisfies Partial<StoreTx> & ThisType<Ctx>;
