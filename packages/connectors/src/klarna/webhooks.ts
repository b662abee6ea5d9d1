import type { ProviderFact } from '@payin/core';
import type { Order } from '@payin/provider-wire/klarna';
import { shopperOutcomes } from './errors.js';
import { capturesOnAcceptance } from './transformers.js';

/**
 * Klarna's pending-order notifications (docs.klarna.com/order-management/pending-orders) are a
 * bare `{order_id, event_type}` POSTed to `merchant_urls.notification`, unsigned. Anyone could
 * post one, so nothing in the body is believed but the order id: the order is read back from
 * Klarna with the account's credentials, and that answer is what payin stores.
 */
export function notifiedOrderId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const id = (body as { order_id?: unknown }).order_id;
  return typeof id === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : undefined;
}

/** One notification per order and fraud decision: Klarna retries until answered, and may send twice. */
export function eventKey(order: Pick<Order, 'order_id' | 'fraud_status'>): string {
  return `${order.order_id}:${order.fraud_status}`;
}

/**
 * A stored order (as Klarna answered it) as payin's fact about the attempt in
 * `merchant_reference1`. Accepted: the authorization succeeded, except for an attempt to be
 * captured whose order is not captured yet: that one is settled by the status inquiry, which
 * captures it first. Rejected (a review's refusal, or a stop): declined. Under review: nothing yet.
 */
export function klarnaFact(payload: unknown): ProviderFact | undefined {
  const order = payload as Partial<Order> | null;
  if (typeof order?.order_id !== 'string' || typeof order.fraud_status !== 'string') return undefined;
  const attemptId = order.merchant_reference1;
  if (typeof attemptId !== 'string' || attemptId === '') return undefined;
  switch (order.fraud_status) {
    case 'ACCEPTED':
      if (
        capturesOnAcceptance({ order_lines: order.order_lines ?? [] }) &&
        !(Number(order.captured_amount) > 0)
      )
        return {
          kind: 'ignored',
          description: `order ${order.order_id} accepted, not captured yet: the status inquiry captures it`,
        };
      return { kind: 'authorization', attemptId, providerReference: order.order_id, succeeded: true };
    case 'REJECTED':
      return {
        kind: 'authorization',
        attemptId,
        providerReference: order.order_id,
        succeeded: false,
        error: shopperOutcomes.fraudRejected,
      };
    default:
      return { kind: 'ignored', description: `order ${order.order_id} is ${order.fraud_status}` };
  }
}
