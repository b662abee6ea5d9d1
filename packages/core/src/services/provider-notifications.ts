import type { AuthorizationOutcome, ProviderFact } from '../connector.js';
import type {
  AttemptRecord,
  CaptureRecord,
  PaymentRecord,
  ProviderNotificationRecord,
  RefundRecord,
} from '../records.js';
import type { StoreTx } from '../store.js';
import { markCanceled } from './cancellation.js';
import { applyCapture } from './captures.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent, emitRefundEvent } from './events.js';
import { applyAuthorization, inquiryDelayMs } from './outcomes.js';
import { applyRefundOutcome } from './refunds.js';

/**
 * Providers' notifications (webhooks), applied after they were stored and acknowledged. Each is
 * applied in one transaction with the payment's lock, and marked done in the same transaction:
 * applied once, whatever the number of deliveries. Facts arrive in any order; the state
 * machines make an old fact change nothing (a late AUTHORISATION after a CAPTURE moves nothing
 * backwards).
 */

/** Tries of a notification that names nothing payin knows (yet) before it is set aside. */
export const UNMATCHED_TRIES = 8;

export type FactResult = 'applied' | 'unchanged' | 'ignored' | 'unmatched';

/** Applies every notification due; returns how many were settled, and how many named nothing known yet. */
export async function processProviderNotifications(
  deps: CoreDeps,
  limit = 100,
): Promise<{ processed: number; unmatched: number }> {
  const due = await deps.store.providerNotificationsDue(deps.clock.now(), limit);
  let processed = 0;
  let unmatched = 0;
  for (const stored of due) {
    const settled = await deps.store.transaction(async (tx) => {
      const n = await tx.lockProviderNotification(stored.id);
      if (!n || n.processedAt) return undefined;
      const fact = deps.connectors.factOf(n.connector, n.payload);
      const outcome = fact ? await applyProviderFact(deps, tx, fact, n.connectorAccount) : 'unreadable';
      await tx.updateProviderNotification(settle(deps, n, outcome));
      return { outcome, connector: n.connector };
    });
    if (!settled) continue;
    deps.observer?.providerNotification?.(settled.connector, settled.outcome);
    if (settled.outcome === 'unmatched') unmatched++;
    else processed++;
  }
  return { processed, unmatched };
}

/**
 * A notification that names an object payin does not know is tried again with backoff: it may
 * concern a request whose transaction has not committed yet. After UNMATCHED_TRIES it is kept,
 * marked, for an operator to look at.
 */
function settle(
  deps: CoreDeps,
  n: ProviderNotificationRecord,
  result: FactResult | 'unreadable',
): ProviderNotificationRecord {
  const now = deps.clock.now();
  const attempts = n.attempts + 1;
  if (result === 'unmatched' && attempts < UNMATCHED_TRIES) {
    return {
      ...n,
      attempts,
      outcome: 'unmatched',
      nextAttemptAt: new Date(now.getTime() + inquiryDelayMs(deps, attempts - 1)),
    };
  }
  return { ...n, attempts, outcome: result, processedAt: now, nextAttemptAt: null };
}

/**
 * One fact, under the lock of the payment it concerns. `account` is the connector account whose
 * key signed it: a fact about an attempt made through another account (another merchant's) is
 * not applied, whatever it names.
 */
export async function applyProviderFact(
  deps: CoreDeps,
  tx: StoreTx,
  fact: ProviderFact,
  account: string,
): Promise<FactResult> {
  const ours = async (attemptId: string) => {
    const attempt = await tx.getAttempt(attemptId);
    return attempt?.connectorAccount === account ? attempt : undefined;
  };
  switch (fact.kind) {
    case 'ignored':
      return 'ignored';
    case 'authorization': {
      const attempt = await ours(fact.attemptId);
      const payment = attempt && (await tx.lockPaymentById(attempt.paymentId));
      if (!attempt || !payment) return 'unmatched';
      const fresh = (await tx.getAttempt(attempt.id)) ?? attempt;
      const outcome: AuthorizationOutcome = fact.succeeded
        ? { status: fresh.capture ? 'captured' : 'authorized', providerReference: fact.providerReference }
        : {
            status: 'failed',
            providerReference: fact.providerReference,
            error: fact.error ?? {
              code: 'card_declined',
              declineCode: 'generic_decline',
              message: 'The card was declined.',
            },
          };
      if (fact.succeeded && (fresh.status === 'failed' || fresh.status === 'voided')) {
        return lateSuccess(deps, tx, payment, fresh);
      }
      if (!fact.succeeded && fresh.status === 'authorized') {
        // An authorisation the provider withdrew (Klarna stopping an order on fraud review):
        // nothing can be captured any more.
        return canceledByProvider(deps, tx, payment, fresh);
      }
      // The attempt answered now was still being sent: it becomes unknown first, then takes the fact.
      const base = fresh.status === 'pending' ? { ...fresh, status: 'unknown' as const } : fresh;
      const applied = await applyAuthorization(deps, tx, payment, base, outcome);
      return applied.changed ? 'applied' : 'unchanged';
    }
    case 'capture': {
      const found = await captureOf(tx, fact.captureId);
      if (!found || !(await ours(found.capture.attemptId))) return 'unmatched';
      const { payment, capture } = found;
      if (capture.status === 'succeeded' && !fact.succeeded)
        return captureFailedLate(deps, tx, payment, capture);
      if (capture.status === 'succeeded' || capture.status === 'failed') return 'unchanged';
      await applyCapture(
        deps,
        tx,
        payment,
        capture,
        fact.succeeded
          ? { status: 'succeeded' }
          : { status: 'failed', reason: fact.reason ?? 'capture failed' },
      );
      return 'applied';
    }
    case 'refund': {
      const refund = await tx.findRefund(fact.refundId);
      const payment =
        refund && (await ours(refund.attemptId)) && (await tx.lockPaymentById(refund.paymentId));
      if (!refund || !payment) return 'unmatched';
      const fresh = (await tx.findRefund(refund.id)) ?? refund;
      if (fresh.status === 'succeeded' && !fact.succeeded)
        return refundFailedLate(deps, tx, payment, fresh, fact.reason);
      if (fresh.status !== 'pending') return 'unchanged';
      await applyRefundOutcome(
        deps,
        tx,
        payment,
        fresh,
        fact.succeeded
          ? { status: 'succeeded', providerReference: fact.providerReference }
          : { status: 'failed', reason: fact.reason ?? 'refund failed' },
      );
      return 'applied';
    }
    case 'cancellation': {
      // payin marks a payment canceled once the provider accepted the request; the
      // confirmation changes nothing. A refused cancellation leaves an authorisation open at the
      // provider, which expires there on its own: nothing was captured. One the provider made
      // on its own cancels the payment.
      const attempt = await ours(fact.attemptId);
      if (!attempt) return 'unmatched';
      if (!fact.succeeded || attempt.status !== 'authorized') return 'unchanged';
      const payment = await tx.lockPaymentById(attempt.paymentId);
      const fresh = payment && (await tx.getAttempt(attempt.id));
      return payment && fresh?.status === 'authorized'
        ? canceledByProvider(deps, tx, payment, fresh)
        : 'unchanged';
    }
  }
}

/**
 * Money taken for an attempt payin had failed or canceled. Nothing moves backwards (a failed
 * attempt does not become paid), but nothing is hidden either: the merchant and the operators
 * hear it (`payment.late_success`, and the `late_success` outcome in the metrics) and give the money back.
 * Each notification is stored once (its event key), so a redelivery says nothing twice.
 */
/**
 * The provider withdrew an authorisation payin holds (nothing captured yet): the payment is
 * canceled, as if the merchant had, with `cancellation_reason` `automatic`. A payment already
 * partly captured is left as it is.
 */
async function canceledByProvider(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  attempt: AttemptRecord,
): Promise<FactResult> {
  if (payment.status !== 'requires_capture' || payment.amountCapturable === 0) return 'unchanged';
  // Part of it captured: what came stays, the rest goes when the merchant's final capture fails.
  if (payment.amountReceived > 0) return 'unchanged';
  await markCanceled(deps, tx, payment, attempt, 'automatic');
  return 'applied';
}

async function lateSuccess(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  attempt: AttemptRecord,
): Promise<FactResult> {
  await emitPaymentEvent(tx, payment, 'payment.late_success', deps.clock.now());
  deps.observer?.paymentOutcome?.(attempt.connector, 'late_success');
  return 'applied';
}

/**
 * A capture the provider confirmed and then reported failed (Adyen: CAPTURE, later
 * CAPTURE_FAILED, when the scheme rejected it). The money did not come: amount_received says
 * so, and the merchant hears it. The payment's status stays: nothing goes backwards.
 */
async function captureFailedLate(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  capture: CaptureRecord,
): Promise<FactResult> {
  const now = deps.clock.now();
  await tx.updateCapture({ ...capture, status: 'failed', nextInquiryAt: null });
  const next = { ...payment, amountReceived: payment.amountReceived - capture.amount };
  await tx.updatePayment(next);
  await emitPaymentEvent(tx, next, 'payment.capture_failed', now);
  return 'applied';
}

/** A refund confirmed and then reported failed (Adyen: REFUND_FAILED): the money went nowhere. */
async function refundFailedLate(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  refund: RefundRecord,
  reason: string | undefined,
): Promise<FactResult> {
  const now = deps.clock.now();
  const next: RefundRecord = { ...refund, status: 'failed', failureReason: reason ?? 'refund failed' };
  await tx.updateRefund(next);
  await tx.updatePayment({ ...payment, amountRefunded: payment.amountRefunded - refund.amount });
  await emitRefundEvent(tx, next, 'refund.failed', now);
  return 'applied';
}

async function captureOf(tx: StoreTx, captureId: string) {
  const unlocked = await tx.getCapture(captureId);
  const payment = unlocked && (await tx.lockPaymentById(unlocked.paymentId));
  const capture = payment && (await tx.getCapture(captureId));
  return payment && capture ? { payment, capture } : undefined;
}
