import { isCardToken } from '../card-tokens.js';
import type { PaymentMethodDetails } from '../connector.js';
import { errors } from '../errors.js';
import { newId, randomToken } from '../ids.js';
import type { PaymentRecord, Scope } from '../records.js';
import { confirmableStatuses } from '../state/index.js';
import { paymentView } from '../views.js';
import { runAttempt, type StartedAttempt, startAttempt } from './attempts.js';
import type { CoreDeps } from './deps.js';
import { emitPaymentEvent, paymentEvent } from './events.js';
import type { ApiResponse, Progress } from './idempotency.js';
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

export async function createPayment(
  deps: CoreDeps,
  scope: Scope,
  input: CreatePaymentInput,
  progress: Progress,
): Promise<ApiResponse> {
  if (progress.point === 'attempt_started') return runAttempt(deps, scope, progress);
  if (input.confirm && !input.paymentMethod) throw errors.missingParameter('payment_method');
  const paymentMethodDetails = await tokenDetails(deps, scope, input.paymentMethod);
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
    paymentMethodDetails,
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
    const details = input.paymentMethod ? await tokenDetails(deps, scope, input.paymentMethod) : null;
    run = await deps.store.transaction(async (tx) => {
      let payment = await tx.lockPayment(scope, paymentId);
      if (!payment) throw errors.notFound('payment', paymentId);
      if (!confirmableStatuses.includes(payment.status)) {
        throw errors.unexpectedState(payment.id, payment.status, 'confirmed');
      }
      if (input.paymentMethod)
        payment = { ...payment, paymentMethod: input.paymentMethod, paymentMethodDetails: details };
      if (input.returnUrl) payment = { ...payment, returnUrl: input.returnUrl };
      if (!payment.paymentMethod) throw errors.missingParameter('payment_method');
      const started = await startAttempt(deps, tx, payment, { isNew: false, events: [] });
      await progress.reach(tx, 'attempt_started', { payment: payment.id, attempt: started.attempt.id });
      return started;
    });
  }
  return runAttempt(deps, scope, { ...progress, data: { payment: paymentId } }, run);
}

/**
 * For a vault token, the masked card it stands for, asked of the vault before any transaction:
 * the payment shows brand, last four, expiry, country and fingerprint from its creation on.
 */
async function tokenDetails(
  deps: CoreDeps,
  scope: Scope,
  paymentMethod: string | null | undefined,
): Promise<PaymentMethodDetails | null> {
  if (!isCardToken(paymentMethod)) return null;
  if (!deps.cards)
    throw errors.unavailable('Card tokens need the card vault, which this api is not connected to.');
  return { type: 'card', card: await deps.cards.describe(scope, paymentMethod) };
}
