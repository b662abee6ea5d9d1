import { formatAmount } from '../money/format.js';
import type { ApiResponse } from '../services/idempotency.js';
import { confirmableStatuses } from '../state/index.js';
import type { PaymentView } from '../views.js';
import type { OfferedMethod } from './payment-methods.js';

/**
 * What the shopper's browser may see of a payment (publishable key and client secret): enough
 * to show the amount, pay, follow 3-D Secure and tell the outcome. Never the merchant's
 * reference, customer, metadata, connector, client secret, or the rest of what the secret key
 * sees. Built from the API's own view, so that a stored answer can be narrowed the same way.
 *
 * `formatted_amount` is the amount as the shopper reads it in the checkout's locale: formatted
 * here, because a browser's first `Intl.NumberFormat` loads its number data on the page's main
 * thread (tens of milliseconds on a phone) just when the checkout renders.
 */
export function checkoutView(p: PaymentView, methods: OfferedMethod[], locale: string) {
  const card = p.payment_method_details?.card;
  return {
    id: p.id,
    object: 'checkout_payment' as const,
    amount: p.amount,
    currency: p.currency,
    formatted_amount: formatAmount(p.amount, p.currency, locale),
    country: p.country,
    status: p.status,
    next_action: p.next_action,
    last_error: p.last_error
      ? {
          type: p.last_error.type,
          code: p.last_error.code,
          ...(p.last_error.decline_code ? { decline_code: p.last_error.decline_code } : {}),
          message: p.last_error.message,
        }
      : null,
    // The method, so a checkout the shopper comes back to shows the one they chose; of a card
    // its brand and last four, of the payer's details nothing.
    payment_method_details: card
      ? { type: 'card', card: { brand: card.brand, last4: card.last4 } }
      : p.payment_method_details
        ? { type: p.payment_method_details.type }
        : null,
    /** Offered only while the payment can still be paid. */
    payment_methods: confirmableStatuses.includes(p.status) ? methods : [],
    return_url: p.return_url,
    created: p.created,
    livemode: p.livemode,
  };
}
export type CheckoutView = ReturnType<typeof checkoutView>;

/** An answer of the payment API narrowed for the browser: a payment becomes its checkout view. */
export function checkoutResponse(
  response: ApiResponse,
  methods: OfferedMethod[],
  locale: string,
): ApiResponse {
  const body = response.body as { object?: string } | null;
  if (response.status !== 200 || body?.object !== 'payment') return response;
  return { status: 200, body: checkoutView(body as PaymentView, methods, locale) };
}
