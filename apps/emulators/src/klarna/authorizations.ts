import { randomBytes, randomUUID } from 'node:crypto';
import type { CreateOrderRequest, CreateOrderResponse } from '@payin/provider-wire/klarna';
import { badValue, KlarnaError } from './errors.js';
import { captureOrder } from './orders.js';
import { checkPurchase } from './sessions.js';
import type { Authorization, CategoryId, KlarnaState, OrderRecord, PaymentSession } from './state.js';

/**
 * Test personas, after Klarna's playground sample customer data: the billing e-mail decides.
 * `…+denied@…` is refused on the page, `…+pend-accepted@…` / `…+pend-rejected@…` get an order
 * in fraud review (PENDING) that ends ACCEPTED / REJECTED; anyone else is approved.
 */
export function personaOf(session: PaymentSession): 'denied' | Authorization['fraud'] {
  const email = session.request.billing_address?.email?.toLowerCase() ?? '';
  if (email.includes('+denied')) return 'denied';
  if (email.includes('+pend-accepted')) return 'PENDING_ACCEPTED';
  if (email.includes('+pend-rejected')) return 'PENDING_REJECTED';
  return 'ACCEPTED';
}

/** The shopper's "Pay": an authorization token valid `ttlMs` (Klarna: 60 minutes). */
export function authorize(
  state: KlarnaState,
  session: PaymentSession,
  category: CategoryId,
  fraud: Authorization['fraud'],
  ttlMs: number,
): Authorization {
  const authorization: Authorization = {
    token: randomUUID(),
    sessionId: session.sessionId,
    merchant: session.merchant,
    category,
    fraud,
    expiresAt: new Date(state.now().getTime() + ttlMs),
    state: 'valid',
  };
  state.authorizations.set(authorization.token, authorization);
  session.authorizationToken = authorization.token;
  return authorization;
}

function usableAuthorization(state: KlarnaState, merchant: string, token: string): Authorization {
  const authorization = state.authorizations.get(token);
  if (
    !authorization ||
    authorization.merchant !== merchant ||
    authorization.state !== 'valid' ||
    authorization.expiresAt <= state.now()
  )
    throw new KlarnaError('invalidAuthorizationToken');
  return authorization;
}

const paymentMethods = {
  pay_later: {
    wire: { type: 'invoice', number_of_days: 30 },
    initial: { type: 'INVOICE', description: 'Pay later in 30 days' },
  },
  pay_over_time: {
    wire: { type: 'fixed_amount', number_of_installments: 4 },
    initial: {
      type: 'FIXED_AMOUNT',
      description: 'Pay in 4 interest-free payments',
      number_of_installments: 4,
    },
  },
  pay_now: { wire: { type: 'direct_debit' }, initial: { type: 'DIRECT_DEBIT', description: 'Pay now' } },
} as const satisfies Record<CategoryId, unknown>;

export const initialPaymentMethod = (category: CategoryId) => paymentMethods[category].initial;

/** A 7-character customer-facing reference, as Klarna's `klarna_reference`. */
const klarnaReference = () =>
  randomBytes(5).toString('base64url').toUpperCase().replace(/[-_]/g, 'K').slice(0, 7);

export interface PlaceOrderOptions {
  publicUrl: string;
  /** How long an order's authorization lasts before it must be captured (Klarna: 28 days by default). */
  orderLifetimeMs: number;
  /** Called for an order placed PENDING: its review starts. */
  review: (order: OrderRecord) => void;
}

/**
 * POST /payments/v1/authorizations/{authorizationToken}/order: the body repeats the purchase,
 * which must be the one authorized (same country, currency, amount), checked as a session is.
 * The token is then used up.
 */
export function placeOrder(
  state: KlarnaState,
  merchant: string,
  token: string,
  body: Partial<CreateOrderRequest>,
  opts: PlaceOrderOptions,
): CreateOrderResponse {
  const authorization = usableAuthorization(state, merchant, token);
  const session = state.sessions.get(authorization.sessionId) as PaymentSession;
  const { purchase } = checkPurchase(body);
  for (const field of ['purchase_country', 'purchase_currency', 'order_amount'] as const) {
    if (String(purchase[field]).toUpperCase() !== String(session.request[field]).toUpperCase())
      throw badValue(field, 'differs from the authorized session');
  }
  const now = state.now();
  const pending = authorization.fraud !== 'ACCEPTED';
  const order: OrderRecord = {
    orderId: randomUUID(),
    merchant,
    klarnaReference: klarnaReference(),
    status: 'AUTHORIZED',
    fraudStatus: pending ? 'PENDING' : 'ACCEPTED',
    ...(pending
      ? { pendingDecision: authorization.fraud === 'PENDING_ACCEPTED' ? 'ACCEPTED' : 'REJECTED' }
      : {}),
    orderAmount: purchase.order_amount,
    originalOrderAmount: purchase.order_amount,
    capturedAmount: 0,
    refundedAmount: 0,
    remainingAuthorizedAmount: purchase.order_amount,
    currency: purchase.purchase_currency.toUpperCase(),
    country: purchase.purchase_country.toUpperCase(),
    locale: purchase.locale ?? session.request.locale ?? 'en-US',
    orderLines: purchase.order_lines,
    merchantReference1: purchase.merchant_reference1,
    merchantReference2: purchase.merchant_reference2,
    merchantUrls: purchase.merchant_urls ?? session.request.merchant_urls ?? {},
    billingAddress: purchase.billing_address ?? session.request.billing_address,
    shippingAddress: purchase.shipping_address ?? session.request.shipping_address,
    category: authorization.category,
    createdAt: now,
    expiresAt: new Date(now.getTime() + opts.orderLifetimeMs),
    captures: [],
    refunds: [],
  };
  state.orders.set(order.orderId, order);
  authorization.state = 'used';
  authorization.orderId = order.orderId;
  if (pending) opts.review(order);
  else if (body.auto_capture === true) captureOrder(state, order, { captured_amount: order.orderAmount });
  return {
    order_id: order.orderId,
    redirect_url: `${opts.publicUrl}/klarna/hpp/confirmation/${order.orderId}`,
    fraud_status: order.fraudStatus,
    authorized_payment_method: { ...paymentMethods[order.category].wire },
  };
}

/** DELETE /payments/v1/authorizations/{authorizationToken}: the token can no longer place an order. */
export function cancelAuthorization(state: KlarnaState, merchant: string, token: string): void {
  const authorization = usableAuthorization(state, merchant, token);
  authorization.state = 'cancelled';
}
