import type { ModificationOutcome } from '../connector.js';
import { errors } from '../errors.js';
import { newId } from '../ids.js';
import type { CaptureRecord, PaymentRecord, Scope } from '../records.js';
import { assertTransition } from '../state/index.js';
import type { StoreTx } from '../store.js';
import { paymentView } from '../views.js';
import { attemptRef } from './attempts.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
import { inquiryDelayMs } from './outcomes.js';

export interface CaptureInput {
  amount?: number;
  /** false keeps the rest of the authorisation capturable (multicapture). Default true. */
  finalCapture: boolean;
}

/**
 * Manual capture. The amount is reserved (taken off amount_capturable) in the first
 * transaction, under the payment's lock, so concurrent captures can never add up to more
 * than was authorised; the provider is called after, with the capture's id as idempotency key.
 */
export async function capturePayment(
  deps: CoreDeps,
  scope: Scope,
  paymentId: string,
  input: CaptureInput,
  progress: Progress,
): Promise<ApiResponse> {
  let captureId = progress.data.capture;
  if (progress.point !== 'capture_started') {
    captureId = await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPayment(scope, paymentId);
      if (!payment) throw errors.notFound('payment', paymentId);
      if (payment.status !== 'requires_capture')
        throw errors.unexpectedState(payment.id, payment.status, 'captured');
      const now = deps.clock.now();
      if (
        payment.cancelRequestedAt &&
        now.getTime() - payment.cancelRequestedAt.getTime() < deps.idempotencyLeaseMs
      ) {
        throw errors.operationInProgress(payment.id, 'This payment is being canceled.');
      }
      const amount = input.amount ?? payment.amountCapturable;
      if (payment.amountCapturable === 0) {
        throw errors.operationInProgress(
          payment.id,
          'Nothing remains capturable: captures in progress hold the rest.',
        );
      }
      if (amount > payment.amountCapturable) {
        throw errors.amountTooLarge(
          'amount',
          `The amount to capture (${amount}) is greater than amount_capturable (${payment.amountCapturable}).`,
          payment.id,
        );
      }
      const attempt = await tx.currentAttempt(payment.id);
      if (attempt?.status !== 'authorized')
        throw errors.unexpectedState(payment.id, payment.status, 'captured');
      const capture: CaptureRecord = {
        id: newId('capture'),
        paymentId: payment.id,
        attemptId: attempt.id,
        amount,
        final: input.finalCapture,
        status: 'pending',
        inquiries: 0,
        // A deadline: still without an answer then (its request died), it is sent again.
        nextInquiryAt: new Date(now.getTime() + deps.idempotencyLeaseMs),
        createdAt: deps.clock.now(),
      };
      await tx.insertCapture(capture);
      await tx.updatePayment({ ...payment, amountCapturable: payment.amountCapturable - amount });
      await progress.reach(tx, 'capture_started', { capture: capture.id });
      return capture.id;
    });
  }

  const pending = await deps.store.transaction(async (tx) => {
    const payment = await tx.lockPayment(scope, paymentId);
    const attempt = payment && (await tx.currentAttempt(payment.id));
    const capture = payment && (await tx.getCapture(captureId as string));
    if (!payment || !attempt || !capture) throw errors.notFound('payment', paymentId);
    return { attempt, capture };
  });
  const { attempt, capture } = pending;

  let outcome: ModificationOutcome = { status: 'succeeded' };
  if (capture.status === 'pending' || capture.status === 'unknown') {
    const connector = await deps.connectors.forAttempt(attempt);
    outcome = connector
      ? await connector
          .capture({
            attempt: attemptRef(attempt),
            captureId: capture.id,
            idempotencyKey: capture.id,
            amount: capture.amount,
            final: capture.final,
          })
          .catch((err: unknown) => ({ status: 'unknown', reason: String(err) }) as const)
      : { status: 'unknown', reason: 'connector missing' };
  }

  return deps.store.transaction(async (tx) => {
    const payment = (await tx.lockPayment(scope, paymentId)) as PaymentRecord;
    const fresh = (await tx.getCapture(capture.id)) as CaptureRecord;
    const next = await applyCapture(deps, tx, payment, fresh, outcome);
    const response: ApiResponse =
      fresh.status !== 'failed' && outcome.status === 'failed'
        ? {
            status: 402,
            body: errors
              .paymentFailed(
                payment.id,
                'capture_failed',
                `The provider refused the capture: ${outcome.reason}.`,
              )
              .toJSON(),
          }
        : { status: 200, body: paymentView(next) };
    await progress.finish(tx, response);
    return response;
  });
}

/** Records the provider's answer on a capture; a capture already final is left as it is. */
export async function applyCapture(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  capture: CaptureRecord,
  outcome: ModificationOutcome,
): Promise<PaymentRecord> {
  if (capture.status === 'succeeded' || capture.status === 'failed') return payment;
  const now = deps.clock.now();
  if (outcome.status === 'pending') {
    // The provider took it and will confirm it (webhook); the amount stays reserved.
    await tx.updateCapture({ ...capture, status: 'pending', nextInquiryAt: null });
    return payment;
  }
  if (outcome.status === 'unknown') {
    // Sent again later with the same idempotency key (see recovery.ts); still reserved.
    const retryAt = new Date(now.getTime() + inquiryDelayMs(deps, capture.inquiries));
    await tx.updateCapture({ ...capture, status: 'unknown', nextInquiryAt: retryAt });
    return payment;
  }
  if (outcome.status === 'failed') {
    await tx.updateCapture({ ...capture, status: 'failed', nextInquiryAt: null });
    const captures = await tx.capturesOf(payment.id);
    // Its reservation goes back only while the payment still takes captures: not after a final
    // capture went through, nor after a cancel.
    const next =
      payment.status === 'requires_capture' && !finalCaptured(captures)
        ? { ...payment, amountCapturable: payment.amountCapturable + capture.amount }
        : payment;
    if (next !== payment) await tx.updatePayment(next);
    await emitPaymentEvent(tx, next, 'payment.capture_failed', now);
    return completeCaptures(deps, tx, next, captures, now);
  }
  await tx.updateCapture({ ...capture, status: 'succeeded', nextInquiryAt: null });
  const received = payment.amountReceived + capture.amount;
  if (payment.status !== 'requires_capture') {
    // Already succeeded by the captures settled before this one: it only adds what it received.
    const next = { ...payment, amountReceived: received };
    await tx.updatePayment(next);
    return next;
  }
  const next: PaymentRecord = {
    ...payment,
    amountReceived: received,
    amountCapturable: capture.final ? 0 : payment.amountCapturable,
  };
  const completed = await completeCaptures(deps, tx, next, await tx.capturesOf(payment.id), now);
  if (completed.status !== 'succeeded') {
    await tx.updatePayment(next);
    await emitPaymentEvent(tx, next, 'payment.amount_capturable_updated', now);
  }
  return completed;
}

const finalCaptured = (captures: CaptureRecord[]) =>
  captures.some((c) => c.final && c.status === 'succeeded');

/**
 * Captures are confirmed in any order (several in flight, answers and webhooks racing). The
 * payment succeeds once, when no capture is on its way any more and nothing remains to capture
 * (a final capture went through, or the captures took the whole authorisation), so its
 * `payment.succeeded` carries the final amount received. Returns the payment as it is then.
 */
async function completeCaptures(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  captures: CaptureRecord[],
  now: Date,
): Promise<PaymentRecord> {
  const inFlight = captures.some((c) => c.status === 'pending' || c.status === 'unknown');
  const nothingLeft = finalCaptured(captures) || payment.amountCapturable === 0;
  if (payment.status !== 'requires_capture' || inFlight || !nothingLeft || payment.amountReceived === 0) {
    return payment;
  }
  assertTransition('payment', payment.status, 'succeeded');
  const next: PaymentRecord = { ...payment, status: 'succeeded', amountCapturable: 0 };
  const attempt = captures[0] && (await tx.getAttempt(captures[0].attemptId));
  if (attempt && attempt.status === 'authorized') {
    await tx.updateAttempt({ ...attempt, status: 'captured', updatedAt: now });
  }
  await tx.updatePayment(next);
  await emitPaymentEvent(tx, next, 'payment.succeeded', now);
  deps.observer?.paymentOutcome?.(payment.connector ?? 'none', 'succeeded');
  return next;
}
