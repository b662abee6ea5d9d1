import type { ModificationOutcome } from '../connector.js';
import { errors } from '../errors.js';
import { newId } from '../ids.js';
import type { PaymentRecord, RefundRecord, Scope } from '../records.js';
import type { StoreTx } from '../store.js';
import { refundView } from '../views.js';
import { attemptRef } from './attempts.js';
import type { CoreDeps } from './deps.js';
import { emitRefundEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
import { inquiryDelayMs } from './outcomes.js';

export const refundReasons = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export interface CreateRefundInput {
  payment: string;
  amount?: number;
  reason?: (typeof refundReasons)[number];
  metadata: Record<string, string>;
}

/**
 * Refunds. The amount is checked against what remains (received minus every pending or
 * succeeded refund) and the refund row is written in one transaction under the payment's lock:
 * concurrent refunds queue on that lock, so their sum can never exceed what was received.
 */
export async function createRefund(
  deps: CoreDeps,
  scope: Scope,
  input: CreateRefundInput,
  progress: Progress,
): Promise<ApiResponse> {
  let refundId = progress.data.refund;
  if (progress.point !== 'refund_started') {
    refundId = await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPayment(scope, input.payment);
      if (!payment) throw errors.notFound('payment', input.payment, 'payment');
      if (payment.amountReceived === 0) {
        throw errors.refundUnavailable(
          payment.id,
          `This payment has no captured funds to refund (status ${payment.status}).`,
        );
      }
      const remaining = payment.amountReceived - (await tx.refundsReserved(payment.id));
      if (remaining <= 0)
        throw errors.refundUnavailable(payment.id, 'This payment has already been fully refunded.');
      const amount = input.amount ?? remaining;
      if (amount > remaining) {
        throw errors.amountTooLarge(
          'amount',
          `Refund amount (${amount}) is greater than the amount that remains refundable (${remaining}).`,
          payment.id,
        );
      }
      const attempt = await tx.currentAttempt(payment.id);
      if (!attempt)
        throw errors.refundUnavailable(payment.id, 'This payment has no provider attempt to refund.');
      const refund: RefundRecord = {
        ...scope,
        id: newId('refund'),
        paymentId: payment.id,
        attemptId: attempt.id,
        amount,
        currency: payment.currency,
        status: 'pending',
        outcomeUnknown: false,
        inquiries: 0,
        // A deadline: still without an answer then (its request died), it is sent again.
        nextInquiryAt: new Date(deps.clock.now().getTime() + deps.idempotencyLeaseMs),
        reason: input.reason ?? null,
        failureReason: null,
        metadata: input.metadata,
        providerReference: null,
        createdAt: deps.clock.now(),
      };
      await tx.insertRefund(refund);
      await emitRefundEvent(tx, refund, 'refund.created', refund.createdAt);
      await progress.reach(tx, 'refund_started', { refund: refund.id });
      return refund.id;
    });
  }

  const refund = await deps.store.getRefund(scope, refundId as string);
  const attempt = refund && (await deps.store.getAttempt(refund.attemptId));
  if (!refund || !attempt) throw errors.notFound('refund', refundId as string);

  let outcome: ModificationOutcome = { status: 'pending' };
  if (refund.status === 'pending') {
    const connector = await deps.connectors.forAttempt(attempt);
    outcome = connector
      ? await connector
          .refund({
            attempt: attemptRef(attempt),
            refundId: refund.id,
            idempotencyKey: refund.id,
            amount: refund.amount,
            currency: refund.currency,
            reason: refund.reason,
          })
          .catch((err: unknown) => ({ status: 'unknown', reason: String(err) }) as const)
      : { status: 'unknown', reason: 'connector missing' };
  }

  return deps.store.transaction(async (tx) => {
    const payment = (await tx.lockPayment(scope, refund.paymentId)) as PaymentRecord;
    const fresh = (await tx.getRefund(scope, refund.id)) as RefundRecord;
    const applied = await applyRefundOutcome(deps, tx, payment, fresh, outcome);
    const response = { status: 200, body: refundView(applied) };
    await progress.finish(tx, response);
    return response;
  });
}

/** Records the provider's answer on a refund; a refund already final is left as it is. */
export async function applyRefundOutcome(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  refund: RefundRecord,
  outcome: ModificationOutcome,
): Promise<RefundRecord> {
  if (refund.status !== 'pending') return refund;
  const now = deps.clock.now();
  if (outcome.status === 'pending' || outcome.status === 'unknown') {
    // Unknown: asked again later with the same idempotency key (see recovery.ts). Pending: the
    // provider took it and will say (webhook).
    const unknown = outcome.status === 'unknown';
    const next: RefundRecord = {
      ...refund,
      outcomeUnknown: unknown,
      nextInquiryAt: unknown ? new Date(now.getTime() + inquiryDelayMs(deps, refund.inquiries)) : null,
      providerReference:
        outcome.status === 'pending'
          ? (outcome.providerReference ?? refund.providerReference)
          : refund.providerReference,
    };
    await tx.updateRefund(next);
    return next;
  }
  if (outcome.status === 'failed') {
    const next: RefundRecord = {
      ...refund,
      status: 'failed',
      outcomeUnknown: false,
      nextInquiryAt: null,
      failureReason: outcome.reason,
    };
    await tx.updateRefund(next);
    await emitRefundEvent(tx, next, 'refund.failed', now);
    return next;
  }
  const next: RefundRecord = {
    ...refund,
    status: 'succeeded',
    outcomeUnknown: false,
    nextInquiryAt: null,
    providerReference: outcome.providerReference ?? refund.providerReference,
  };
  await tx.updateRefund(next);
  await tx.updatePayment({ ...payment, amountRefunded: payment.amountRefunded + refund.amount });
  await emitRefundEvent(tx, next, 'refund.succeeded', now);
  return next;
}
