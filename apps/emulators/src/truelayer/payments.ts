import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CreatePaymentResponse,
  Payment,
  PaymentSource,
  Refund,
  WebhookPaymentMethod,
} from '@payin/provider-wire/truelayer';
import { TrueLayerProblem } from './errors.js';
import { bankOf, type PaymentLifecycle } from './lifecycle.js';
import { checkCreatePayment, checkCreateRefund } from './payment-validation.js';
import {
  type ClientRecord,
  type PaymentRecord,
  type RefundRecord,
  refundedAmount,
  type TrueLayerState,
} from './state.js';

/** POST /v3/payments: the payment waits for the shopper to authorise it on the hosted payment page. */
export function createPayment(
  state: TrueLayerState,
  lifecycle: PaymentLifecycle,
  client: ClientRecord,
  body: unknown,
  now: Date,
): CreatePaymentResponse {
  const request = checkCreatePayment(body, client);
  const user = { ...request.user, id: request.user.id ?? randomUUID() };
  const payment: PaymentRecord = {
    id: randomUUID(),
    clientId: client.clientId,
    amountInMinor: request.amount_in_minor,
    currency: request.currency,
    paymentMethod: request.payment_method,
    user,
    ...(request.metadata ? { metadata: request.metadata } : {}),
    createdAt: now,
    status: 'authorization_required',
    resourceToken: randomBytes(32).toString('base64url'),
    refunds: [],
  };
  state.payments.set(payment.id, payment);
  lifecycle.started(payment);
  return {
    id: payment.id,
    user: { id: user.id },
    resource_token: payment.resourceToken,
    status: 'authorization_required',
  };
}

/** A payment of this client (another client's is as unknown as a missing one). */
export function paymentOf(state: TrueLayerState, client: ClientRecord, id: string): PaymentRecord {
  const payment = state.payments.get(id);
  if (!payment || payment.clientId !== client.clientId)
    throw new TrueLayerProblem('notFound', `Payment ${id} not found.`);
  return payment;
}

const iso = (date: Date | undefined) => date?.toISOString();

/** The payer's account, known once their bank has paid. */
export function paymentSource(payment: PaymentRecord): PaymentSource | undefined {
  const bank = bankOf(payment);
  if (!bank || !payment.executedAt) return undefined;
  return {
    id: `ps_${payment.user.id}_${bank.id}`,
    account_holder_name: payment.user.name ?? '',
    account_identifiers: [{ type: 'iban', iban: bank.payerIban }],
  };
}

export function webhookPaymentMethod(payment: PaymentRecord): WebhookPaymentMethod {
  const bank = bankOf(payment);
  return { type: 'bank_transfer', ...(bank ? { provider_id: bank.id, scheme_id: bank.schemeId } : {}) };
}

/** GET /v3/payments/{id}: the fields of the payment's status (https://docs.truelayer.com/docs/single-payment-statuses). */
export function paymentView(payment: PaymentRecord, consentUri: (p: PaymentRecord) => string): Payment {
  const bank = bankOf(payment);
  const selection = {
    ...payment.paymentMethod.provider_selection,
    ...(bank ? { provider_id: bank.id, scheme_id: bank.schemeId } : {}),
  };
  const view: Payment = {
    id: payment.id,
    amount_in_minor: payment.amountInMinor,
    currency: payment.currency,
    user: { id: payment.user.id },
    payment_method: { ...payment.paymentMethod, provider_selection: selection },
    created_at: payment.createdAt.toISOString(),
    ...(payment.metadata ? { metadata: payment.metadata } : {}),
    status: payment.status,
  };
  if (payment.status === 'authorizing' && payment.consentToken) {
    view.authorization_flow = { actions: { next: { type: 'redirect', uri: consentUri(payment) } } };
  }
  const source = paymentSource(payment);
  return {
    ...view,
    ...(payment.authorizedAt ? { authorized_at: iso(payment.authorizedAt) } : {}),
    ...(payment.executedAt ? { executed_at: iso(payment.executedAt) } : {}),
    ...(payment.settledAt ? { settled_at: iso(payment.settledAt) } : {}),
    ...(payment.failedAt
      ? {
          failed_at: iso(payment.failedAt),
          failure_stage: payment.failureStage,
          failure_reason: payment.failureReason,
        }
      : {}),
    ...(source && payment.status === 'settled' ? { payment_source: source } : {}),
  };
}

/**
 * POST /v3/payments/{id}/actions/cancel (https://docs.truelayer.com/docs/cancel-a-payment): possible
 * until the payment is authorised; it then fails with `canceled` at the stage it had reached.
 */
export function cancelPayment(lifecycle: PaymentLifecycle, payment: PaymentRecord): void {
  if (payment.status !== 'authorization_required' && payment.status !== 'authorizing') {
    throw new TrueLayerProblem('invalidState', `A payment in status ${payment.status} cannot be cancelled.`);
  }
  lifecycle.fail(payment, 'canceled');
}

/**
 * POST /v3/payments/{id}/refunds (https://docs.truelayer.com/docs/refund-a-payment): only a payment
 * settled into a merchant account can be refunded, in one or more refunds up to what was paid.
 */
export function createRefund(
  lifecycle: PaymentLifecycle,
  payment: PaymentRecord,
  body: unknown,
  now: Date,
): { id: string } {
  const request = checkCreateRefund(body);
  if (payment.status !== 'settled') {
    throw new TrueLayerProblem(
      'invalidState',
      `Only payments settled into a merchant account can be refunded; this one is ${payment.status}.`,
    );
  }
  const remaining = payment.amountInMinor - refundedAmount(payment);
  if (request.amount_in_minor > remaining) {
    throw new TrueLayerProblem('invalidParameters', 'Some fields are invalid.', {
      amount_in_minor: [`The refund amount exceeds the amount left to refund (${remaining}).`],
    });
  }
  const refund: RefundRecord = {
    id: randomUUID(),
    paymentId: payment.id,
    amountInMinor: request.amount_in_minor,
    currency: payment.currency,
    reference: request.reference,
    ...(request.metadata ? { metadata: request.metadata } : {}),
    status: 'pending',
    createdAt: now,
  };
  payment.refunds.push(refund);
  lifecycle.refundCreated(payment, refund);
  return { id: refund.id };
}

export function refundView(refund: RefundRecord): Refund {
  return {
    id: refund.id,
    amount_in_minor: refund.amountInMinor,
    currency: refund.currency,
    reference: refund.reference,
    ...(refund.metadata ? { metadata: refund.metadata } : {}),
    status: refund.status,
    created_at: refund.createdAt.toISOString(),
    ...(refund.authorizedAt ? { authorized_at: iso(refund.authorizedAt) } : {}),
    ...(refund.executedAt ? { executed_at: iso(refund.executedAt) } : {}),
    ...(refund.failedAt ? { failed_at: iso(refund.failedAt), failure_reason: refund.failureReason } : {}),
  };
}
