import type { AttemptRef, AuthorizationOutcome } from '../connector.js';
import { errors, PayinError } from '../errors.js';
import { newId, randomToken } from '../ids.js';
import type { AttemptRecord, EventRecord, PaymentRecord, Scope } from '../records.js';
import { assertTransition, cancelableStatuses, confirmableStatuses } from '../state/index.js';
import { StaleSnapshotError, type StoreTx } from '../store.js';
import { paymentView } from '../views.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent, paymentEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
import { applyAuthorization } from './outcomes.js';

export interface CreatePaymentInput {
  amount: number;
  currency: string;
  captureMethod: 'automatic' | 'manual';
  reference?: string | null;
  description?: string | null;
  customer?: string | null;
  country?: string | null;
  paymentMethod?: string | null;
  confirm: boolean;
  returnUrl?: string | null;
  metadata: Record<string, string>;
}

export interface ConfirmPaymentInput {
  paymentMethod?: string;
  returnUrl?: string;
}

const ok = (payment: PaymentRecord): ApiResponse => ({ status: 200, body: paymentView(payment) });

export async function createPayment(
  deps: CoreDeps,
  scope: Scope,
  input: CreatePaymentInput,
  progress: Progress,
): Promise<ApiResponse> {
  if (progress.point === 'attempt_started') return runAttempt(deps, scope, progress);
  const now = deps.clock.now();
  const id = newId('payment');
  const payment: PaymentRecord = {
    ...scope,
    id,
    amount: input.amount,
    currency: input.currency,
    status: input.paymentMethod && !input.confirm ? 'requires_confirmation' : 'requires_payment_method',
    captureMethod: input.captureMethod,
    amountCapturable: 0,
    amountReceived: 0,
    amountRefunded: 0,
    reference: input.reference ?? null,
    description: input.description ?? null,
    customer: input.customer ?? null,
    country: input.country ?? null,
    paymentMethod: input.paymentMethod ?? null,
    paymentMethodDetails: null,
    nextAction: null,
    lastError: null,
    clientSecret: `${id}_secret_${randomToken(24)}`,
    returnUrl: input.returnUrl ?? null,
    metadata: input.metadata,
    cancellationReason: null,
    canceledAt: null,
    cancelRequestedAt: null,
    connector: null,
    createdAt: now,
  };
  if (input.confirm && !input.paymentMethod) throw errors.missingParameter('payment_method');

  // One transaction creates the payment and, with confirm, starts its attempt: a payment is
  // either not there at all or there with its attempt, never half-written.
  const started = await deps.store.transaction(async (tx) => {
    if (!input.confirm) {
      await tx.insertPayment(payment);
      await emitPaymentEvent(tx, payment, 'payment.created', now);
      const response = { status: 200, body: paymentView(payment) };
      await progress.finish(tx, response);
      return { response };
    }
    const created = paymentEvent(payment, 'payment.created', now);
    const run = await startAttempt(deps, tx, payment, { isNew: true, events: [created] });
    await progress.reach(tx, 'attempt_started', { payment: payment.id, attempt: run.attempt.id });
    return { run };
  });
  if (started.response) return started.response;
  return runAttempt(deps, scope, { ...progress, data: { payment: payment.id } }, started.run);
}

export async function confirmPayment(
  deps: CoreDeps,
  scope: Scope,
  paymentId: string,
  input: ConfirmPaymentInput,
  progress: Progress,
): Promise<ApiResponse> {
  let run: StartedAttempt | undefined;
  if (progress.point !== 'attempt_started') {
    run = await deps.store.transaction(async (tx) => {
      let payment = await tx.lockPayment(scope, paymentId);
      if (!payment) throw errors.notFound('payment', paymentId);
      if (!confirmableStatuses.includes(payment.status)) {
        throw errors.unexpectedState(payment.id, payment.status, 'confirmed');
      }
      if (input.paymentMethod)
        payment = { ...payment, paymentMethod: input.paymentMethod, paymentMethodDetails: null };
      if (input.returnUrl) payment = { ...payment, returnUrl: input.returnUrl };
      if (!payment.paymentMethod) throw errors.missingParameter('payment_method');
      const started = await startAttempt(deps, tx, payment, { isNew: false, events: [] });
      await progress.reach(tx, 'attempt_started', { payment: payment.id, attempt: started.attempt.id });
      return started;
    });
  }
  return runAttempt(deps, scope, { ...progress, data: { payment: paymentId } }, run);
}

interface StartedAttempt {
  payment: PaymentRecord;
  attempt: AttemptRecord;
}

/**
 * Creates the attempt and moves the payment to processing, in the caller's transaction. A new
 * payment is inserted directly in its processing state, with its created and processing
 * events in one statement: the fewest round trips on the path every payment takes.
 */
async function startAttempt(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  opts: { isNew: boolean; events: EventRecord[] },
): Promise<StartedAttempt> {
  const paymentMethod = payment.paymentMethod as string;
  const connector = deps.connectors.forPayment({
    merchantId: payment.merchantId,
    livemode: payment.livemode,
    paymentMethod,
  });
  if (!connector) {
    throw errors.invalidParameter(
      'payment_method',
      payment.livemode && paymentMethod.startsWith('pm_card_')
        ? `'${paymentMethod}' is a test payment method: it works only in test mode (sk_test_… keys), not with a live key.`
        : `No such payment method: '${paymentMethod}'.${payment.livemode ? '' : ' In test mode use one of the built-in test methods such as pm_card_visa.'}`,
    );
  }
  const now = deps.clock.now();
  const attempt: AttemptRecord = {
    id: newId('attempt'),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    connector: connector.name,
    status: 'pending',
    amount: payment.amount,
    currency: payment.currency,
    capture: payment.captureMethod === 'automatic',
    paymentMethod,
    providerReference: null,
    action: null,
    error: null,
    inquiries: 0,
    nextInquiryAt: null,
    createdAt: now,
    updatedAt: now,
  };
  assertTransition('payment', payment.status, 'processing');
  const next: PaymentRecord = {
    ...payment,
    status: 'processing',
    connector: connector.name,
    lastError: null,
    nextAction: null,
  };
  if (opts.isNew) await tx.insertPayment(next);
  else await tx.updatePayment(next);
  await tx.insertAttempt(attempt);
  await tx.insertEvents([...opts.events, paymentEvent(next, 'payment.processing', now)]);
  return { payment: next, attempt };
}

export function attemptRef(a: AttemptRecord): AttemptRef {
  return {
    attemptId: a.id,
    paymentId: a.paymentId,
    providerReference: a.providerReference,
    paymentMethod: a.paymentMethod,
    capture: a.capture,
    amount: a.amount,
    currency: a.currency,
    startedAt: a.createdAt.getTime(),
  };
}

/**
 * Sends the started attempt to its provider and records the answer. `started` is what the
 * caller just wrote; a resumed request (no `started`) reads it back.
 */
async function runAttempt(
  deps: CoreDeps,
  scope: Scope,
  progress: Progress,
  started?: StartedAttempt,
): Promise<ApiResponse> {
  const paymentId = progress.data.payment as string;
  const current =
    started ??
    (await deps.store.transaction(async (tx) => {
      const found = await tx.lockPaymentWithAttempt(scope, paymentId);
      return found?.attempt ? { payment: found.payment, attempt: found.attempt } : undefined;
    }));
  if (!current) throw errors.notFound('payment', paymentId);
  const { attempt, payment } = current;
  const connector = deps.connectors.byName(attempt.connector);
  if (!connector) throw errors.internal();

  let outcome: AuthorizationOutcome;
  if (attempt.status !== 'pending') {
    // Resumed after the answer was already recorded (by this request before a crash, or by
    // the recovery job): nothing to send again.
    outcome = { status: 'unknown', reason: 'already recorded' };
  } else {
    const started = performance.now();
    try {
      outcome = await connector.authorize({
        attemptId: attempt.id,
        paymentId: payment.id,
        idempotencyKey: attempt.id,
        amount: attempt.amount,
        currency: attempt.currency,
        capture: attempt.capture,
        paymentMethod: attempt.paymentMethod,
        providerReturnUrl: `${deps.publicUrl}/return/${attempt.id}`,
        country: payment.country,
        reference: payment.reference,
        livemode: payment.livemode,
      });
    } catch (err) {
      // We do not know whether the provider acted: never guess a failure.
      outcome = { status: 'unknown', reason: err instanceof Error ? err.message : 'connector error' };
    }
    deps.observer?.providerCall?.(
      connector.name,
      'authorize',
      outcome.status,
      (performance.now() - started) / 1000,
    );
  }

  if (started && attempt.status === 'pending') {
    const recorded = await recordOutcomeOptimistically(deps, progress, started, outcome);
    if (recorded) return recorded;
  }
  return deps.store.transaction(async (tx) => {
    const found = await tx.lockPaymentWithAttempt(scope, paymentId);
    if (!found?.attempt) throw errors.notFound('payment', paymentId);
    const { payment: locked, attempt: latest } = found;
    const applied =
      latest.id === attempt.id && latest.status === 'pending'
        ? await applyAuthorization(deps, tx, locked, latest, outcome)
        : { payment: locked, attempt: latest };
    const response = attemptResponse(applied.payment, applied.attempt);
    await progress.finish(tx, response);
    return response;
  });
}

/**
 * The common case: nothing touched the payment since this request started its attempt, so
 * the outcome is written in one statement guarded by the statuses we wrote, with no locking
 * read first. Undefined when something did change it (a webhook, the recovery job): the
 * caller then takes the payment's lock and applies the outcome to what is there now.
 */
async function recordOutcomeOptimistically(
  deps: CoreDeps,
  progress: Progress,
  started: StartedAttempt,
  outcome: AuthorizationOutcome,
): Promise<ApiResponse | undefined> {
  // Counted after the commit, so an attempt that falls back to the locked path counts once.
  const quiet: CoreDeps = { ...deps, observer: undefined };
  try {
    const { response, payment } = await deps.store.transaction(async (tx) => {
      tx.assumeUnchanged(started.payment, started.attempt);
      const applied = await applyAuthorization(quiet, tx, started.payment, started.attempt, outcome);
      const response = attemptResponse(applied.payment, applied.attempt);
      await progress.finish(tx, response);
      return { response, payment: applied.payment };
    });
    if (payment.status !== started.payment.status) {
      const status = payment.status === 'requires_payment_method' ? 'failed' : payment.status;
      deps.observer?.paymentOutcome?.(started.attempt.connector, status);
    }
    return response;
  } catch (err) {
    if (err instanceof StaleSnapshotError) return undefined;
    throw err;
  }
}

/** A declined attempt answers 402 with the payment's last_error; anything else the payment. */
function attemptResponse(payment: PaymentRecord, attempt: AttemptRecord): ApiResponse {
  if (attempt.status === 'failed' && payment.status === 'requires_payment_method' && attempt.error) {
    const e = attempt.error;
    const err = e.declineCode
      ? errors.cardDeclined(payment.id, e.declineCode, e.message, e.code)
      : new PayinError(402, {
          type: 'card_error',
          code: e.code,
          message: e.message,
          payment: payment.id,
        });
    return { status: err.status, body: err.toJSON() };
  }
  return ok(payment);
}

/** The shopper is back from a redirect (3-D Secure); returns the payment to send them on with. */
export async function completeAction(
  deps: CoreDeps,
  attemptId: string,
  params: Record<string, string>,
): Promise<PaymentRecord | undefined> {
  const attempt = await deps.store.getAttempt(attemptId);
  if (!attempt) return undefined;
  const connector = deps.connectors.byName(attempt.connector);
  let outcome: AuthorizationOutcome | undefined;
  if (attempt.status === 'requires_action' && connector) {
    try {
      outcome = await connector.completeAction(attemptRef(attempt), params);
    } catch (err) {
      outcome = { status: 'unknown', reason: err instanceof Error ? err.message : 'connector error' };
    }
  }
  return deps.store.transaction(async (tx) => {
    const payment = await tx.lockPaymentById(attempt.paymentId);
    if (!payment) return undefined;
    const fresh = (await tx.getAttempt(attemptId)) as AttemptRecord;
    if (!outcome) return payment;
    return (await applyAuthorization(deps, tx, payment, fresh, outcome)).payment;
  });
}

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
    if (payment.status === 'requires_capture' && attempt?.status === 'authorized') {
      // A capture and a void sent to the provider at the same time would leave the outcome to
      // chance: one waits for the other.
      if (await tx.capturesInFlight(payment.id)) {
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
    const connector = deps.connectors.byName(attempt.connector);
    const res = connector
      ? await connector
          .cancel({ attempt: attemptRef(attempt), idempotencyKey: `${attempt.id}:cancel` })
          .catch((err: unknown) => ({ status: 'unknown' as const, reason: String(err) }))
      : ({ status: 'unknown', reason: 'connector missing' } as const);
    if (res.status === 'failed') {
      await deps.store.transaction(async (tx) => {
        const payment = await tx.lockPayment(scope, paymentId);
        if (payment) await tx.updatePayment({ ...payment, cancelRequestedAt: null });
      });
    }
    if (res.status === 'failed' || res.status === 'unknown') {
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

async function markCanceled(
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
