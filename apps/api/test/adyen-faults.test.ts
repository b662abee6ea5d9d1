import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type AdyenPlatform,
  expectConformingCalls,
  passChallenge,
  startAdyenPlatform,
} from './adyen-platform.js';

/**
 * Adyen on a bad day, through the api: answers lost after Adyen acted, 500s before it did,
 * webhooks dropped, duplicated and overtaking each other. After each, payin's view must be
 * Adyen's (the emulator's ledger): no double capture, no lost refund, no unknown left unknown,
 * and never an outcome guessed.
 */
let p: AdyenPlatform;
const VISA = '4111111111111111';
const TIMEOUT_MS = 1_500;

beforeAll(async () => {
  p = await startAdyenPlatform({ PAYIN_PROVIDER_TIMEOUT_MS: String(TIMEOUT_MS) });
}, 90_000);
afterEach(async () => {
  await p.resetFaults();
});
afterAll(async () => {
  await p?.close();
});

const payment = async (id: string) => (await p.m.get(`/v1/payments/${id}`)).body;
const attemptOf = (id: string) => p.t.api.core.store.transaction((tx) => tx.currentAttempt(id));
const settled = (id: string, status: string) =>
  p.eventually(async () => {
    const now = await payment(id);
    return now.status === status ? now : undefined;
  }, `payment ${id} to be ${status}`);
const ledgerOf = async (id: string) => {
  const attempt = await attemptOf(id);
  const entries = await p.ledgerByReference(attempt?.id as string);
  expect(entries, 'one payment at Adyen per attempt').toHaveLength(1);
  return entries[0] as NonNullable<(typeof entries)[0]>;
};
const manualPayment = async (amount = 5_000) => {
  const paid = await p.pay((await p.tokenize(VISA)).id, { amount, capture_method: 'manual' });
  expect(paid.body.status, paid.text).toBe('requires_capture');
  return paid.body.id as string;
};

describe('lost and failed answers from Adyen', () => {
  it('a /payments answer that times out after Adyen charged: unknown, then the AUTHORISATION webhook', async () => {
    await p.faults({ calls: [{ operation: 'payments', fault: 'timeout' }] });
    const paid = await p.pay((await p.tokenize(VISA)).id);
    expect(paid.status, paid.text).toBe(200);
    // Never failed by guesswork: processing until Adyen's word, or already succeeded by it.
    expect(['processing', 'succeeded']).toContain(paid.body.status);
    const done = await settled(paid.body.id, 'succeeded');
    expect(done.amount_received).toBe(2599);
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a cut connection after Adyen charged ends the same way', async () => {
    await p.faults({ calls: [{ operation: 'payments', fault: 'drop_answer' }] });
    const paid = await p.pay((await p.tokenize(VISA)).id);
    expect(paid.status, paid.text).toBe(200);
    await settled(paid.body.id, 'succeeded');
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a 500 before Adyen acted is retried with the same Idempotency-Key (without the spent CVC) and charges once', async () => {
    await p.faults({ calls: [{ operation: 'payments', fault: 'error_500' }] });
    const paid = await p.pay((await p.tokenize(VISA)).id);
    expect(paid.body.status, paid.text).toBe('succeeded');
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a lost answer whose webhook is lost too stays processing until the webhook is resent', async () => {
    await p.faults({ calls: [{ operation: 'payments', fault: 'timeout' }], webhooks: { drop: 1 } });
    const paid = await p.pay((await p.tokenize(VISA)).id);
    expect(paid.body.status, paid.text).toBe('processing');
    // The recovery job runs every second and asks nothing of Adyen (it has no inquiry): it
    // must leave the payment alone rather than guess.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await payment(paid.body.id)).status).toBe('processing');
    expect((await attemptOf(paid.body.id))?.status).toBe('unknown');

    const resent = await fetch(`${p.emulators.url}/_control/adyen/webhooks/resend`, { method: 'POST' });
    expect(((await resent.json()) as { resent: number }).resent).toBeGreaterThan(0);
    await settled(paid.body.id, 'succeeded');
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a lost /payments/details answer after the challenge: unknown, then the AUTHORISATION webhook', async () => {
    const paid = await p.pay((await p.tokenize('4917610000000000')).id, {
      return_url: 'https://shop.example/done',
    });
    expect(paid.body.status, paid.text).toBe('requires_action');
    const challenge = paid.body.next_action.redirect_to_url.url as string;
    const back = await passChallenge(challenge);
    // The answer is lost and so is the webhook, until the Customer Area's resend.
    await p.faults({ calls: [{ operation: 'details', fault: 'timeout' }], webhooks: { drop: 1 } });
    const returned = await fetch(back, { redirect: 'manual' });
    // The shopper's part is done, the outcome not known: processing, never "succeeded" by guess.
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toContain('redirect_status=processing');
    expect((await payment(paid.body.id)).status).toBe('processing');
    await fetch(`${p.emulators.url}/_control/adyen/webhooks/resend`, { method: 'POST' });
    const done = await settled(paid.body.id, 'succeeded');
    expect(done.amount_received).toBe(2599);
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a slow Adyen (latency under the timeout) is only slow', async () => {
    await p.faults({ latencyMs: 400 });
    const paid = await p.pay((await p.tokenize(VISA)).id);
    expect(paid.body.status, paid.text).toBe('succeeded');
    expect((await ledgerOf(paid.body.id)).captured).toBe(2599);
  });

  it('a capture whose answer is lost is sent again with its key and captured once', async () => {
    const id = await manualPayment();
    await p.faults({ calls: [{ operation: 'captures', fault: 'timeout' }] });
    const captured = await p.m.post(`/v1/payments/${id}/capture`, {});
    expect(captured.status, captured.text).toBe(200);
    const done = await settled(id, 'succeeded');
    expect(done.amount_received).toBe(5_000);
    const ledger = await ledgerOf(id);
    expect(ledger.captured).toBe(5_000);
    expect(ledger.modifications.filter((m) => m.type === 'capture')).toHaveLength(1);
  });

  it('a capture refused with 500 before Adyen acted is retried until done', async () => {
    const id = await manualPayment();
    await p.faults({ calls: [{ operation: 'captures', fault: 'error_500', count: 2 }] });
    const captured = await p.m.post(`/v1/payments/${id}/capture`, { amount: 2_000 });
    expect(captured.status, captured.text).toBe(200);
    // Held while unknown: only the rest can be captured meanwhile.
    expect(captured.body.amount_capturable).toBe(3_000);
    expect(captured.body.amount_received).toBe(0);
    const done = await settled(id, 'succeeded');
    expect(done.amount_received).toBe(2_000);
    const ledger = await ledgerOf(id);
    expect(ledger.captured).toBe(2_000);
    expect(ledger.modifications.filter((m) => m.type === 'capture')).toHaveLength(1);
  });

  it('refunds whose answers are cut or refused are retried, and nothing is refunded twice', async () => {
    const paid = await p.pay((await p.tokenize(VISA)).id, { amount: 9_000 });
    const id = paid.body.id;
    await p.faults({
      calls: [
        { operation: 'refunds', fault: 'drop_answer' },
        { operation: 'refunds', fault: 'error_500' },
      ],
    });
    const first = await p.m.post('/v1/refunds', { payment: id, amount: 4_000 });
    const second = await p.m.post('/v1/refunds', { payment: id, amount: 3_000 });
    expect([first.status, second.status]).toEqual([200, 200]);
    for (const refund of [first.body, second.body]) {
      await p.eventually(
        async () => (await p.m.get(`/v1/refunds/${refund.id}`)).body.status === 'succeeded',
        `refund ${refund.id}`,
      );
    }
    expect((await payment(id)).amount_refunded).toBe(7_000);
    const ledger = await ledgerOf(id);
    expect(ledger.refunded).toBe(7_000);
    expect(ledger.modifications.filter((m) => m.type === 'refund').map((m) => m.amount?.value)).toEqual(
      expect.arrayContaining([4_000, 3_000]),
    );
  });

  it('a cancellation whose answer is lost is not confirmed; the retry with the same key is', async () => {
    const id = await manualPayment();
    await p.faults({ calls: [{ operation: 'cancels', fault: 'timeout' }] });
    const key = `cancel-${id}`;
    const first = await p.m.post(`/v1/payments/${id}/cancel`, {}, { 'idempotency-key': key });
    expect(first.status, first.text).toBe(503);
    const again = await p.m.post(`/v1/payments/${id}/cancel`, {}, { 'idempotency-key': key });
    expect(again.status, again.text).toBe(200);
    expect(again.body.status).toBe('canceled');
    const ledger = await ledgerOf(id);
    expect(ledger.cancelled).toBe(true);
    expect(ledger.modifications.filter((m) => m.type === 'cancel')).toHaveLength(1);
  });
});

describe('webhooks that come twice, late, or out of order', () => {
  it('applies duplicated notifications once', async () => {
    await p.faults({ webhooks: { duplicate: 10 } });
    const id = await manualPayment(6_000);
    await p.m.post(`/v1/payments/${id}/capture`, {});
    await settled(id, 'succeeded');
    const refund = await p.m.post('/v1/refunds', { payment: id, amount: 1_000 });
    await p.eventually(
      async () => (await p.m.get(`/v1/refunds/${refund.body.id}`)).body.status === 'succeeded',
      'the refund',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await payment(id)).toMatchObject({ amount_received: 6_000, amount_refunded: 1_000 });
    const events = (await p.m.get('/v1/events?type=payment.succeeded&limit=100')).body.data as any[];
    expect(events.filter((e) => e.data.object.id === id)).toHaveLength(1);
    const stored = await p.t.api.database.db
      .selectFrom('providerNotifications')
      .select('eventKey')
      .where('connectorAccount', '=', p.account)
      .execute();
    expect(new Set(stored.map((s) => s.eventKey)).size).toBe(stored.length);
  });

  it('a late AUTHORISATION after the CAPTURE moves nothing backwards', async () => {
    await p.faults({ webhooks: { delayMs: 1_500 } });
    const id = await manualPayment(4_000);
    await p.faults({ webhooks: { delayMs: 0 } });
    await p.m.post(`/v1/payments/${id}/capture`, {});
    await settled(id, 'succeeded');
    const attempt = await attemptOf(id);
    const late = await p.eventually(async () => {
      const rows = await p.t.api.database.db
        .selectFrom('providerNotifications')
        .selectAll()
        .where('connectorAccount', '=', p.account)
        .execute();
      return rows.find(
        (r) =>
          (r.payload as { eventCode: string; merchantReference: string }).eventCode === 'AUTHORISATION' &&
          (r.payload as { merchantReference: string }).merchantReference === attempt?.id &&
          r.processedAt,
      );
    }, 'the late AUTHORISATION');
    expect(late.outcome).toBe('unchanged');
    expect(await payment(id)).toMatchObject({
      status: 'succeeded',
      amount_received: 4_000,
      amount_capturable: 0,
    });
    expect((await attemptOf(id))?.status).toBe('captured');
  });
});

describe('in the end', () => {
  it('sent Adyen only requests its OpenAPI description accepts, retries included', () => {
    expectConformingCalls(p.calls);
  });

  it("agrees with Adyen's ledger on every payment, with nothing left unknown", async () => {
    const db = p.t.api.database.db;
    const unknownAttempts = await db
      .selectFrom('paymentAttempts')
      .select(['id', 'status'])
      .where('merchantId', '=', p.m.id)
      .where('status', 'in', ['unknown', 'pending'])
      .execute();
    expect(unknownAttempts).toEqual([]);
    const openCaptures = await db
      .selectFrom('captures')
      .innerJoin('payments', 'payments.id', 'captures.paymentId')
      .select(['captures.id', 'captures.status'])
      .where('payments.merchantId', '=', p.m.id)
      .where('captures.status', 'in', ['pending', 'unknown'])
      .execute();
    expect(openCaptures).toEqual([]);
    const openRefunds = await db
      .selectFrom('refunds')
      .select(['id'])
      .where('merchantId', '=', p.m.id)
      .where('status', '=', 'pending')
      .execute();
    expect(openRefunds).toEqual([]);

    const payments = await db
      .selectFrom('payments')
      .select(['id', 'status', 'amountReceived', 'amountRefunded'])
      .where('merchantId', '=', p.m.id)
      .where('connector', '=', 'adyen')
      .execute();
    expect(payments.length).toBeGreaterThan(8);
    for (const row of payments) {
      const ledger = await ledgerOf(row.id);
      expect({ id: row.id, received: row.amountReceived, refunded: row.amountRefunded }).toEqual({
        id: row.id,
        received: ledger.captured,
        refunded: ledger.refunded,
      });
    }
  });
});
