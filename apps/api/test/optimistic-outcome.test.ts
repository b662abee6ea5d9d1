import { SandboxConnector } from '@payin/connectors';
import type { AuthorizationOutcome, Connector, CoreDeps, Scope } from '@payin/core';
import { createPayment, noIdempotency, StaleSnapshotError } from '@payin/core';
import { createStore, type DatabaseHandle } from '@payin/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceDatabase, type ServiceDatabase } from './service-database.js';

/**
 * The outcome of an attempt is written optimistically (one statement guarded by the statuses
 * the request itself wrote). When something else moved the payment in between — a webhook,
 * the recovery job — the guard must write nothing and the locked path must take over.
 */
let db: ServiceDatabase;
let handle: DatabaseHandle;
let scope: Scope;

beforeAll(async () => {
  db = await openServiceDatabase('mer_optimistic');
  ({ handle, scope } = db);
});
afterAll(async () => {
  await db?.close();
});

function depsWith(connector: Connector): CoreDeps {
  return db.deps({
    forPayment: async () => ({ connector, account: null }),
    forAttempt: async () => connector,
    takes: async () => true,
    factOf: () => undefined,
  });
}

describe('optimistic outcome recording', () => {
  it('writes the outcome in one guarded statement when nothing changed', async () => {
    const deps = depsWith(new SandboxConnector('http://localhost:0'));
    const res = await createPayment(
      deps,
      scope,
      {
        amount: 100,
        currency: 'EUR',
        captureMethod: 'automatic',
        paymentMethod: 'pm_card_visa',
        confirm: true,
        metadata: {},
      },
      noIdempotency,
    );
    expect(res.body).toMatchObject({ status: 'succeeded', amount_received: 100 });
  });

  it('falls back to the locked path when the attempt was resolved meanwhile, and moves nothing backwards', async () => {
    const sandbox = new SandboxConnector('http://localhost:0');
    // While the provider "thinks", a webhook reports the charge as captured; the provider's
    // own answer then arrives saying only "authorized".
    const racing: Connector = Object.assign(Object.create(sandbox) as Connector, {
      async authorize(req: Parameters<Connector['authorize']>[0]): Promise<AuthorizationOutcome> {
        await handle.db
          .updateTable('paymentAttempts')
          .set({ status: 'captured', updatedAt: new Date() })
          .where('id', '=', req.attemptId)
          .execute();
        await handle.db
          .updateTable('payments')
          .set({ status: 'succeeded', amountReceived: req.amount })
          .where('id', '=', req.paymentId)
          .execute();
        return { status: 'authorized', providerReference: 'late' };
      },
    });
    const deps = depsWith(racing);
    const res = await createPayment(
      deps,
      scope,
      {
        amount: 250,
        currency: 'EUR',
        captureMethod: 'automatic',
        paymentMethod: 'pm_card_visa',
        confirm: true,
        metadata: {},
      },
      noIdempotency,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'succeeded', amount_received: 250 });
    const attempt = await handle.db
      .selectFrom('paymentAttempts')
      .selectAll()
      .where('paymentId', '=', (res.body as { id: string }).id)
      .executeTakeFirstOrThrow();
    expect(attempt.status).toBe('captured');
    expect(attempt.providerReference).toBeNull();
    // The stale optimistic write left no event of its own.
    const events = await handle.db
      .selectFrom('events')
      .select('type')
      .where('type', '=', 'payment.authorized')
      .execute();
    expect(events).toHaveLength(0);
  });

  it('refuses a guarded transaction whose rows changed, writing nothing', async () => {
    const store = createStore(handle.db);
    const deps = depsWith(new SandboxConnector('http://localhost:0'));
    const created = await createPayment(
      deps,
      scope,
      {
        amount: 300,
        currency: 'EUR',
        captureMethod: 'manual',
        paymentMethod: 'pm_card_visa',
        confirm: true,
        metadata: {},
      },
      noIdempotency,
    );
    const id = (created.body as { id: string }).id;
    const payment = await store.getPayment(scope, id);
    const attempt = payment && (await store.transaction((tx) => tx.currentAttempt(id)));
    if (!payment || !attempt) throw new Error('setup');
    // The records say processing/pending; the rows say requires_capture/authorized.
    const stale = store.transaction(async (tx) => {
      tx.assumeUnchanged({ ...payment, status: 'processing' }, { ...attempt, status: 'pending' });
      await tx.updatePayment({ ...payment, description: 'must not be written' });
    });
    await expect(stale).rejects.toBeInstanceOf(StaleSnapshotError);
    expect((await store.getPayment(scope, id))?.description).toBeNull();
  });
});
