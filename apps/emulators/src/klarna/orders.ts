import { randomUUID } from 'node:crypto';
import type { Capture, CaptureRequest, Order, Refund, RefundRequest } from '@payin/provider-wire/klarna';
import { initialPaymentMethod } from './authorizations.js';
import { badValue, KlarnaError } from './errors.js';
import type { KlarnaState, OrderRecord } from './state.js';

/** Extend authorization time: "extends the time for capture by 7 days", up to 180 days in all. */
export const EXTENSION_MS = 7 * 86_400_000;
const MAX_AUTHORIZATION_MS = 180 * 86_400_000;
const open = (order: OrderRecord) => order.status === 'AUTHORIZED' || order.status === 'PART_CAPTURED';

/**
 * An authorization not captured by `expires_at` lapses: an order with nothing captured becomes
 * EXPIRED; a partly captured one keeps its captures and becomes CAPTURED (nothing left to take).
 * Applied whenever the order is looked at, so a skipped clock takes effect at once.
 */
export function settleExpiry(order: OrderRecord, now: Date): void {
  if (!open(order) || order.expiresAt > now) return;
  order.status = order.capturedAmount > 0 ? 'CAPTURED' : 'EXPIRED';
  order.remainingAuthorizedAmount = 0;
}

/** A merchant's own order, with its expiry applied; 404 NO_SUCH_ORDER otherwise. */
export function orderOf(state: KlarnaState, merchant: string, orderId: string): OrderRecord {
  const order = state.orders.get(orderId);
  if (!order || order.merchant !== merchant) throw new KlarnaError('noSuchOrder');
  settleExpiry(order, state.now());
  return order;
}

export function readOrder(order: OrderRecord): Order {
  return {
    order_id: order.orderId,
    status: order.status,
    fraud_status: order.fraudStatus,
    order_amount: order.orderAmount,
    original_order_amount: order.originalOrderAmount,
    captured_amount: order.capturedAmount,
    refunded_amount: order.refundedAmount,
    remaining_authorized_amount: order.remainingAuthorizedAmount,
    purchase_currency: order.currency,
    purchase_country: order.country,
    locale: order.locale,
    order_lines: order.orderLines,
    ...(order.merchantReference1 ? { merchant_reference1: order.merchantReference1 } : {}),
    ...(order.merchantReference2 ? { merchant_reference2: order.merchantReference2 } : {}),
    klarna_reference: order.klarnaReference,
    created_at: order.createdAt.toISOString(),
    expires_at: order.expiresAt.toISOString(),
    ...(order.billingAddress ? { billing_address: order.billingAddress } : {}),
    ...(order.shippingAddress ? { shipping_address: order.shippingAddress } : {}),
    captures: order.captures,
    refunds: order.refunds,
    initial_payment_method: { ...initialPaymentMethod(order.category) },
  };
}

const positiveAmount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

/** Full or partial capture, up to what remains authorized, of an order Klarna accepted. */
export function captureOrder(state: KlarnaState, order: OrderRecord, body: Partial<CaptureRequest>): Capture {
  if (typeof body !== 'object' || body === null || !positiveAmount(body.captured_amount))
    throw badValue('captured_amount');
  if (!open(order)) throw new KlarnaError('captureNotAllowed', `Order is ${order.status}`);
  if (order.fraudStatus !== 'ACCEPTED')
    throw new KlarnaError('captureNotAllowed', `Fraud status is ${order.fraudStatus}`);
  if (body.captured_amount > order.remainingAuthorizedAmount)
    throw new KlarnaError(
      'captureNotAllowed',
      `Captured amount is higher than the remaining authorized amount (${order.remainingAuthorizedAmount})`,
    );
  const capture: Capture = {
    capture_id: randomUUID(),
    klarna_reference: `${order.klarnaReference}-${order.captures.length + 1}`,
    captured_amount: body.captured_amount,
    captured_at: state.now().toISOString(),
    ...(body.description ? { description: body.description } : {}),
    ...(body.reference ? { reference: body.reference } : {}),
    refunded_amount: 0,
    order_lines: body.order_lines ?? [],
  };
  order.captures.push(capture);
  order.capturedAmount += capture.captured_amount;
  order.remainingAuthorizedAmount -= capture.captured_amount;
  order.status = order.remainingAuthorizedAmount === 0 ? 'CAPTURED' : 'PART_CAPTURED';
  return capture;
}

/** Refund up to what was captured and not yet refunded; a fully refunded, fully settled order is CLOSED. */
export function refundOrder(state: KlarnaState, order: OrderRecord, body: Partial<RefundRequest>): Refund {
  if (typeof body !== 'object' || body === null || !positiveAmount(body.refunded_amount))
    throw badValue('refunded_amount');
  const refundable = order.capturedAmount - order.refundedAmount;
  if (body.refunded_amount > refundable)
    throw new KlarnaError(
      'refundNotAllowed',
      `Refunded amount is higher than the captured amount not yet refunded (${refundable})`,
    );
  const refund: Refund = {
    refund_id: randomUUID(),
    refunded_amount: body.refunded_amount,
    refunded_at: state.now().toISOString(),
    ...(body.description ? { description: body.description } : {}),
    ...(body.reference ? { reference: body.reference } : {}),
    order_lines: body.order_lines ?? [],
  };
  order.refunds.push(refund);
  order.refundedAmount += refund.refunded_amount;
  // Spread over the captures, oldest first, so each capture shows what was given back of it.
  let left = refund.refunded_amount;
  for (const capture of order.captures) {
    const take = Math.min(left, capture.captured_amount - capture.refunded_amount);
    capture.refunded_amount += take;
    left -= take;
  }
  if (order.remainingAuthorizedAmount === 0 && order.refundedAmount === order.capturedAmount)
    order.status = 'CLOSED';
  return refund;
}

/** Cancel: only an order nothing was captured of ("An order can only be cancelled if it has not been captured"). */
export function cancelOrder(order: OrderRecord): void {
  if (order.status !== 'AUTHORIZED' || order.capturedAmount > 0)
    throw new KlarnaError('cancelNotAllowed', `Order is ${order.status}`);
  order.status = 'CANCELLED';
  order.remainingAuthorizedAmount = 0;
}

export function extendAuthorization(order: OrderRecord): void {
  if (!open(order)) throw new KlarnaError('notAllowed', `Order is ${order.status}`);
  const extended = order.expiresAt.getTime() + EXTENSION_MS;
  if (extended - order.createdAt.getTime() > MAX_AUTHORIZATION_MS)
    throw new KlarnaError('notAllowed', 'Authorization cannot be extended past 180 days');
  order.expiresAt = new Date(extended);
}

/** Release the remaining authorization: a partly captured order becomes CAPTURED. */
export function releaseRemainingAuthorization(order: OrderRecord): void {
  if (order.status !== 'PART_CAPTURED') throw new KlarnaError('notAllowed', `Order is ${order.status}`);
  order.remainingAuthorizedAmount = 0;
  order.status = 'CAPTURED';
}
