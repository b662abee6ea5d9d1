import type { Connector } from '../connector.js';
import { errors } from '../errors.js';
import type { AttemptRecord, PaymentRecord, Scope } from '../records.js';
import { assertTransition, cancelableStatuses } from '../state/index.js';
import type { StoreTx } from '../store.js';
import { paymentView } from '../views.js';
import { attemptRef } from './attempts.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
import { applyAuthorization } from './outcomes.js';

const ok = (payment: PaymentRecord): ApiResponse => ({ status: 200, body: paymentView(payment) });

export async function cancelPayment(
  deps: CoreDeps,
  scope: Scope,
  paymentId: string,
  input: { cancellationReason?: string },
  progress: Progress,
): Promise<ApiResponse> {
  const needsVoid = await deps.store.transaction(async (tx) => {
    const payment = await tx.lockPayment(scope, paymentId);
    if (!payment) throw errors.notFound('payment', paymentId);
    if (payment.status === 'canceled' && progress.point === 'void_started') return undefined;
    if (!cancelableStatuses.includes(payment.status)) {
      throw errors.unexpectedState(payment.id, payment.status, 'canceled');
    }
    const attempt = await tx.currentAttempt(payment.id);
    const held = payment.status === 'requires_capture' && attempt?.status === 'authorized';
    // A shopper sent to a bank or given a voucher could still pay after payin forgot the
    // payment: the provider is told first, as an authorisation is released.
    const awaitingShopper = payment.status === 'requires_action' && attempt?.status === 'requires_action';
    if (held || awaitingShopper) {
      // A capture and a void sent to the provider at the same time would leave the outcome to
      // chance: one waits for the other.
      if (held && (await tx.capturesInFlight(payment.id))) {
        throw errors.operationInProgress(
          payment.id,
          'A capture of this payment is in progress; retry once it has finished.',
        );
      }
      await tx.updatePayment({ ...payment, cancelRequestedAt: deps.clock.now() });
      await progress.reach(tx, 'void_started');
      return { attempt };
    }
    const response = ok(await markCanceled(deps, tx, payment, attempt, input.cancellationReason));
    await progress.finish(tx, response);
    return { response };
  });
  if (needsVoid && 'response' in needsVoid && needsVoid.response) return needsVoid.response;

  // An authorisation is held at the provider: release it there first.
  const attempt = needsVoid && 'attempt' in needsVoid ? needsVoid.attempt : undefined;
  if (attempt) {
    const connector = await deps.connectors.forAttempt(attempt);
    const res = connector
      ? await connector
          .cancel({ attempt: attemptRef(attempt), idempotencyKey: `${attempt.id}:cancel` })
          .catch((err: unknown) => ({ status: 'unknown' as const, reason: String(err) }))
      : ({ status: 'unknown', reason: 'connector missing' } as const);
    if (res.status === 'failed' && attempt.status === 'requires_action' && connector) {
      // Refused: either there is nothing to cancel yet (no order placed, no authorisation) or
      // the shopper has just paid. The provider's word on the attempt decides which.
      const moved = await shopperPaidMeanwhile(deps, scope, paymentId, attempt, connector);
      if (moved) throw errors.unexpectedState(paymentId, moved, 'canceled');
    } else if (res.status === 'failed') {
      await deps.store.transaction(async (tx) => {
        const payment = await tx.lockPayment(scope, paymentId);
        if (payment) await tx.updatePayment({ ...payment, cancelRequestedAt: null });
      });
    }
    if ((res.status === 'failed' && attempt.status !== 'requires_action') || res.status === 'unknown') {
      throw errors.unavailable(
        'The provider did not confirm the cancellation. Retry the request with the same Idempotency-Key.',
      );
    }
  }
  return deps.store.transaction(async (tx) => {
    const payment = await tx.lockPayment(scope, paymentId);
    if (!payment) throw errors.notFound('payment', paymentId);
    const current = await tx.currentAttempt(payment.id);
    const result =
      payment.status === 'canceled'
        ? payment
        : await markCanceled(deps, tx, payment, current, input.cancellationReason);
    const response = ok(result);
    await progress.finish(tx, response);
    return response;
  });
}

/**
 * After a refused cancellation of an attempt left to the shopper: whether the provider says it
 * was paid (or is being paid) meanwhile. That outcome is applied and its status returned; the
 * payment is not canceled then. Undefined when the provider knows of no payment to cancel.
 */
async function shopperPaidMeanwhile(
  deps: CoreDeps,
  scope: Scope,
  paymentId: string,
  attempt: AttemptRecord,
  connector: Connector,
): Promise<string | undefined> {
  const answer = await connector.status(attemptRef(attempt)).catch(() => undefined);
  if (!answer) {
    throw errors.unavailable(
      'The provider did not confirm the cancellation. Retry the request with the same Idempotency-Key.',
    );
  }
  if (answer.status !== 'authorized' && answer.status !== 'captured' && answer.status !== 'processing')
    return undefined;
  return deps.store.transaction(async (tx) => {
    const payment = await tx.lockPayment(scope, paymentId);
    const fresh = await tx.getAttempt(attempt.id);
    if (!payment || !fresh) return undefined;
    await tx.updatePayment({ ...payment, cancelRequestedAt: null });
    const applied = await applyAuthorization(
      deps,
      tx,
      { ...payment, cancelRequestedAt: null },
      fresh,
      answer,
    );
    return applied.payment.status;
  });
}

export async function markCanceled(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  attempt: AttemptRecord | undefined,
  reason: string | undefined,
): Promise<PaymentRecord> {
  const now = deps.clock.now();
  assertTransition('payment', payment.status, 'canceled');
  if (attempt && (attempt.status === 'authorized' || attempt.status === 'requires_action')) {
    assertTransition('attempt', attempt.status, 'voided');
    await tx.updateAttempt({ ...attempt, status: 'voided', updatedAt: now });
  }
  const next: PaymentRecord = {
    ...payment,
    status: 'canceled',
    amountCapturable: 0,
    nextAction: null,
    cancellationReason: reason ?? null,
    canceledAt: now,
    cancelRequestedAt: null,
  };
  await tx.updatePayment(next);
  await emitPaymentEvent(tx, next, 'payment.canceled', now);
  deps.observer?.paymentOutcome?.(payment.connector ?? 'none', 'canceled');
  return next;
}
