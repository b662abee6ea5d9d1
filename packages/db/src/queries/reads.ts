import type { StoreTx } from '@payin/core';
import * as rows from '../rows.js';
import { type Ctx, inScope, paginate } from './context.js';

/** Queries that only read (lists, lookups, the worker's queues). */
export const readQueries = {
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
      .where(inScope(scope))
      .executeTakeFirst();
    return row && rows.payment(row);
  },
  listPayments(scope, filter, page) {
    let q = this.db.selectFrom('payments').selectAll().where(inScope(scope));
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
      .where(inScope(scope))
      .executeTakeFirst();
    return row && rows.refund(row);
  },
  listRefunds(scope, filter, page) {
    let q = this.db.selectFrom('refunds').selectAll().where(inScope(scope));
    if (filter.paymentId !== undefined) q = q.where('paymentId', '=', filter.paymentId);
    return paginate(this.db, 'refunds', scope, q, page, rows.refund);
  },
  async getEvent(scope, id) {
    const row = await this.db
      .selectFrom('events')
      .selectAll()
      .where('id', '=', id)
      .where(inScope(scope))
      .executeTakeFirst();
    return row && rows.event(row);
  },
  listEvents(scope, filter, page) {
    let q = this.db.selectFrom('events').selectAll().where(inScope(scope));
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    return paginate(this.db, 'events', scope, q, page, rows.event);
  },
  async getWebhookEndpoint(scope, id) {
    const row = await this.db
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where('id', '=', id)
      .where(inScope(scope))
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return row && rows.webhookEndpoint(row);
  },
  listAllowedOrigins(scope, page) {
    const q = this.db.selectFrom('allowedOrigins').selectAll().where(inScope(scope));
    return paginate(this.db, 'allowedOrigins', scope, q, page, rows.allowedOrigin);
  },
  async allowedOriginsOf(scope) {
    const found = await this.db.selectFrom('allowedOrigins').select('origin').where(inScope(scope)).execute();
    return found.map((r) => r.origin);
  },
  listWebhookEndpoints(scope, page) {
    const q = this.db
      .selectFrom('webhookEndpoints')
      .selectAll()
      .where(inScope(scope))
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
          eb.and([
            eb('status', 'in', ['unknown', 'processing', 'requires_action']),
            eb('nextInquiryAt', '<=', now),
          ]),
          eb.and([eb('status', '=', 'pending'), eb('updatedAt', '<', abandoned)]),
        ]),
      )
      .orderBy('nextInquiryAt')
      .limit(limit)
      .execute();
    return found.map(rows.attempt);
  },
} satisfies Partial<StoreTx> & ThisType<Ctx>;
