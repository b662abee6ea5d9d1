import { newId } from '../ids.js';
import type { EventRecord, PaymentRecord, RefundRecord, Scope } from '../records.js';
import type { StoreTx } from '../store.js';
import { paymentView, refundView } from '../views.js';

export const eventTypes = [
  'payment.created',
  'payment.processing',
  'payment.requires_action',
  'payment.authorized',
  'payment.amount_capturable_updated',
  'payment.succeeded',
  /** A capture the provider confirmed was refused afterwards (Adyen's CAPTURE_FAILED). */
  'payment.capture_failed',
  /**
   * The provider took the money of an attempt payin had already failed or canceled (a voucher
   * paid as it was being closed, a bank transfer executed after the shopper gave up): the
   * payment's status stays, and the money must be given back (a refund through the provider).
   */
  'payment.late_success',
  'payment.failed',
  'payment.canceled',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
] as const;
export type EventType = (typeof eventTypes)[number];

function event(scope: Scope, type: EventType, object: Record<string, unknown>, at: Date): EventRecord {
  return {
    id: newId('event'),
    merchantId: scope.merchantId,
    livemode: scope.livemode,
    type,
    object,
    createdAt: at,
  };
}

/** An event describing the payment as it is now (its API view), for the outbox. */
export function paymentEvent(payment: PaymentRecord, type: EventType, at: Date): EventRecord {
  return event(payment, type, paymentView(payment), at);
}

/** The outbox: written in the caller's transaction, delivered later by the worker. */
export function emitPaymentEvent(tx: StoreTx, payment: PaymentRecord, type: EventType, at: Date) {
  return tx.insertEvents([paymentEvent(payment, type, at)]);
}

export function emitRefundEvent(tx: StoreTx, refund: RefundRecord, type: EventType, at: Date) {
  return tx.insertEvents([event(refund, type, refundView(refund), at)]);
}
