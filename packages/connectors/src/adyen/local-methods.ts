import type { AuthorizeRequest, ConnectorAction, ProviderError } from '@payin/core';
import type { PaymentRequest } from '@payin/provider-wire/adyen';
import type { AdyenAccount } from './account.js';

/**
 * Each market's own habit, through Adyen: Bizum in Spain (the bank's app confirms), PayPay in
 * Japan (the PayPay app), and konbini vouchers paid in cash at a Japanese convenience store
 * before a deadline. payin's method type → Adyen's `paymentMethod.type`.
 */
export const adyenLocalTypes = {
  bizum: 'bizum',
  paypay: 'paypay',
  // Lawson, Mini Stop, FamilyMart and Seicomart on one slip: the widest choice of stores.
  konbini: 'econtext_stores',
} as const;

export type AdyenLocalMethod = keyof typeof adyenLocalTypes;

export const isAdyenLocalMethod = (type: string): type is AdyenLocalMethod =>
  Object.hasOwn(adyenLocalTypes, type);

/** The stores a konbini voucher type is paid at, as payin names them (`display_voucher.store`). */
const voucherStores: Record<string, string> = {
  econtext_stores: 'lawson_ministop_familymart_seicomart',
  econtext_seven_eleven: 'seven_eleven',
};

/**
 * payin's authorisation of a local method as Adyen's `POST /payments`. No card, so no vault:
 * the request goes to Adyen directly. Only PayPay can be captured separately: Bizum and
 * vouchers are captured when the shopper pays (payin refuses manual capture for them).
 */
export function localPaymentRequest(
  req: AuthorizeRequest,
  account: Pick<AdyenAccount, 'merchantAccount'>,
  method: AdyenLocalMethod,
): PaymentRequest {
  const billing = req.billingDetails ?? {};
  return {
    merchantAccount: account.merchantAccount,
    reference: req.attemptId,
    amount: { value: req.amount, currency: req.currency },
    paymentMethod: method === 'konbini' ? voucherDetails(req) : { type: adyenLocalTypes[method] },
    returnUrl: req.providerReturnUrl,
    channel: 'Web',
    shopperInteraction: 'Ecommerce',
    shopperLocale: req.locale,
    ...(req.country ? { countryCode: req.country } : {}),
    ...(billing.email ? { shopperEmail: billing.email } : {}),
    ...(method === 'paypay' && !req.capture ? { additionalData: { manualCapture: 'true' } } : {}),
  } as PaymentRequest;
}

/**
 * The shopper on a konbini voucher (Adyen's EcontextVoucherDetails): the store chains send the
 * slip by e-mail and SMS. A name is split at its last space, first name(s) then last name, as
 * the checkout's single name field is filled; a single word is both.
 */
function voucherDetails(req: AuthorizeRequest) {
  const billing = req.billingDetails ?? {};
  const name = (billing.name ?? '').trim();
  const cut = name.lastIndexOf(' ');
  return {
    type: adyenLocalTypes.konbini,
    firstName: cut > 0 ? name.slice(0, cut).trim() : name,
    lastName: cut > 0 ? name.slice(cut + 1) : name,
    shopperEmail: billing.email ?? '',
    telephoneNumber: internationalPhone(billing.phone ?? ''),
  };
}

/**
 * Adyen takes only international numbers (`+81 90 1234 5678`). Japanese shoppers write the
 * national form (`090-1234-5678`): its trunk 0 becomes +81. Anything else is sent as given,
 * and Adyen's refusal says what is wrong.
 */
export function internationalPhone(phone: string): string {
  const compact = phone.replace(/[\s().-]/g, '');
  if (/^0[1-9]\d{8,9}$/.test(compact)) return `+81 ${compact.slice(1)}`;
  return phone.trim();
}

/** Adyen's `action` of a local method as payin's; undefined when it is not one payin can follow. */
export function localAction(action: unknown): ConnectorAction | undefined {
  const a = action as {
    type?: string;
    url?: string;
    method?: string;
    data?: Record<string, string>;
    reference?: string;
    expiresAt?: string;
    instructionsUrl?: string;
    paymentMethodType?: string;
  } | null;
  if (a?.type === 'redirect' && a.url) {
    return a.method?.toUpperCase() === 'POST'
      ? { type: 'redirect_to_url', url: a.url, method: 'POST', data: a.data ?? {} }
      : { type: 'redirect_to_url', url: a.url };
  }
  if (a?.type === 'voucher' && a.reference && a.expiresAt) {
    const expiresAt = voucherExpiry(a.expiresAt);
    if (expiresAt === undefined) return undefined;
    return {
      type: 'display_voucher',
      reference: a.reference,
      expiresAt,
      instructionsUrl: a.instructionsUrl ?? null,
      store: voucherStores[a.paymentMethodType ?? ''] ?? null,
    };
  }
  return undefined;
}

/**
 * A voucher's deadline as unix ms. Adyen writes konbini deadlines in Japan's local time without
 * an offset (`2026-04-02T18:46:00`); one with an offset or `Z` is taken as written.
 */
export function voucherExpiry(expiresAt: string): number | undefined {
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(expiresAt) ? expiresAt : `${expiresAt}+09:00`;
  const ms = Date.parse(withZone);
  return Number.isFinite(ms) ? ms : undefined;
}

const methodNames: Record<string, string> = {
  bizum: 'Bizum',
  paypay: 'PayPay',
  econtext_stores: 'The convenience store',
  econtext_seven_eleven: 'The convenience store',
};

/**
 * A local method's refusal: the shopper cancelled in their app, or the bank / PayPay declined.
 * Card decline codes say nothing here.
 */
export function localRefusal(resultCode: 'Refused' | 'Cancelled', adyenType: string): ProviderError {
  const name = methodNames[adyenType] ?? 'The payment method';
  return resultCode === 'Cancelled'
    ? {
        code: 'canceled_by_shopper',
        message: `The payment was cancelled in ${name.replace(/^The /, 'the ')}.`,
      }
    : { code: 'payment_declined', message: `${name} declined the payment.` };
}
