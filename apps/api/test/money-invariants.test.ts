import {
  type CoreDeps,
  cancelPayment,
  canTransition,
  capturePayment,
  createPayment,
  createRefund,
  noIdempotency,
  PayinError,
  type PaymentStatus,
  type Scope,
} from '@payin/core';
import type { DatabaseHandle } from '@payin/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceDatabase, type ServiceDatabase } from './service-database.js';

/**
 * Model-based property: random sequences of merchant operations, run through the real
 * services on a real database, can never make the books wrong.
 */
let db: ServiceDatabase;
let handle: DatabaseHandle;
let deps: CoreDeps;
let scope: Scope;

beforeAll(async () => {
  db = await openServiceDatabase('mer_props');
  ({ handle, scope } = db);
  deps = db.deps();
});
afterAll(async () => {
  await db?.close();
});

type Op =
  | { kind: 'capture'; amount: number | undefined; final: boolean }
  | { kind: 'refund'; amount: number | undefined }
  | { kind: 'cancel' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('capture' as const),
    amount: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
    final: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('refund' as const),
    amount: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('cancel' as const) }),
);

async function run(paymentId: string, op: Op) {
  try {
    if (op.kind === 'capture') {
      await capturePayment(
        deps,
        scope,
        paymentId,
        { ...(op.amount ? { amount: op.amount } : {}), finalCapture: op.final },
        noIdempotency,
      );
    } else if (op.kind === 'refund') {
      await createRefund(
        deps,
        scope,
        { payment: paymentId, ...(op.amount ? { amount: op.amount } : {}), metadata: {} },
        noIdempotency,
      );
    } else {
      await cancelPayment(deps, scope, paymentId, {}, noIdempotency);
    }
  } catch (err) {
    // Refusals (wrong state, too large) are fine; anything else is a bug.
    if (!(err instanceof PayinError) || err.status >= 500) throw err;
  }
}

async function checkBooks(paymentId: string) {
  const p = await deps.store.getPayment(scope, paymentId);
  if (!p) throw new Error('payment vanished');
  expect(p.amountReceived).toBeLessThanOrEqual(p.amount);
  expect(p.amountRefunded).toBeLessThanOrEqual(p.amountReceived);
  expect(p.amountCapturable + p.amountReceived).toBeLessThanOrEqual(p.amount);
  const refunds = await handle.db
    .selectFrom('refunds')
    .select(['amount', 'status'])
    .where('paymentId', '=', paymentId)
    .execute();
  const refunded = refunds.filter((r) => r.status === 'succeeded').reduce((a, r) => a + r.amount, 0);
  expect(refunded).toBe(p.amountRefunded);
  const captures = await handle.db
    .selectFrom('captures')
    .select(['amount', 'status'])
    .where('paymentId', '=', paymentId)
    .execute();
  if (p.captureMethod === 'manual') {
    expect(captures.filter((c) => c.status === 'succeeded').reduce((a, c) => a + c.amount, 0)).toBe(
      p.amountReceived,
    );
  }
  // Every status change recorded in the event log follows the declared table.
  const events = await handle.db
    .selectFrom('events')
    .select(['data', 'type'])
    .where('type', 'like', 'payment.%')
    .where(({ eb, ref }) => eb(ref('data', '->>').key('id' as never), '=', paymentId))
    .orderBy('seq')
    .execute();
  let prev: PaymentStatus | undefined;
  for (const e of events) {
    const status = (e.data as { status: PaymentStatus }).status;
    if (prev && prev !== status)
      expect(canTransition('payment', prev, status), `${prev} -> ${status}`).toBe(true);
    prev = status;
  }
  expect(prev).toBe(p.status);
}

describe('money invariants', () => {
  it('no sequence of operations makes refunded > received or captured > authorised', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('automatic', 'manual'),
        fc.constantFrom(
          'pm_card_visa',
          'pm_card_mastercard',
          'pm_card_chargeDeclined',
          'pm_card_refundFail',
          'pm_card_refundTimeout',
          'pm_card_captureTimeout',
        ),
        fc.array(opArb, { minLength: 1, maxLength: 8 }),
        async (captureMethod, paymentMethod, ops) => {
          const created = await createPayment(
            deps,
            scope,
            { amount: 1000, currency: 'EUR', captureMethod, paymentMethod, confirm: true, metadata: {} },
            noIdempotency,
          );
          const body = created.body as { id?: string; error?: { payment: string } };
          const id = body.id ?? (body.error?.payment as string);
          for (const op of ops) {
            await run(id, op);
            await checkBooks(id);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps the books right when operations race on one payment', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 2, maxLength: 10 }), async (ops) => {
        const created = await createPayment(
          deps,
          scope,
          {
            amount: 1000,
            currency: 'EUR',
            captureMethod: 'manual',
            paymentMethod: 'pm_card_visa',
            confirm: true,
            metadata: {},
          },
          noIdempotency,
        );
        const id = (created.body as { id: string }).id;
        await Promise.all(ops.map((op) => run(id, op)));
        await checkBooks(id);
      }),
      { numRuns: 25 },
    );
  });
});
