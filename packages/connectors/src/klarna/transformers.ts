import type { AuthorizeRequest, BillingDetails } from '@payin/core';
import type {
  Address,
  CreateOrderRequest,
  HppMerchantUrls,
  HppSessionCreateRequest,
  Order,
  OrderLine,
  SessionCreateRequest,
  SessionReadResponse,
} from '@payin/provider-wire/klarna';

/**
 * What the order line carries for an attempt captured as soon as Klarna accepts it. Klarna
 * captures at order creation (`auto_capture`), but an order placed under fraud review (PENDING)
 * is not captured then; its acceptance, pushed later, would otherwise read as a capture that never
 * happened. `merchant_data` comes back in the order as Klarna stores it, so a notification read
 * back from Klarna still tells the two apart.
 */
export const CAPTURE_ON_ACCEPTANCE = '{"payin_capture":"automatic"}';

/** Klarna's limit on an order line's `name`. */
const NAME_MAX = 255;

/** The shopper's details as Klarna's `billing_address`; undefined when nothing was given. */
export function billingAddress(details: BillingDetails | null | undefined): Address | undefined {
  if (!details) return undefined;
  const address: Address = {};
  const name = details.name?.trim();
  if (name) {
    // Klarna wants the name in two parts; payin has it whole: the last word is the family name.
    const cut = name.lastIndexOf(' ');
    if (cut > 0) {
      address.given_name = name.slice(0, cut).trim();
      address.family_name = name.slice(cut + 1);
    } else address.given_name = name;
  }
  if (details.email) address.email = details.email;
  if (details.phone) address.phone = details.phone;
  const a = details.address;
  if (a?.line1) address.street_address = a.line1;
  if (a?.line2) address.street_address2 = a.line2;
  if (a?.postal_code) address.postal_code = a.postal_code;
  if (a?.city) address.city = a.city;
  if (a?.state) address.region = a.state;
  if (a?.country) address.country = a.country.toUpperCase();
  return Object.keys(address).length > 0 ? address : undefined;
}

/** The purchase's country: the payment's market, else the billing address's. */
export function purchaseCountry(req: AuthorizeRequest): string | undefined {
  return (req.country ?? req.billingDetails?.address?.country ?? undefined)?.toUpperCase();
}

/**
 * POST /payments/v1/sessions: one line for the whole amount (payin knows no basket), without
 * tax (it is included in the amount and payin does not know the rate), so the totals Klarna
 * checks add up by construction.
 */
export function sessionRequest(
  req: AuthorizeRequest,
  country: string,
  opts: { webhookUrl?: string } = {},
): SessionCreateRequest {
  const name = (req.description ?? req.reference ?? 'Order').trim().slice(0, NAME_MAX) || 'Order';
  const line: OrderLine = {
    name,
    quantity: 1,
    unit_price: req.amount,
    tax_rate: 0,
    total_amount: req.amount,
    total_discount_amount: 0,
    total_tax_amount: 0,
    ...(req.reference ? { reference: req.reference.slice(0, 64) } : {}),
    ...(req.capture ? { merchant_data: CAPTURE_ON_ACCEPTANCE } : {}),
  };
  const billing = billingAddress(req.billingDetails);
  return {
    acquiring_channel: 'ECOMMERCE',
    intent: 'buy',
    purchase_country: country,
    purchase_currency: req.currency.toUpperCase(),
    locale: req.locale,
    order_amount: req.amount,
    order_tax_amount: 0,
    order_lines: [line],
    ...(billing ? { billing_address: billing } : {}),
    merchant_reference1: req.attemptId,
    merchant_reference2: req.paymentId,
    ...(opts.webhookUrl ? { merchant_urls: { notification: opts.webhookUrl } } : {}),
  };
}

/**
 * Where Klarna's page sends the shopper: back to payin with the outcome, and on success the
 * authorization token (Klarna fills in `{{authorization_token}}`, so it must stay unescaped).
 */
export function returnUrls(providerReturnUrl: string): HppMerchantUrls {
  const join = providerReturnUrl.includes('?') ? '&' : '?';
  const to = (outcome: string) => `${providerReturnUrl}${join}outcome=${outcome}`;
  return {
    success: `${to('success')}&authorization_token={{authorization_token}}`,
    cancel: to('cancel'),
    back: to('back'),
    failure: to('failure'),
    error: to('error'),
  };
}

/**
 * POST /hpp/v1/sessions: Klarna's hosted page for the KP session. payin places the order itself
 * (`NONE`) once the shopper is back, so that it decides on capture and knows the order id.
 */
export function hppSessionRequest(
  endpoint: string,
  sessionId: string,
  providerReturnUrl: string,
): HppSessionCreateRequest {
  return {
    payment_session_url: `${endpoint}/payments/v1/sessions/${encodeURIComponent(sessionId)}`,
    merchant_urls: returnUrls(providerReturnUrl),
    options: { place_order_mode: 'NONE' },
  };
}

/**
 * POST /payments/v1/authorizations/{token}/order: the purchase as Klarna holds it in the session
 * (it must repeat what was authorized), the same fields in the same order every time so that a
 * call sent again under its idempotency key is the same request.
 */
export function orderRequest(session: SessionReadResponse, capture: boolean): CreateOrderRequest {
  return {
    purchase_country: session.purchase_country,
    purchase_currency: session.purchase_currency,
    ...(session.locale ? { locale: session.locale } : {}),
    order_amount: session.order_amount,
    order_tax_amount: session.order_tax_amount ?? 0,
    order_lines: session.order_lines,
    ...(session.billing_address ? { billing_address: session.billing_address } : {}),
    ...(session.merchant_reference1 ? { merchant_reference1: session.merchant_reference1 } : {}),
    ...(session.merchant_reference2 ? { merchant_reference2: session.merchant_reference2 } : {}),
    ...(session.merchant_urls ? { merchant_urls: session.merchant_urls } : {}),
    auto_capture: capture,
  };
}

/** Whether the order was placed for an attempt that captures as soon as Klarna accepts. */
export function capturesOnAcceptance(order: Pick<Order, 'order_lines'>): boolean {
  return (order.order_lines ?? []).some((line) => line.merchant_data === CAPTURE_ON_ACCEPTANCE);
}
