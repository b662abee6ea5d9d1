import { newId } from '../ids.js';
import type { PaymentRecord, RefundRecord, Scope } from '../records.js';
import type { StoreTx } from '../store.js';
import { paymentView, refundView } from '../views.js';

export const eventTypes = [
  'payment.created',
  'payment.processing',
  'payment.requires_action',
  'payment.authorized',
  'payment.amount_capturable_updated',
  'payment.succeeded',
  'payment.failed',
  'payment.canceled',
  'refund.created',
  'refund.succeeded',
  'refund.failed',
] as const;
export type EventType = (typeof eventTypes)[number];

/** The outbox: written in the caller's transaction, delivered later by the worker. */
async function emit(tx: StoreTx, scope: Scope, type: EventType, object: Record<string, unknown>, at: Date) {
  await tx.insertEvent({
    id: newId('event'),
    merchantId: scope.merchantId,
    livemode: scope.livemode,
    type,
    object,
    createdAt: at,
  });
}

export function emitPaymentEvent(tx: StoreTx, payment: PaymentRecord, type: EventType, at: Date) {
  return emit(tx, payment, type, paymentView(payment), at);
}

export function emitRefundEvent(tx: StoreTx, refund: RefundRecord, type: EventType, at: Date) {
  return emit(tx, refund, type, refundView(refund), at);
}
