import type { ProviderError } from '@payin/core';

/**
 * A request PayPal refused (4xx), as its error body says it
 * (https://developer.paypal.com/api/rest/responses/): `name` per HTTP status
 * (UNPROCESSABLE_ENTITY, …) and the fine-grained `details[0].issue` (INSTRUMENT_DECLINED, …).
 */
export interface PayPalRefusal {
  status: number;
  name?: string;
  issue?: string;
  description?: string;
  debugId?: string;
}

const declined = (message: string): ProviderError => ({ code: 'payment_declined', message });
const merchantSide = (message: string): ProviderError => ({ code: 'processing_error', message });

const fundingDeclined = declined(
  "PayPal declined the payer's funding source. Nothing was charged; the shopper may pay again with another funding source.",
);
/** PayPal declined a payment it had taken (a capture or authorization DECLINED or DENIED). */
export const DECLINED = declined('PayPal declined the payment. Nothing was charged.');
const payerRefused = declined('PayPal refused the payment for this PayPal account. Nothing was charged.');
const payeeUnable = merchantSide(
  "The merchant's PayPal account cannot take this payment. Nothing was charged.",
);
const amountRefused = merchantSide('PayPal does not take this amount or currency. Nothing was charged.');
/** The order or authorization ran out at PayPal before it was completed. */
export const EXPIRED: ProviderError = {
  code: 'payment_expired',
  message: 'The PayPal payment expired before it was completed. Nothing was charged.',
};
const notApproved: ProviderError = {
  code: 'canceled_by_shopper',
  message: 'The payment was not approved at PayPal. Nothing was charged.',
};

/**
 * PayPal's issues (the `details[].issue` enums of specs/paypal) as payin errors: the payer's
 * side refusing is `payment_declined`, the merchant's account or request `processing_error`.
 * Every message may be shown to the shopper: none carries PayPal's debug id or field values.
 */
export const issueErrors: Readonly<Record<string, ProviderError>> = {
  INSTRUMENT_DECLINED: fundingDeclined,
  REDIRECT_PAYER_FOR_ALTERNATE_FUNDING: fundingDeclined,
  PAYMENT_SOURCE_DECLINED_BY_PROCESSOR: fundingDeclined,
  PAYMENT_SOURCE_CANNOT_BE_USED: fundingDeclined,
  DECLINED_DUE_TO_RELATED_TXN: fundingDeclined,
  AUTHORIZATION_DENIED: fundingDeclined,
  PAYER_CANNOT_PAY: payerRefused,
  PAYER_ACCOUNT_RESTRICTED: payerRefused,
  PAYER_ACCOUNT_LOCKED_OR_CLOSED: payerRefused,
  TRANSACTION_REFUSED: payerRefused,
  TRANSACTION_LIMIT_EXCEEDED: payerRefused,
  MAX_NUMBER_OF_PAYMENT_ATTEMPTS_EXCEEDED: payerRefused,
  COMPLIANCE_VIOLATION: payerRefused,
  TRANSACTION_BLOCKED_BY_PAYEE: payerRefused,
  PAYEE_BLOCKED_TRANSACTION: payerRefused,
  ORDER_NOT_APPROVED: notApproved,
  PAYER_ACTION_REQUIRED: notApproved,
  ORDER_EXPIRED: EXPIRED,
  AUTHORIZATION_EXPIRED: EXPIRED,
  PAYEE_ACCOUNT_RESTRICTED: payeeUnable,
  PAYEE_ACCOUNT_LOCKED_OR_CLOSED: payeeUnable,
  PAYEE_ACCOUNT_INVALID: payeeUnable,
  PAYEE_ACCOUNT_NOT_VERIFIED: payeeUnable,
  TRANSACTION_RECEIVING_LIMIT_EXCEEDED: payeeUnable,
  PERMISSION_DENIED: payeeUnable,
  AUTH_CAPTURE_NOT_ENABLED: payeeUnable,
  CURRENCY_NOT_SUPPORTED: amountRefused,
  DECIMAL_PRECISION: amountRefused,
  DECIMALS_NOT_SUPPORTED: amountRefused,
  CANNOT_BE_ZERO_OR_NEGATIVE: amountRefused,
  MAX_VALUE_EXCEEDED: amountRefused,
};

/**
 * Issues that say PayPal is still working on a request made with the same PayPal-Request-Id:
 * the first one's outcome stands and is not known yet.
 */
export const IN_PROGRESS_ISSUES: ReadonlySet<string> = new Set([
  'PREVIOUS_REQUEST_IN_PROGRESS',
  'ORDER_COMPLETION_IN_PROGRESS',
]);

/** payin's error for a refusal: the issue's when known, else by status. */
export function errorFor(refusal: PayPalRefusal): ProviderError {
  const known = refusal.issue ? issueErrors[refusal.issue] : undefined;
  if (known) return known;
  if (refusal.status === 401 || refusal.status === 403) {
    return merchantSide('PayPal refused the connector account credentials. Nothing was charged.');
  }
  return merchantSide(
    `PayPal refused the request (${refusal.issue ?? refusal.name ?? `HTTP ${refusal.status}`}). Nothing was charged.`,
  );
}

/** The reason of a refused capture, void or refund, for the merchant: PayPal's issue and description. */
export function reasonFor(refusal: PayPalRefusal): string {
  const what = refusal.issue ?? refusal.name ?? `HTTP ${refusal.status}`;
  return refusal.description ? `${what}: ${refusal.description}` : what;
}
