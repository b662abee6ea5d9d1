import type { WebhookEvent } from '@payin/provider-wire/paypal';
import { moneyOf } from './money.js';
import {
  authorizationOf,
  captureOf,
  type LinkBase,
  type Merchant,
  orderOf,
  refundOf,
} from './representations.js';
import { type PayPalEvent, type PayPalState, paypalId } from './state.js';

/** "$ 10.00 USD" as PayPal's summaries write amounts. */
const spoken = (money: { currency_code: string; value: string }) =>
  `${money.currency_code === 'USD' ? '$' : money.currency_code} ${money.value} ${money.currency_code}`;

/**
 * The webhook event PayPal sends for what happened (https://developer.paypal.com/api/rest/webhooks/event-names/),
 * shaped per notifications_webhooks_v1 `event`: the resource as the Orders or Payments API shows
 * it, `resource_version` 2.0 for both.
 */
export function eventOf(
  event: PayPalEvent,
  ctx: { state: PayPalState; merchant: Merchant; base: LinkBase; now: Date },
): WebhookEvent {
  const id = `WH-${paypalId()}-${paypalId()}`;
  const webhookEvent = (resource_type: string, summary: string, resource: object): WebhookEvent => ({
    id,
    event_version: '1.0',
    create_time: ctx.now.toISOString(),
    resource_version: '2.0',
    event_type: event.type,
    resource_type,
    summary,
    resource: resource as WebhookEvent['resource'],
    links: [
      { href: `${ctx.base.api}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
      {
        href: `${ctx.base.api}/v1/notifications/webhooks-events/${id}/resend`,
        rel: 'resend',
        method: 'POST',
      },
    ],
  });
  switch (event.type) {
    case 'CHECKOUT.ORDER.APPROVED':
      return webhookEvent(
        'checkout-order',
        'An order has been approved by buyer',
        orderOf(ctx.state, event.order, ctx.base, ctx.merchant),
      );
    case 'PAYMENT.AUTHORIZATION.CREATED':
    case 'PAYMENT.AUTHORIZATION.VOIDED': {
      const amount = spoken(moneyOf(event.authorization.amount));
      return webhookEvent(
        'authorization',
        event.type === 'PAYMENT.AUTHORIZATION.CREATED'
          ? `A payment authorization was created for ${amount}`
          : `A payment authorization was voided for ${amount}`,
        authorizationOf(event.authorization, ctx.base),
      );
    }
    case 'PAYMENT.CAPTURE.REFUNDED':
      return webhookEvent(
        'refund',
        `A ${spoken(moneyOf(event.refund.amount))} capture payment was refunded`,
        refundOf(event.refund, ctx.base),
      );
    default: {
      const verb = {
        'PAYMENT.CAPTURE.COMPLETED': 'completed',
        'PAYMENT.CAPTURE.PENDING': 'pending',
        'PAYMENT.CAPTURE.DENIED': 'denied',
      }[event.type];
      return webhookEvent(
        'capture',
        `Payment ${verb} for ${spoken(moneyOf(event.capture.amount))}`,
        captureOf(event.capture, ctx.base),
      );
    }
  }
}
