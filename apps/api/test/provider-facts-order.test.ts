import {
  type AttemptStatus,
  type AuthorizationOutcome,
  type AuthorizeRequest,
  type Connector,
  type ConnectorRegistry,
  type CoreDeps,
  canTransition,
  capturePayment,
  createPayment,
  createRefund,
  newId,
  noIdempotency,
  type PaymentStatus,
  type ProviderFact,
  processProviderNotifications,
  type Scope,
  UNMATCHED_TRIES,
} from '@payin/core';
import type { DatabaseHandle } from '@payin/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServiceDatabase, type ServiceDatabase } from './service-database.js';

/**
 * A provider's notifications come more than once and in any order (Adyen retries, resends,
 * and sends CAPTURE before AUTHORISATION when it likes). Applied by the worker, every
 * permutation of the same facts, with any duplicates, must leave the same books, and no
 * notification may move a payment, attempt, capture or refund backwards.
 *
 * The connector is scripted like Adyen: authorize answers `unknown` (a timeout) or a result,
 * captures and refunds answer "received" (pending) and are settled by notifications only.
 * Its notifications are stored as payin's facts themselves (`factOf` reads the payload as is).
 */

const ACCOUNT = 'ca_facts_order';
const AMOUNT = 1000;

let db: ServiceDatabase;
let handle: DatabaseHandle;
let scope: Scope;
let deps: CoreDeps;
/** The test's clock: moved on by hand so that retries of unmatched notifications come due. */
let nowMs = Date.parse('2030-01-01T00:00:00.000Z');

let authorizeScript: (req: AuthorizeRequest) => Promise<AuthorizationOutcome> = async () => ({
  status: 'unknown',
  reason: 'not scripted',
});

const adyen: Connector = {
  name: 'adyen',
  capabilities: {
    paymentMethodTypes: ['scheme'],
    countries: '*',
    currencies: '*',
    manualCapture: true,
    partialCapture: true,
    multipleCaptures: true,
    partialRefund: true,
    statusInquiry: false,
    testModeOnly: false,
  },
  authorize: (req) => authorizeScript(req),
  completeAction: async () => ({ status: 'unknown', reason: 'not scripted' }),
  // Adyen answers modifications with "received": the outcome comes by notification.
  capture: async () => ({ status: 'pending' }),
  cancel: async () => ({ status: 'pending' }),
  refund: async () => ({ status: 'pending' }),
  status: async () => ({ status: 'pending' }),
};

const registry: ConnectorRegistry = {
  forPayment: async () => ({ connector: adyen, account: ACCOUNT }),
  forAttempt: async () => adyen,
  takes: async () => true,
  factOf: (connector, payload) => (connector === 'adyen' ? (payload as ProviderFact) : undefined),
};

beforeAll(async () => {
  db = await openServiceDatabase('mer_facts_order');
  ({ handle, scope } = db);
  deps = {
    ...db.deps(registry),
    clock: { now: () => new Date(nowMs) },
    inquiryBaseMs: 1000,
    inquiryMaxMs: 60_000,
  };
  await deps.store.transaction((tx) =>
    tx.insertConnectorAccount({
      ...scope,
      id: ACCOUNT,
      connector: 'adyen',
      paymentMethodTypes: ['scheme'],
      settings: {},
      sealedCredentials: 'sealed',
      createdAt: new Date(nowMs),
      deletedAt: null,
    }),
  );
});
afterAll(async () => {
  await db?.close();
});

// ---------------------------------------------------------------------------------------------
// Deliveries: the facts of one run, their duplicates, their order and when the worker runs.

interface Schedule {
  /** Sort keys of the distinct facts (one per fact, extra ones unused). */
  order: number[];
  /** Extra deliveries of a fact: under the same event key (a resend) or a new one. */
  dups: { of: number; sameKey: boolean; at: number }[];
  /** Whether the worker runs right after the k-th delivery (it always runs after the last). */
  flush: boolean[];
}

interface Delivery {
  /** Index of the distinct fact delivered. */
  fact: number;
  key: string;
  at: number;
}

const MAX_FACTS = 6;
const MAX_DUPS = 5;

const scheduleArb: fc.Arbitrary<Schedule> = fc.record({
  order: fc.array(fc.nat(1000), { minLength: MAX_FACTS, maxLength: MAX_FACTS }),
  dups: fc.array(fc.record({ of: fc.nat(MAX_FACTS - 1), sameKey: fc.boolean(), at: fc.nat(1000) }), {
    maxLength: MAX_DUPS,
  }),
  flush: fc.array(fc.boolean(), { minLength: MAX_FACTS + MAX_DUPS, maxLength: MAX_FACTS + MAX_DUPS }),
});

/** The deliveries of `count` distinct facts in the schedule's order; keys unique to `run`. */
function deliveries(run: string, count: number, s: Schedule): Delivery[] {
  const all: Delivery[] = [];
  for (let i = 0; i < count; i++) all.push({ fact: i, key: `${run}:${i}`, at: s.order[i] ?? 0 });
  s.dups.forEach((d, j) => {
    const fact = d.of % count;
    all.push({ fact, key: d.sameKey ? `${run}:${fact}` : `${run}:${fact}:again${j}`, at: d.at });
  });
  return all.sort((a, b) => a.at - b.at);
}

/** Stores one delivery as the webhook intake does: due now, after every earlier one. */
async function deliver(key: string, fact: ProviderFact) {
  nowMs += 1;
  const now = new Date(nowMs);
  await deps.store.transaction((tx) =>
    tx.insertProviderNotifications([
      {
        id: newId('providerNotification'),
        connector: 'adyen',
        connectorAccount: ACCOUNT,
        eventKey: key,
        payload: fact,
        receivedAt: now,
        processedAt: null,
        attempts: 0,
        nextAttemptAt: now,
        outcome: null,
      },
    ]),
  );
}

/** Runs the worker until no notification is left to apply, moving the clock to each retry. */
async function drain() {
  for (let round = 0; round < 4 * UNMATCHED_TRIES; round++) {
    await processProviderNotifications(deps);
    const next = await handle.db
      .selectFrom('providerNotifications')
      .select('nextAttemptAt')
      .where('processedAt', 'is', null)
      .orderBy('nextAttemptAt')
      .executeTakeFirst();
    if (!next) return;
    const at = new Date(next.nextAttemptAt as Date | string).getTime();
    nowMs = Math.max(nowMs, at);
  }
  throw new Error('provider notifications never settled');
}

/** Delivers the schedule's deliveries, running the worker where the schedule says and at the end. */
async function play(list: Delivery[], facts: ProviderFact[], flush: boolean[], observe: () => Promise<void>) {
  for (const [k, d] of list.entries()) {
    await deliver(d.key, facts[d.fact] as ProviderFact);
    if (flush[k]) {
      await drain();
      await observe();
    }
  }
  await drain();
  await observe();
}

// ---------------------------------------------------------------------------------------------
// What the books say, and checks that nothing went backwards between two looks.

interface Snapshot {
  payment: PaymentStatus;
  attempt: AttemptStatus;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  captures: Record<string, string>;
  /** Amount held by captures the provider has not settled yet. */
  capturesPending: number;
  refunds: Record<string, string>;
}

async function snapshot(paymentId: string): Promise<Snapshot> {
  const payment = await deps.store.getPayment(scope, paymentId);
  const attempt = await deps.store.transaction((tx) => tx.currentAttempt(paymentId));
  if (!payment || !attempt) throw new Error(`payment ${paymentId} vanished`);
  const captures = await handle.db
    .selectFrom('captures')
    .select(['id', 'status', 'amount'])
    .where('paymentId', '=', paymentId)
    .execute();
  const refunds = await handle.db
    .selectFrom('refunds')
    .select(['id', 'status'])
    .where('paymentId', '=', paymentId)
    .execute();
  return {
    payment: payment.status,
    attempt: attempt.status,
    amountCapturable: payment.amountCapturable,
    amountReceived: payment.amountReceived,
    amountRefunded: payment.amountRefunded,
    captures: Object.fromEntries(captures.map((c) => [c.id, c.status])),
    capturesPending: captures.filter((c) => c.status === 'pending').reduce((sum, c) => sum + c.amount, 0),
    refunds: Object.fromEntries(refunds.map((r) => [r.id, r.status])),
  };
}

/** A capture or refund: pending, then settled; succeeded may still turn failed (a late failure). */
const modificationForward: Record<string, readonly string[]> = {
  pending: ['pending', 'succeeded', 'failed'],
  succeeded: ['succeeded', 'failed'],
  failed: ['failed'],
};

function expectForward(prev: Snapshot, cur: Snapshot) {
  if (prev.payment !== cur.payment)
    expect(
      canTransition('payment', prev.payment, cur.payment),
      `payment ${prev.payment} -> ${cur.payment}`,
    ).toBe(true);
  if (prev.attempt !== cur.attempt)
    expect(
      canTransition('attempt', prev.attempt, cur.attempt),
      `attempt ${prev.attempt} -> ${cur.attempt}`,
    ).toBe(true);
  for (const kind of ['captures', 'refunds'] as const) {
    for (const [id, before] of Object.entries(prev[kind])) {
      const after = cur[kind][id];
      expect(modificationForward[before] ?? [], `${id} ${before} -> ${after}`).toContain(after);
    }
  }
}

/** What holds at every step: nothing counted twice, and no success while a capture is open. */
function expectSound(s: Snapshot) {
  expect(s.amountReceived + s.amountCapturable + s.capturesPending).toBeLessThanOrEqual(AMOUNT);
  expect(s.amountReceived).toBeGreaterThanOrEqual(0);
  expect(s.amountRefunded).toBeLessThanOrEqual(s.amountReceived);
  if (s.payment === 'succeeded')
    expect(s.capturesPending, 'a succeeded payment still waiting for a capture').toBe(0);
}

/** Looks at the books after each run of the worker, checking every step against the last. */
function watcher(paymentId: string, first: Snapshot) {
  let last = first;
  return async () => {
    const cur = await snapshot(paymentId);
    expectForward(last, cur);
    expectSound(cur);
    last = cur;
  };
}

async function eventsAbout(id: string) {
  return handle.db
    .selectFrom('events')
    .select(['type', 'data'])
    .where(({ eb, ref }) => eb(ref('data', '->>').key('id' as never), '=', id))
    .orderBy('seq')
    .execute();
}

const count = (events: { type: string }[], type: string) => events.filter((e) => e.type === type).length;

/** Every status the payment's events show follows the state machine, ending where the payment is. */
async function expectEventLogFollowsTable(paymentId: string, status: PaymentStatus) {
  const events = (await eventsAbout(paymentId)).filter((e) => e.type.startsWith('payment.'));
  let prev: PaymentStatus | undefined;
  for (const e of events) {
    const s = (e.data as { status: PaymentStatus }).status;
    if (prev && prev !== s) expect(canTransition('payment', prev, s), `event log ${prev} -> ${s}`).toBe(true);
    prev = s;
  }
  expect(prev).toBe(status);
}

/** Notifications of a run: all settled, each distinct fact applied at most once. */
async function expectSettled(run: string, facts: number) {
  const rows = await handle.db
    .selectFrom('providerNotifications')
    .select(['eventKey', 'outcome', 'processedAt'])
    .where('eventKey', 'like', `${run}:%`)
    .execute();
  for (const r of rows) expect(r.processedAt, r.eventKey).not.toBeNull();
  for (let i = 0; i < facts; i++) {
    const of = rows.filter((r) => r.eventKey === `${run}:${i}` || r.eventKey.startsWith(`${run}:${i}:`));
    expect(of.length, `deliveries of fact ${i}`).toBeGreaterThan(0);
    expect(of.filter((r) => r.outcome === 'applied').length, `fact ${i} applied`).toBeLessThanOrEqual(1);
  }
  return rows;
}

async function newPayment(
  captureMethod: 'automatic' | 'manual',
  answer: (req: AuthorizeRequest) => Promise<AuthorizationOutcome>,
) {
  authorizeScript = answer;
  const res = await createPayment(
    deps,
    scope,
    { amount: AMOUNT, currency: 'EUR', captureMethod, paymentMethod: 'scheme', confirm: true, metadata: {} },
    noIdempotency,
  );
  expect(res.status).toBe(200);
  const id = (res.body as { id: string }).id;
  const attempt = await deps.store.transaction((tx) => tx.currentAttempt(id));
  if (!attempt) throw new Error('no attempt');
  return { id, attempt };
}

const psp = (id: string) => `psp_${id}`;

// ---------------------------------------------------------------------------------------------

describe('provider notifications, in any order and any number of times', () => {
  it('settle two pending captures of a manual-capture payment (and a late CAPTURE_FAILED) the same way', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: AMOUNT - 1 }),
        fc.integer({ min: 1, max: AMOUNT - 1 }),
        fc.boolean(),
        scheduleArb,
        async (first, secondWanted, firstFailsLate, schedule) => {
          const second = Math.min(secondWanted, AMOUNT - first);
          const { id, attempt } = await newPayment('manual', async (req) => ({
            status: 'authorized',
            providerReference: psp(req.attemptId),
          }));
          const c1 = await capturePayment(
            deps,
            scope,
            id,
            { amount: first, finalCapture: false },
            noIdempotency,
          );
          expect(c1.status).toBe(200);
          const c2 = await capturePayment(
            deps,
            scope,
            id,
            { amount: second, finalCapture: true },
            noIdempotency,
          );
          expect(c2.status).toBe(200);
          const captures = await handle.db
            .selectFrom('captures')
            .selectAll()
            .where('paymentId', '=', id)
            .orderBy('createdAt')
            .orderBy('amount')
            .execute();
          const cap1 = captures.find((c) => !c.final);
          const cap2 = captures.find((c) => c.final);
          if (!cap1 || !cap2) throw new Error('captures not created');
          expect([cap1.status, cap2.status]).toEqual(['pending', 'pending']);

          const facts: ProviderFact[] = [
            {
              kind: 'authorization',
              attemptId: attempt.id,
              providerReference: psp(attempt.id),
              succeeded: true,
            },
            { kind: 'capture', captureId: cap1.id, providerReference: psp(cap1.id), succeeded: true },
            { kind: 'capture', captureId: cap2.id, providerReference: psp(cap2.id), succeeded: true },
          ];
          if (firstFailsLate)
            facts.push({
              kind: 'capture',
              captureId: cap1.id,
              providerReference: psp(cap1.id),
              succeeded: false,
              reason: 'Insufficient balance on payment',
            });

          const before = await snapshot(id);
          await play(deliveries(id, facts.length, schedule), facts, schedule.flush, watcher(id, before));

          const p = await deps.store.getPayment(scope, id);
          const a = await deps.store.getAttempt(attempt.id);
          const settled = await handle.db
            .selectFrom('captures')
            .select(['id', 'status'])
            .where('paymentId', '=', id)
            .execute();
          const status = Object.fromEntries(settled.map((c) => [c.id, c.status]));
          expect(status[cap1.id]).toBe(firstFailsLate ? 'failed' : 'succeeded');
          expect(status[cap2.id]).toBe('succeeded');
          expect(p?.status).toBe('succeeded');
          expect(p?.amountReceived).toBe(first + second - (firstFailsLate ? first : 0));
          // The final capture closed the authorisation: nothing remains to capture.
          expect(p?.amountCapturable).toBe(0);
          expect(a?.status).toBe('captured');
          const events = await eventsAbout(id);
          expect(count(events, 'payment.succeeded'), events.map((e) => e.type).join(',')).toBe(1);
          expect(count(events, 'payment.capture_failed')).toBeLessThanOrEqual(firstFailsLate ? 1 : 0);
          await expectEventLogFollowsTable(id, 'succeeded');
          await expectSettled(id, facts.length);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('succeed an automatic-capture payment whose authorisation timed out exactly once, and set strays aside', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: MAX_FACTS + MAX_DUPS }),
        scheduleArb,
        async (strays, inFlight, schedule) => {
          let list: Delivery[] = [];
          let facts: ProviderFact[] = [];
          let run = '';
          // Some notifications may come while the authorisation request is still out (Adyen
          // sends AUTHORISATION before the timed-out call gives up).
          const { id, attempt } = await newPayment('automatic', async (req) => {
            run = req.paymentId;
            facts = [
              {
                kind: 'authorization',
                attemptId: req.attemptId,
                providerReference: psp(req.attemptId),
                succeeded: true,
              },
            ];
            for (let s = 0; s < strays; s++) {
              const ghost = `att_gone${s}${req.attemptId.slice(4, 14)}`;
              facts.push({
                kind: 'authorization',
                attemptId: ghost,
                providerReference: psp(ghost),
                succeeded: true,
              });
            }
            list = deliveries(run, facts.length, schedule);
            for (const d of list.slice(0, inFlight)) await deliver(d.key, facts[d.fact] as ProviderFact);
            if (inFlight > 0) await drain();
            return { status: 'unknown', reason: 'timeout' };
          });
          expect(run).toBe(id);
          const before = await snapshot(id);
          if (inFlight === 0) expect(before).toMatchObject({ payment: 'processing', attempt: 'unknown' });
          await play(list.slice(inFlight), facts, schedule.flush.slice(inFlight), watcher(id, before));

          const p = await deps.store.getPayment(scope, id);
          const a = await deps.store.getAttempt(attempt.id);
          expect(p?.status).toBe('succeeded');
          expect(p?.amountReceived).toBe(AMOUNT);
          expect(p?.amountCapturable).toBe(0);
          expect(a?.status).toBe('captured');
          expect(a?.providerReference).toBe(psp(attempt.id));
          const events = await eventsAbout(id);
          expect(count(events, 'payment.succeeded'), events.map((e) => e.type).join(',')).toBe(1);
          expect(count(events, 'payment.failed')).toBe(0);
          await expectEventLogFollowsTable(id, 'succeeded');
          const rows = await expectSettled(id, facts.length);
          for (const r of rows) {
            const stray = !(r.eventKey === `${id}:0` || r.eventKey.startsWith(`${id}:0:`));
            if (stray) expect(r.outcome, r.eventKey).toBe('unmatched');
            else expect(['applied', 'unchanged'], r.eventKey).toContain(r.outcome);
          }
          const strayTries = await handle.db
            .selectFrom('providerNotifications')
            .select('attempts')
            .where('eventKey', 'like', `${id}:%`)
            .where('outcome', '=', 'unmatched')
            .execute();
          for (const t of strayTries) expect(t.attempts).toBe(UNMATCHED_TRIES);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);

  it('settle two pending refunds (and a late REFUND_FAILED of one) the same way', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: AMOUNT - 1 }),
        fc.integer({ min: 1, max: AMOUNT - 1 }),
        fc.constantFrom(undefined, 0, 1),
        scheduleArb,
        async (first, secondWanted, failsLate, schedule) => {
          const second = Math.min(secondWanted, AMOUNT - first);
          const { id } = await newPayment('automatic', async (req) => ({
            status: 'captured',
            providerReference: psp(req.attemptId),
          }));
          const refundIds: string[] = [];
          for (const amount of [first, second]) {
            const res = await createRefund(deps, scope, { payment: id, amount, metadata: {} }, noIdempotency);
            expect(res.body).toMatchObject({ status: 'pending', amount });
            refundIds.push((res.body as { id: string }).id);
          }
          const [r1, r2] = refundIds as [string, string];
          const facts: ProviderFact[] = [
            { kind: 'refund', refundId: r1, providerReference: psp(r1), succeeded: true },
            { kind: 'refund', refundId: r2, providerReference: psp(r2), succeeded: true },
          ];
          const failed = failsLate === undefined ? undefined : refundIds[failsLate];
          if (failed)
            facts.push({
              kind: 'refund',
              refundId: failed,
              providerReference: psp(failed),
              succeeded: false,
            });

          const before = await snapshot(id);
          await play(deliveries(id, facts.length, schedule), facts, schedule.flush, watcher(id, before));

          const p = await deps.store.getPayment(scope, id);
          expect(p?.status).toBe('succeeded');
          expect(p?.amountReceived).toBe(AMOUNT);
          const amounts = new Map([
            [r1, first],
            [r2, second],
          ]);
          expect(p?.amountRefunded).toBe(
            refundIds.filter((r) => r !== failed).reduce((s, r) => s + (amounts.get(r) ?? 0), 0),
          );
          for (const r of refundIds) {
            const refund = await deps.store.getRefund(scope, r);
            expect(refund?.status, r).toBe(r === failed ? 'failed' : 'succeeded');
            const events = await eventsAbout(r);
            expect(count(events, 'refund.created'), r).toBe(1);
            expect(count(events, 'refund.failed'), r).toBe(r === failed ? 1 : 0);
            if (r === failed) expect(count(events, 'refund.succeeded'), r).toBeLessThanOrEqual(1);
            else expect(count(events, 'refund.succeeded'), r).toBe(1);
          }
          await expectEventLogFollowsTable(id, 'succeeded');
          await expectSettled(id, facts.length);
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
