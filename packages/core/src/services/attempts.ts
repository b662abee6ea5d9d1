import { isCardToken } from '../card-tokens.js';
import {
  type AlternativeMethodType,
  capturedWhenPaid,
  isAlternativeMethod,
  type MethodRule,
  methodTypeOf,
  requiredBillingDetails,
  ruleFor,
} from '../checkout/payment-methods.js';
import type { AttemptRef, AuthorizationOutcome, CardSummary } from '../connector.js';
import { errors, PayinError } from '../errors.js';
import { newId } from '../ids.js';
import type { AttemptRecord, EventRecord, PaymentRecord, Scope } from '../records.js';
import { assertTransition } from '../state/index.js';
import { StaleSnapshotError, type StoreTx } from '../store.js';
import { paymentView } from '../views.js';
import type { CoreDeps } from './deps.js';
import { paymentEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
import { applyAuthorization } from './outcomes.js';

/**
 * Attempts: one try of a payment at its provider. Started in the caller's transaction, sent
 * between transactions, and answered (now, on the shopper's return, or later by the worker).
 */

export interface StartedAttempt {
  payment: PaymentRecord;
  attempt: AttemptRecord;
}

/**
 * Creates the attempt and moves the payment to processing, in the caller's transaction. A new
 * payment is inserted directly in its processing state, with its created and processing
 * events in one statement: the fewest round trips on the path every payment takes.
 */
export async function startAttempt(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  opts: { isNew: boolean; events: EventRecord[] },
): Promise<StartedAttempt> {
  const paymentMethod = payment.paymentMethod as string;
  checkMethodFits(payment, paymentMethod, deps.paymentMethodRules);
  const routed = await deps.connectors.forPayment(
    { merchantId: payment.merchantId, livemode: payment.livemode, paymentMethod },
    tx,
  );
  if (!routed && isAlternativeMethod(paymentMethod)) {
    throw errors.methodUnavailable(
      `${methodName(paymentMethod)} is not set up for this merchant in ${payment.livemode ? 'live' : 'test'} mode: no connector account takes it.`,
    );
  }
  if (!routed) {
    throw errors.invalidParameter(
      'payment_method',
      payment.livemode && paymentMethod.startsWith('pm_card_')
        ? `'${paymentMethod}' is a test payment method: it works only in test mode (sk_test_… keys), not with a live key.`
        : `No such payment method: '${paymentMethod}'.${payment.livemode ? '' : ' In test mode use one of the built-in test methods such as pm_card_visa.'}`,
    );
  }
  const { connector } = routed;
  const type = methodTypeOf(paymentMethod);
  const separateCapture =
    connector.capabilities.manualCapture && !capturedWhenPaid.has(type as AlternativeMethodType);
  if (payment.captureMethod === 'manual' && !separateCapture) {
    throw errors.invalidParameter(
      'capture_method',
      `${methodName(paymentMethod)} payments are captured when the shopper pays: use capture_method automatic.`,
    );
  }
  const now = deps.clock.now();
  const attempt: AttemptRecord = {
    id: newId('attempt'),
    paymentId: payment.id,
    merchantId: payment.merchantId,
    connector: connector.name,
    connectorAccount: routed.account,
    status: 'pending',
    amount: payment.amount,
    currency: payment.currency,
    capture: payment.captureMethod === 'automatic',
    paymentMethod,
    card: cardSummaryOf(payment),
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

/**
 * An alternative method is taken only where the market rules offer it (country, currency,
 * amount) and with what its provider must know of the payer: refused here, before anything is
 * written or sent, with the parameter to fix.
 */
function checkMethodFits(
  payment: PaymentRecord,
  paymentMethod: string,
  rules: readonly MethodRule[] | undefined,
): void {
  if (!isAlternativeMethod(paymentMethod)) return;
  if (!ruleFor(payment, paymentMethod, rules)) {
    const where = [payment.country ?? 'no country', payment.currency.toUpperCase()].join(', ');
    throw errors.methodUnavailable(
      `${methodName(paymentMethod)} is not offered for this payment (${where}, amount ${payment.amount}).`,
    );
  }
  const given = payment.paymentMethodDetails?.billing_details ?? {};
  for (const field of requiredBillingDetails[paymentMethod]) {
    if (!given[field]) throw errors.missingParameter(`payment_method_data.billing_details.${field}`);
  }
}

const methodNames: Record<string, string> = {
  paypal: 'PayPal',
  klarna: 'Klarna',
  open_banking: 'Open Banking',
  bizum: 'Bizum',
  konbini: 'Konbini',
  paypay: 'PayPay',
};
const methodName = (paymentMethod: string) => methodNames[paymentMethod] ?? 'Card';

/** The language of the provider's pages: the payment's market's. */
const marketLocales: Record<string, string> = { FR: 'fr-FR', ES: 'es-ES', JP: 'ja-JP', US: 'en-US' };
export const localeOfMarket = (country: string | null): string =>
  (country && marketLocales[country]) || 'en-US';

/** Brand and last four of a tokenized card, for the connector; null for other methods. */
function cardSummaryOf(payment: PaymentRecord): CardSummary | null {
  const card = isCardToken(payment.paymentMethod) ? payment.paymentMethodDetails?.card : undefined;
  return card ? { brand: card.brand, last4: card.last4 } : null;
}

export function attemptRef(a: AttemptRecord): AttemptRef {
  return {
    attemptId: a.id,
    paymentId: a.paymentId,
    providerReference: a.providerReference,
    paymentMethod: a.paymentMethod,
    card: a.card,
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
export async function runAttempt(
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
  const connector = await deps.connectors.forAttempt(attempt);
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
        merchantId: payment.merchantId,
        idempotencyKey: attempt.id,
        amount: attempt.amount,
        currency: attempt.currency,
        capture: attempt.capture,
        paymentMethod: attempt.paymentMethod,
        paymentMethodType: methodTypeOf(attempt.paymentMethod),
        card: attempt.card,
        billingDetails: payment.paymentMethodDetails?.billing_details ?? null,
        providerReturnUrl: `${deps.publicUrl}/return/${attempt.id}`,
        accountReturnUrl: attempt.connectorAccount
          ? `${deps.publicUrl}/return/accounts/${attempt.connectorAccount}`
          : null,
        country: payment.country,
        reference: payment.reference,
        description: payment.description,
        locale: localeOfMarket(payment.country),
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
  return { status: 200, body: paymentView(payment) };
}

/** The shopper is back from a redirect (3-D Secure); returns the payment to send them on with. */
export async function completeAction(
  deps: CoreDeps,
  attemptId: string,
  params: Record<string, string>,
): Promise<PaymentRecord | undefined> {
  const attempt = await deps.store.getAttempt(attemptId);
  if (!attempt) return undefined;
  const connector = await deps.connectors.forAttempt(attempt);
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
