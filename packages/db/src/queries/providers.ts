import type { ConnectorAccountRecord, ProviderNotificationRecord, StoreTx } from '@payin/core';
import type { Selectable } from 'kysely';
import * as rows from '../rows.js';
import type { ConnectorAccountsTable, ProviderNotificationsTable } from '../schema.js';
import { type Ctx, inScope, json } from './context.js';

/** Merchants' connector accounts and the providers' notifications waiting to be applied. */

const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const maybeDate = (v: Date | string | null) => (v === null ? null : date(v));

const account = (r: Selectable<ConnectorAccountsTable>): ConnectorAccountRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  connector: r.connector,
  paymentMethodTypes: r.paymentMethodTypes as string[],
  settings: r.settings as Record<string, string>,
  sealedCredentials: r.sealedCredentials,
  createdAt: date(r.createdAt),
  deletedAt: maybeDate(r.deletedAt),
});

const notification = (r: Selectable<ProviderNotificationsTable>): ProviderNotificationRecord => ({
  id: r.id,
  connector: r.connector,
  connectorAccount: r.connectorAccount,
  eventKey: r.eventKey,
  payload: r.payload,
  receivedAt: date(r.receivedAt),
  processedAt: maybeDate(r.processedAt),
  attempts: r.attempts,
  nextAttemptAt: maybeDate(r.nextAttemptAt),
  outcome: r.outcome,
});

export const providerQueries = {
  async connectorAccountsOf(scope) {
    const found = await this.db
      .selectFrom('connectorAccounts')
      .selectAll()
      .where(inScope(scope))
      .where('deletedAt', 'is', null)
      .orderBy('seq', 'desc')
      .execute();
    return found.map(account);
  },
  /** Deleted accounts too: the attempts made through one still capture and refund there. */
  async getConnectorAccount(id) {
    const row = await this.db
      .selectFrom('connectorAccounts')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && account(row);
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
    return found.map(notification);
  },
  async lockProviderNotification(id) {
    const row = await this.db
      .selectFrom('providerNotifications')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    return row && notification(row);
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
