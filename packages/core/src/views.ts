import type {
  AllowedOriginRecord,
  EventRecord,
  PaymentRecord,
  RefundRecord,
  WebhookEndpointRecord,
} from './records.js';

/**
 * The API's representation of each object (contract v1). Events carry the same view, taken in
 * the transaction of the change, so a webhook shows exactly what a GET showed at that moment.
 */
export const unixSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

export function paymentView(p: PaymentRecord) {
  return {
    id: p.id,
    object: 'payment' as const,
    amount: p.amount,
    currency: p.currency,
    status: p.status,
    capture_method: p.captureMethod,
    amount_capturable: p.amountCapturable,
    amount_received: p.amountReceived,
    amount_refunded: p.amountRefunded,
    reference: p.reference,
    description: p.description,
    customer: p.customer,
    country: p.country,
    payment_method: p.paymentMethod,
    payment_method_details: p.paymentMethodDetails,
    next_action: p.nextAction,
    last_error: p.lastError,
    client_secret: p.clientSecret,
    return_url: p.returnUrl,
    cancellation_reason: p.cancellationReason,
    canceled_at: p.canceledAt ? unixSeconds(p.canceledAt) : null,
    connector: p.connector,
    metadata: p.metadata,
    created: unixSeconds(p.createdAt),
    livemode: p.livemode,
  };
}
export type PaymentView = ReturnType<typeof paymentView>;

export function refundView(r: RefundRecord) {
  return {
    id: r.id,
    object: 'refund' as const,
    amount: r.amount,
    currency: r.currency,
    payment: r.paymentId,
    status: r.status,
    reason: r.reason,
    failure_reason: r.failureReason,
    metadata: r.metadata,
    created: unixSeconds(r.createdAt),
    livemode: r.livemode,
  };
}
export type RefundView = ReturnType<typeof refundView>;

export function eventView(e: EventRecord) {
  return {
    id: e.id,
    object: 'event' as const,
    type: e.type,
    created: unixSeconds(e.createdAt),
    livemode: e.livemode,
    data: { object: e.object },
  };
}
export type EventView = ReturnType<typeof eventView>;

export function allowedOriginView(a: AllowedOriginRecord) {
  return {
    id: a.id,
    object: 'allowed_origin' as const,
    origin: a.origin,
    created: unixSeconds(a.createdAt),
    livemode: a.livemode,
  };
}

export function webhookEndpointView(w: WebhookEndpointRecord, opts: { withSecret: boolean }) {
  return {
    id: w.id,
    object: 'webhook_endpoint' as const,
    url: w.url,
    enabled_events: w.enabledEvents,
    description: w.description,
    status: 'enabled' as const,
    ...(opts.withSecret ? { secret: w.secret } : {}),
    created: unixSeconds(w.createdAt),
    livemode: w.livemode,
  };
}
