import { isCardToken } from '../card-tokens.js';
import { type AlternativeMethodType, isAlternativeMethod } from '../checkout/payment-methods.js';
import type { BillingDetails, PaymentMethodDetails } from '../connector.js';
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
  /** An alternative method given with what its provider needs to know of the payer. */
  paymentMethodData?: PaymentMethodData | null;
  confirm: boolean;
  returnUrl?: string | null;
  metadata: Record<string, string>;
}

export interface ConfirmPaymentInput {
  paymentMethod?: string;
  paymentMethodData?: PaymentMethodData | null;
  returnUrl?: string;
}

/** `payment_method_data`: a method type (not a card: cards come as vault tokens) and the payer. */
export interface PaymentMethodData {
  type: AlternativeMethodType;
  billingDetails?: BillingDetails | null;
}

export async function createPayment(
  deps: CoreDeps,
  scope: Scope,
  input: CreatePaymentInput,
  progress: Progress,
): Promise<ApiResponse> {
  if (progress.point === 'attempt_started') return runAttempt(deps, scope, progress);
  const method = await methodOf(deps, scope, input);
  if (input.confirm && !method) throw errors.missingParameter('payment_method');
  const now = deps.clock.now();
  const id = newId('payment');
  const payment: PaymentRecord = {
    ...scope,
    id,
    amount: input.amount,
    currency: input.currency,
    status: method && !input.confirm ? 'requires_confirmation' : 'requires_payment_method',
    captureMethod: input.captureMethod,
    amountCapturable: 0,
    amountReceived: 0,
    amountRefunded: 0,
    reference: input.reference ?? null,
    description: input.description ?? null,
    customer: input.customer ?? null,
    country: input.country ?? null,
    paymentMethod: method?.paymentMethod ?? null,
    paymentMethodDetails: method?.details ?? null,
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
    const method = await methodOf(deps, scope, input);
    run = await deps.store.transaction(async (tx) => {
      let payment = await tx.lockPayment(scope, paymentId);
      if (!payment) throw errors.notFound('payment', paymentId);
      if (!confirmableStatuses.includes(payment.status)) {
        throw errors.unexpectedState(payment.id, payment.status, 'confirmed');
      }
      if (method)
        payment = { ...payment, paymentMethod: method.paymentMethod, paymentMethodDetails: method.details };
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
 * The method a request names, with what the payment shows of it: `payment_method` (a vault
 * token, a test method or a bare method type) or `payment_method_data`, never both.
 */
async function methodOf(
  deps: CoreDeps,
  scope: Scope,
  input: { paymentMethod?: string | null; paymentMethodData?: PaymentMethodData | null },
): Promise<{ paymentMethod: string; details: PaymentMethodDetails | null } | undefined> {
  const data = input.paymentMethodData;
  if (data && input.paymentMethod) {
    throw errors.invalidParameter(
      'payment_method_data',
      'Give either payment_method or payment_method_data, not both.',
    );
  }
  if (data) {
    const billing = compactBilling(data.billingDetails);
    return {
      paymentMethod: data.type,
      details: { type: data.type, ...(billing ? { billing_details: billing } : {}) },
    };
  }
  if (!input.paymentMethod) return undefined;
  if (isAlternativeMethod(input.paymentMethod)) {
    return { paymentMethod: input.paymentMethod, details: { type: input.paymentMethod } };
  }
  return {
    paymentMethod: input.paymentMethod,
    details: await tokenDetails(deps, scope, input.paymentMethod),
  };
}

/** The billing details given, without empty parts; undefined when nothing is left. */
function compactBilling(details: BillingDetails | null | undefined): BillingDetails | undefined {
  if (!details) return undefined;
  const address = Object.fromEntries(
    Object.entries(details.address ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  );
  const out: BillingDetails = {};
  for (const key of ['name', 'email', 'phone'] as const) {
    const value = details[key]?.trim();
    if (value) out[key] = value;
  }
  if (Object.keys(address).length > 0) out.address = address;
  return Object.keys(out).length > 0 ? out : undefined;
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
