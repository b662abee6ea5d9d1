import type { StoreTx } from '@payin/core';
import * as rows from '../rows.js';
import { type Ctx, inScope, json } from './context.js';

/** Merchants' connector accounts and the providers' notifications waiting to be applied. */
export const providerQueries = {
  async connectorAccountsOf(scope) {
    const found = await this.db
      .selectFrom('connectorAccounts')
      .selectAll()
      .where(inScope(scope))
      .where('deletedAt', 'is', null)
      .orderBy('seq', 'desc')
      .execute();
    return found.map(rows.connectorAccount);
  },
  /** Deleted accounts too: the attempts made through one still capture and refund there. */
  async getConnectorAccount(id) {
    const row = await this.db
      .selectFrom('connectorAccounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && rows.connectorAccount(row);
  },
  async insertConnectorAccount(a) {
    await this.db
      .insertInto('connectorAccounts')
      .values({
        ...a,
        paymentMethodTypes: json(a.paymentMethodTypes),
        settings: json(a.settings),
      })
      .execute();
  },
  async updateConnectorAccount(a) {
    const res = await this.db
      .updateTable('connectorAccounts')
      .set({
        paymentMethodTypes: json(a.paymentMethodTypes),
        settings: json(a.settings),
        sealedCredentials: a.sealedCredentials,
      })
      .where('id', '=', a.id)
      .where(inScope(a))
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },
  async deleteConnectorAccount(scope, id) {
    const res = await this.db
      .updateTable('connectorAccounts')
      .set({ deletedAt: new Date() })
      .where('id', '=', id)
      .where(inScope(scope))
      .where('deletedAt', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },
  async insertProviderNotifications(recs) {
    if (recs.length === 0) return 0;
    const res = await this.db
      .insertInto('providerNotifications')
      .values(recs.map((n) => ({ ...n, payload: json(n.payload) })))
      .onConflict((oc) => oc.columns(['connectorAccount', 'eventKey']).doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0);
  },
  async providerNotificationsDue(now, limit) {
    const found = await this.db
      .selectFrom('providerNotifications')
      .selectAll()
      .where('processedAt', 'is', null)
      .where('nextAttemptAt', '<=', now)
      .orderBy('nextAttemptAt')
      .limit(limit)
      .execute();
    return found.map(rows.providerNotification);
  },
  async lockProviderNotification(id) {
    const row = await this.db
      .selectFrom('providerNotifications')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && rows.providerNotification(row);
  },
  async updateProviderNotification(n) {
    await this.db
      .updateTable('providerNotifications')
      .set({
        processedAt: n.processedAt,
        attempts: n.attempts,
        nextAttemptAt: n.nextAttemptAt,
        outcome: n.outcome,
      })
      .where('id', '=', n.id)
      .execute();
  },
  async findRefund(id) {
    const row = await this.db.selectFrom('refunds').selectAll().where('id', '=', id).executeTakeFirst();
    return row && rows.refund(row);
  },
} satisfies Partial<StoreTx> & ThisType<Ctx>;
