import type { ProviderError } from '@payin/core';

/**
 * Klarna's error codes (`error_code` of its error body; Payments API and Order Management,
 * docs.klarna.com/resources/developer-tools/error-handling/error-codes-and-messages-for-order-management)
 * as payin codes with messages a shopper or a merchant may be shown: Klarna's own
 * `error_messages` name fields and ids, and stay in the log.
 */
export const klarnaErrors: Readonly<Record<string, ProviderError>> = {
  UNAUTHORIZED: {
    code: 'processing_error',
    message: 'The payment provider refused the connector account credentials. Nothing was charged.',
  },
  FORBIDDEN: {
    code: 'processing_error',
    message: 'This Klarna account may not make this request. Nothing was charged.',
  },
  BAD_VALUE: {
    code: 'processing_error',
    message:
      'Klarna cannot take this purchase as it is (its country, currency, amount or language). Nothing was charged; choose another payment method.',
  },
  INVALID_ADDRESS: {
    code: 'processing_error',
    message: 'Klarna could not use the billing address given. Check it and try again.',
  },
  UNPROCESSABLE_ENTITY: {
    code: 'processing_error',
    message: 'Klarna could not process the request. Nothing was charged.',
  },
  REQUEST_TOO_LARGE: {
    code: 'processing_error',
    message: 'Klarna could not process the request. Nothing was charged.',
  },
  NOT_FOUND: {
    code: 'processing_error',
    message: 'Klarna no longer knows this payment.',
  },
  NO_SUCH_ORDER: {
    code: 'processing_error',
    message: 'Klarna does not know this order.',
  },
  CAPTURE_NOT_ALLOWED: {
    code: 'processing_error',
    message:
      'Klarna refused the capture: the order is cancelled or expired, under fraud review, or the amount is more than what remains authorized.',
  },
  REFUND_NOT_ALLOWED: {
    code: 'processing_error',
    message: 'Klarna refused the refund: the amount is more than what was captured and not yet refunded.',
  },
  CANCEL_NOT_ALLOWED: {
    code: 'processing_error',
    message: 'Klarna refused to cancel the order: part of it was already captured.',
  },
  NOT_ALLOWED: {
    code: 'processing_error',
    message: 'Klarna does not allow this operation on the order in its current state.',
  },
};

/** A 4xx from Klarna as payin's error; a code not in the table is a processing error. */
export function klarnaError(status: number, errorCode: string | undefined): ProviderError {
  const known = errorCode ? klarnaErrors[errorCode] : undefined;
  if (known) return known;
  if (status === 401 || status === 403) return klarnaErrors.UNAUTHORIZED as ProviderError;
  return {
    code: 'processing_error',
    message: `Klarna refused the request (HTTP ${status}). Nothing was charged.`,
  };
}

/** What the shopper did or Klarna decided, for outcomes that are no error of a request. */
export const shopperOutcomes = {
  canceled: {
    code: 'canceled_by_shopper',
    message: 'The shopper left Klarna without paying.',
  },
  declined: {
    code: 'payment_declined',
    message: 'Klarna declined the payment. Choose another payment method.',
  },
  fraudRejected: {
    code: 'payment_declined',
    message: 'Klarna declined the payment after its review. Nothing was charged.',
  },
  authorizationExpired: {
    code: 'payment_expired',
    message: "The shopper's Klarna authorization expired before the order was placed. Nothing was charged.",
  },
  orderExpired: {
    code: 'payment_expired',
    message: 'The Klarna order expired before it was captured. Nothing was charged.',
  },
  sessionExpired: {
    code: 'payment_expired',
    message: 'The Klarna payment was not completed in time. Nothing was charged.',
  },
  orderCancelled: {
    code: 'processing_error',
    message: 'The Klarna order was cancelled before any capture. Nothing was charged.',
  },
  unreachable: {
    code: 'processing_error',
    message: 'Klarna could not be reached. Nothing was charged; try again.',
  },
} as const satisfies Record<string, ProviderError>;
