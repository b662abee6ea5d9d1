import type { AuthorizationOutcome, ConnectorAction } from '../connector.js';
import type { AttemptRecord, NextAction, PaymentRecord } from '../records.js';
import { type AttemptStatus, canTransition, type PaymentStatus } from '../state/index.js';
import type { StoreTx } from '../store.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent } from './events.js';

/** Wait before the n-th status inquiry of an unknown outcome (n from 0): base·2ⁿ, capped. */
export function inquiryDelayMs(deps: Pick<CoreDeps, 'inquiryBaseMs' | 'inquiryMaxMs'>, n: number): number {
  return Math.min(deps.inquiryBaseMs * 2 ** Math.min(n, 30), deps.inquiryMaxMs);
}

const attemptStatusOf: Record<AuthorizationOutcome['status'], AttemptStatus> = {
  authorized: 'authorized',
  captured: 'captured',
  requires_action: 'requires_action',
  processing: 'processing',
  failed: 'failed',
  unknown: 'unknown',
};

/**
 * Applies what a provider said about an attempt, under the payment's lock (the caller holds
 * it). Facts arrive in any order and more than once (the confirm call, the shopper's return,
 * a webhook, a status inquiry): a fact the state machine does not allow from the current state
 * is old news and changes nothing, so nothing ever moves backwards.
 */
export async function applyAuthorization(
  deps: CoreDeps,
  tx: StoreTx,
  payment: PaymentRecord,
  attempt: AttemptRecord,
  outcome: AuthorizationOutcome,
): Promise<{ payment: PaymentRecord; attempt: AttemptRecord; changed: boolean }> {
  const now = deps.clock.now();
  const nextAttemptStatus = attemptStatusOf[outcome.status];
  if (attempt.status === nextAttemptStatus && outcome.status === 'unknown') {
    return { payment, attempt, changed: false };
  }
  if (!canTransition('attempt', attempt.status, nextAttemptStatus)) {
    return { payment, attempt, changed: false };
  }

  const a: AttemptRecord = { ...attempt, status: nextAttemptStatus, updatedAt: now };
  if (outcome.providerReference) a.providerReference = outcome.providerReference;
  if (outcome.status === 'unknown' || outcome.status === 'processing') {
    // Asked again later (providers that answer status inquiries), until a webhook or an
    // answer settles it.
    a.nextInquiryAt = new Date(now.getTime() + inquiryDelayMs(deps, a.inquiries));
    await tx.updateAttempt(a);
    // Nothing is left for the shopper to do (back from a challenge or a bank's page, or the
    // provider took it): the payment is processing until the provider says.
    if (payment.status === 'requires_action' && payment.connector === a.connector) {
      const p: PaymentRecord = { ...payment, status: 'processing', nextAction: null };
      await tx.updatePayment(p);
      await emitPaymentEvent(tx, p, 'payment.processing', now);
      return { payment: p, attempt: a, changed: true };
    }
    return { payment, attempt: a, changed: true };
  }
  a.nextInquiryAt = null;
  if (outcome.status === 'requires_action') {
    a.action = outcome.action;
    // Past this, the provider is asked what became of it (recovery.ts): a shopper may never come back.
    a.nextInquiryAt = new Date(actionDeadline(deps, outcome.action, now));
  }
  if (outcome.status === 'failed') a.error = outcome.error;
  await tx.updateAttempt(a);

  // The payment follows only if this attempt is still the one it is waiting for.
  const target = paymentStatusFor(outcome, payment);
  if (payment.connector !== a.connector || !canTransition('payment', payment.status, target)) {
    return { payment, attempt: a, changed: true };
  }
  const p: PaymentRecord = { ...payment, status: target, nextAction: null };
  switch (outcome.status) {
    case 'authorized':
      p.amountCapturable = p.amount;
      p.paymentMethodDetails = outcome.paymentMethodDetails ?? p.paymentMethodDetails;
      break;
    case 'captured':
      p.amountCapturable = 0;
      p.amountReceived = p.amount;
      p.paymentMethodDetails = outcome.paymentMethodDetails ?? p.paymentMethodDetails;
      break;
    case 'requires_action':
      p.nextAction = nextActionOf(outcome.action, p.returnUrl, `${deps.publicUrl}/redirect/${a.id}`);
      break;
    case 'failed':
      p.lastError = {
        // A provider's refusal, whatever its cause, is the 402 row of the contract.
        type: 'card_error',
        code: outcome.error.code,
        ...(outcome.error.declineCode ? { decline_code: outcome.error.declineCode } : {}),
        message: outcome.error.message,
      };
      break;
  }
  await tx.updatePayment(p);
  const eventType = (
    {
      authorized: 'payment.authorized',
      captured: 'payment.succeeded',
      requires_action: 'payment.requires_action',
      failed: 'payment.failed',
    } as const
  )[outcome.status];
  await emitPaymentEvent(tx, p, eventType, now);
  deps.observer?.paymentOutcome?.(a.connector, p.status === 'requires_payment_method' ? 'failed' : p.status);
  return { payment: p, attempt: a, changed: true };
}

export const DEFAULT_SHOPPER_ACTION_DEADLINE_MS = 60 * 60_000;
/** A voucher's own deadline is the provider's to enforce; payin asks only if it heard nothing an hour after. */
const VOUCHER_GRACE_MS = 60 * 60_000;

function actionDeadline(deps: CoreDeps, action: ConnectorAction, now: Date): number {
  if (action.type === 'display_voucher') return action.expiresAt + VOUCHER_GRACE_MS;
  return now.getTime() + (deps.shopperActionDeadlineMs ?? DEFAULT_SHOPPER_ACTION_DEADLINE_MS);
}

/** What the API shows of a provider's action. A form to post goes through payin's redirect page. */
function nextActionOf(action: ConnectorAction, returnUrl: string | null, redirectPage: string): NextAction {
  if (action.type === 'redirect_to_url') {
    const url = action.method === 'POST' ? redirectPage : action.url;
    return { type: 'redirect_to_url', redirect_to_url: { url, return_url: returnUrl } };
  }
  return {
    type: 'display_voucher',
    display_voucher: {
      reference: action.reference,
      expires_at: Math.floor(action.expiresAt / 1000),
      instructions_url: action.instructionsUrl ?? null,
      store: action.store ?? null,
    },
  };
}

function paymentStatusFor(outcome: AuthorizationOutcome, payment: PaymentRecord): PaymentStatus {
  switch (outcome.status) {
    case 'authorized':
      return 'requires_capture';
    case 'captured':
      return 'succeeded';
    case 'requires_action':
      return 'requires_action';
    case 'failed':
      return 'requires_payment_method';
    case 'unknown':
    case 'processing':
      return payment.status;
  }
}
