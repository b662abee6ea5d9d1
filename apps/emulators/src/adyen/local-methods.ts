import type { Amount, PaymentMethodsResponse } from '@payin/provider-wire/adyen';
import type { ModificationType, PaymentRecord } from './state.js';

/**
 * The local payment methods the emulated merchant account offers next to cards, as data: where
 * Adyen offers each one (country, currency), its amount limits, how the shopper pays, and which
 * modifications Adyen allows for it. Sources, per method:
 * - Bizum (https://docs.adyen.com/payment-methods/bizum): Online Banking, redirect, ES, EUR;
 *   refunds, partial and multiple partial refunds; no separate captures (captured at once). The
 *   API-only page: the redirect action is posted (`method: POST` with `data`,
 *   x-www-form-urlencoded). Adyen documents no amount limits.
 * - PayPay (https://docs.adyen.com/payment-methods/paypay): Wallets, redirect, JP, JPY; refunds,
 *   partial refunds; separate and partial captures.
 * - Japanese convenience stores (https://docs.adyen.com/payment-methods/econtext-konbini):
 *   `econtext_seven_eleven` (the shopper is sent to 7-Eleven's page showing the voucher) and
 *   `econtext_stores` (Lawson, Mini Stop, Family Mart, Seicomart: the voucher is shown in the
 *   merchant's page); the shopper's name, email and telephone number are required; paid in cash
 *   later, so there is nothing to capture and nothing to refund through the API. Up to 300,000 JPY
 *   at the store counter (the konbini networks' limit).
 */
export type LocalMethodType = 'bizum' | 'paypay' | 'econtext_seven_eleven' | 'econtext_stores';

export interface LocalMethod {
  type: LocalMethodType;
  /** The name /paymentMethods gives it. */
  name: string;
  countryCode: string;
  currency: string;
  /** Inclusive limits in minor units (JPY has none: yen). */
  minValue: number;
  maxValue?: number;
  flow: 'redirect' | 'voucher';
  /** How the browser reaches the redirect page: Bizum's is posted, PayPay's is a plain link. */
  redirectMethod?: 'GET' | 'POST';
  /** /captures after the payment: false where Adyen captures at once whatever the request asks. */
  separateCaptures: boolean;
  refunds: boolean;
}

export const localMethods: Record<LocalMethodType, LocalMethod> = {
  bizum: {
    type: 'bizum',
    name: 'Bizum',
    countryCode: 'ES',
    currency: 'EUR',
    minValue: 1,
    flow: 'redirect',
    redirectMethod: 'POST',
    separateCaptures: false,
    refunds: true,
  },
  paypay: {
    type: 'paypay',
    name: 'PayPay',
    countryCode: 'JP',
    currency: 'JPY',
    minValue: 1,
    flow: 'redirect',
    redirectMethod: 'GET',
    separateCaptures: true,
    refunds: true,
  },
  econtext_seven_eleven: {
    type: 'econtext_seven_eleven',
    name: '7-Eleven',
    countryCode: 'JP',
    currency: 'JPY',
    minValue: 1,
    maxValue: 300_000,
    flow: 'voucher',
    separateCaptures: false,
    refunds: false,
  },
  econtext_stores: {
    type: 'econtext_stores',
    name: 'Convenience Stores',
    countryCode: 'JP',
    currency: 'JPY',
    minValue: 1,
    maxValue: 300_000,
    flow: 'voucher',
    separateCaptures: false,
    refunds: false,
  },
};

export function localMethodOf(type: unknown): LocalMethod | undefined {
  return typeof type === 'string' && Object.hasOwn(localMethods, type)
    ? localMethods[type as LocalMethodType]
    : undefined;
}

export const withinLimits = (method: LocalMethod, value: number) =>
  value >= method.minValue && (method.maxValue === undefined || value <= method.maxValue);

/**
 * POST /paymentMethods: the cards, then each local method offered in the shopper's country, in
 * the payment's currency, for its amount (Adyen's API-only pages: send `countryCode` and
 * `amount.currency` to have the method listed). A request without them lists every method.
 */
export function availablePaymentMethods(request: {
  countryCode?: unknown;
  amount?: Partial<Amount>;
}): PaymentMethodsResponse {
  const listed = Object.values(localMethods).filter((method) => {
    if (typeof request.countryCode === 'string' && request.countryCode.toUpperCase() !== method.countryCode)
      return false;
    const amount = request.amount;
    if (amount?.currency !== undefined && amount.currency !== method.currency) return false;
    return typeof amount?.value !== 'number' || withinLimits(method, amount.value);
  });
  return {
    paymentMethods: [
      { brands: ['visa', 'mc', 'amex'], name: 'Cards', type: 'scheme' },
      ...listed.map(({ name, type }) => ({ name, type })),
    ],
  };
}

const refundsUnsupported = 'Refund is not supported for this payment method';
const separateCapturesUnsupported = 'Separate capture is not supported for this payment method';

/**
 * What Adyen's payment-method table allows, for a modification of a local payment: `undefined`
 * leaves the decision to the card rules (captures up to what is authorised, refunds up to what
 * was captured), `{}` accepts it, `{reason}` rejects it. Adyen still acknowledges a rejected
 * modification (201 "received") and reports the failure in its webhook (`success: "false"`).
 * An unpaid konbini voucher can be cancelled (Adyen's konbini page: "/cancels for expiry
 * management"); once paid, it is cash collected by the store: neither captured nor refunded
 * through the API.
 */
export function decideLocalModification(
  record: PaymentRecord,
  type: ModificationType,
): { reason?: string } | undefined {
  const method = localMethodOf(record.brand);
  if (!method) return undefined;
  const voucher = record.voucher;
  if (voucher) {
    const closed = { reason: `Voucher is ${voucher.status}` };
    if (type === 'cancel' || type === 'reversal') {
      if (voucher.status === 'pending') return {};
      if (voucher.status === 'paid' && type === 'reversal') return { reason: refundsUnsupported };
      return voucher.status === 'paid' ? { reason: 'Payment was already captured' } : closed;
    }
    if (type === 'refund') return { reason: refundsUnsupported };
    return { reason: separateCapturesUnsupported };
  }
  if (type === 'capture' && !method.separateCaptures) return { reason: separateCapturesUnsupported };
  if (type === 'refund' && !method.refunds) return { reason: refundsUnsupported };
  return undefined;
}
