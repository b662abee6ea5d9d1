import {
  type AuthorizationOutcome,
  type AuthorizeRequest,
  currencyExponent,
  isCurrency,
  type PaymentMethodDetails,
  type StatusOutcome,
} from '@payin/core';
import type { Money, Order, OrderRequest } from '@payin/provider-wire/paypal';
import { DECLINED, EXPIRED } from './errors.js';

/**
 * The currencies PayPal takes and the decimals of its amounts
 * (https://developer.paypal.com/api/rest/reference/currency-codes/). HUF and TWD have two in ISO
 * 4217, payin's minor unit, but none at PayPal: an amount with fillér or cents cannot go there.
 */
export const paypalDecimals: Readonly<Record<string, number>> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

/**
 * An amount in payin's minor units as PayPal's decimal string ("49.90", "1000" for JPY), exact
 * (no float on the way); undefined for a currency PayPal does not take, or an amount it cannot
 * express (10.50 HUF).
 */
export function paypalMoney(minor: number, currency: string): Money | undefined {
  const decimals = paypalDecimals[currency];
  if (decimals === undefined || !isCurrency(currency) || !Number.isSafeInteger(minor) || minor < 0)
    return undefined;
  const dropped = currencyExponent(currency) - decimals;
  if (dropped < 0) return undefined;
  const scale = 10 ** dropped;
  if (minor % scale !== 0) return undefined;
  const digits = String(minor / scale).padStart(decimals + 1, '0');
  const value = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return { currency_code: currency, value };
}

/** PayPal's decimal string back in payin's minor units; undefined when it is not an amount of that currency. */
export function minorOf(money: Money | undefined): number | undefined {
  if (!money || !isCurrency(money.currency_code) || !/^\d+(\.\d+)?$/.test(money.value)) return undefined;
  const exponent = currencyExponent(money.currency_code);
  const [whole = '0', fraction = ''] = money.value.split('.');
  if (fraction.length > exponent) return undefined;
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** PayPal's locale pattern (the specs' `language`): `fr-FR`, `zh-Hant-TW`, `es-419`. */
const LOCALE = /^[a-z]{2}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$/;

/** Characters, not UTF-16 units: PayPal counts what the payer reads. */
const clip = (text: string, max: number) => Array.from(text).slice(0, max).join('');

/** A full name as PayPal's given name and surname: the last word is the surname. */
function payerName(name: string | undefined) {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  if (words.length === 1) return { given_name: clip(words[0] as string, 140) };
  return { given_name: clip(words.slice(0, -1).join(' '), 140), surname: clip(words.at(-1) as string, 140) };
}

/**
 * Where PayPal sends the payer who cancels: payin's return URL with `outcome=cancel`, which comes
 * back to completeAction among PayPal's own parameters.
 */
export function cancelUrl(providerReturnUrl: string): string {
  const url = new URL(providerReturnUrl);
  url.searchParams.set('outcome', 'cancel');
  return url.toString();
}

/**
 * payin's authorisation as an Orders v2 order (POST /v2/checkout/orders) paid with the PayPal
 * wallet. The attempt is the unit's `custom_id` and `invoice_id`: captures and webhooks name it
 * back (an order's capture inherits both). `PAY_NOW` because payin captures or authorizes as
 * soon as the payer returns, with no review page in between; `NO_SHIPPING` because the shop, not
 * PayPal, collects the address. Undefined when PayPal cannot take the amount.
 */
export function orderRequest(req: AuthorizeRequest): OrderRequest | undefined {
  const amount = paypalMoney(req.amount, req.currency);
  if (!amount || req.amount <= 0) return undefined;
  const email = req.billingDetails?.email?.trim();
  const name = payerName(req.billingDetails?.name);
  const description = req.description?.trim();
  return {
    intent: req.capture ? 'CAPTURE' : 'AUTHORIZE',
    purchase_units: [
      {
        reference_id: req.paymentId,
        custom_id: req.attemptId,
        invoice_id: req.attemptId,
        amount,
        ...(description ? { description: clip(description, 127) } : {}),
      },
    ],
    payment_source: {
      paypal: {
        ...(email ? { email_address: email } : {}),
        ...(name ? { name } : {}),
        experience_context: {
          return_url: req.providerReturnUrl,
          cancel_url: cancelUrl(req.providerReturnUrl),
          ...(LOCALE.test(req.locale) ? { locale: req.locale } : {}),
          user_action: 'PAY_NOW',
          shipping_preference: 'NO_SHIPPING',
        },
      },
    },
  } as OrderRequest;
}

/** Where the payer approves the order: `payer-action` (payment_source flow), or `approve`. */
export function approvalUrl(order: Pick<Order, 'links'>): string | undefined {
  const links = order.links ?? [];
  return (links.find((l) => l.rel === 'payer-action') ?? links.find((l) => l.rel === 'approve'))?.href;
}

/** What PayPal says of the payer, for the payment method's details. */
function paypalDetails(order: Order): PaymentMethodDetails {
  const payer = order.payer;
  const name = [payer?.name?.given_name, payer?.name?.surname].filter(Boolean).join(' ');
  const email = payer?.email_address;
  return {
    type: 'paypal',
    ...(email || name ? { billing_details: { ...(email ? { email } : {}), ...(name ? { name } : {}) } } : {}),
  };
}

/**
 * A completed order (after capture or authorize) as payin's outcome, read from its first
 * purchase unit's capture (`capture`) or authorization. Only what PayPal states is concluded:
 * PENDING is PayPal holding the payment (review, eCheck), settled later by a webhook; a status
 * payin does not know stays unknown.
 */
export function completedOutcome(order: Order, capture: boolean): AuthorizationOutcome {
  const providerReference = order.id as string;
  const payments = order.purchase_units?.[0]?.payments;
  const status = capture ? payments?.captures?.[0]?.status : payments?.authorizations?.[0]?.status;
  switch (status) {
    case 'COMPLETED':
    case 'PARTIALLY_REFUNDED':
    case 'REFUNDED':
      return capture
        ? { status: 'captured', providerReference, paymentMethodDetails: paypalDetails(order) }
        : { status: 'unknown', providerReference, reason: `PayPal answered an authorization ${status}` };
    case 'CREATED':
    case 'CAPTURED':
    case 'PARTIALLY_CAPTURED':
      return capture
        ? { status: 'unknown', providerReference, reason: `PayPal answered a capture ${status}` }
        : { status: 'authorized', providerReference, paymentMethodDetails: paypalDetails(order) };
    case 'PENDING':
      return { status: 'processing', providerReference };
    case 'DECLINED':
    case 'DENIED':
    case 'FAILED':
      return { status: 'failed', providerReference, error: DECLINED };
    case 'VOIDED':
      return { status: 'failed', providerReference, error: EXPIRED };
    default:
      return {
        status: 'unknown',
        providerReference,
        reason: `PayPal answered order ${order.status ?? '(no status)'} with ${capture ? 'capture' : 'authorization'} ${status ?? '(none)'}`,
      };
  }
}

/**
 * An order read back (status inquiry) as payin's answer. Not approved yet is pending: the payer
 * may still be on PayPal's page. A VOIDED order was abandoned or expired at PayPal: nothing was
 * or can be charged. APPROVED is left to the caller (the capture may not have been sent).
 */
export function orderStatus(order: Order, capture: boolean): StatusOutcome {
  switch (order.status) {
    case 'COMPLETED':
      return completedOutcome(order, capture);
    case 'CREATED':
    case 'SAVED':
    case 'PAYER_ACTION_REQUIRED':
    case 'APPROVED':
      return { status: 'pending' };
    case 'VOIDED':
      return { status: 'failed', providerReference: order.id as string, error: EXPIRED };
    default:
      return {
        status: 'unknown',
        providerReference: order.id as string,
        reason: `PayPal answered order status ${order.status ?? '(none)'}`,
      };
  }
}

/** Capture statuses of a capture that took the payer's money (refunded since, or not). */
const SETTLED_CAPTURES = new Set(['COMPLETED', 'PARTIALLY_REFUNDED', 'REFUNDED']);

/**
 * The capture a refund goes to. PayPal refunds one capture at a time, and its PayPal-Request-Id
 * is the refund's key on that capture's path: a retry of a refund whose answer was lost must
 * pick the same capture, or it would refund twice. So the choice reads only what does not change
 * as refunds are made: the oldest settled capture whose amount covers the refund (the only one,
 * for an order captured at once). A refund larger than every capture is not one PayPal can make.
 */
export function captureToRefund(order: Order, amount: number): { id: string } | undefined {
  const captures = order.purchase_units?.[0]?.payments?.captures ?? [];
  const settled = captures.filter((c) => c.id && c.status && SETTLED_CAPTURES.has(c.status));
  const chosen = settled.find((c) => (minorOf(c.amount) ?? 0) >= amount);
  return chosen?.id ? { id: chosen.id } : undefined;
}
