import type { PaymentMethodDetails, ProviderError } from '@payin/core';

/**
 * The built-in test payment methods of the API contract, as data. `behaviour` says what the
 * simulated provider does when asked to authorise.
 */
export type SandboxBehaviour =
  | { kind: 'authorize' }
  | { kind: 'decline'; error: ProviderError }
  | { kind: 'challenge' }
  | { kind: 'provider_error'; error: ProviderError }
  | { kind: 'timeout' }
  | { kind: 'refund_fails'; reason: string }
  | { kind: 'modification_timeout'; operation: 'capture' | 'refund' };

export interface SandboxMethod {
  behaviour: SandboxBehaviour;
  details: PaymentMethodDetails;
}

const card = (brand: string, last4: string, country = 'US'): PaymentMethodDetails => ({
  type: 'card',
  card: {
    brand,
    last4,
    exp_month: 12,
    exp_year: new Date().getUTCFullYear() + 3,
    country,
    funding: 'credit',
  },
});

const declined = (declineCode: string, message: string): SandboxBehaviour => ({
  kind: 'decline',
  error: { code: 'card_declined', declineCode, message },
});

export const sandboxMethods: Readonly<Record<string, SandboxMethod>> = {
  pm_card_visa: { behaviour: { kind: 'authorize' }, details: card('visa', '4242') },
  pm_card_mastercard: { behaviour: { kind: 'authorize' }, details: card('mastercard', '4444') },
  pm_card_chargeDeclined: {
    behaviour: declined('generic_decline', 'Your card was declined.'),
    details: card('visa', '0002'),
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    behaviour: declined('insufficient_funds', 'Your card has insufficient funds.'),
    details: card('visa', '9995'),
  },
  pm_card_threeDSecureRequired: { behaviour: { kind: 'challenge' }, details: card('visa', '3220') },
  pm_card_processingError: {
    behaviour: {
      kind: 'provider_error',
      error: {
        code: 'processing_error',
        message: 'An error occurred while processing your card. Try again.',
      },
    },
    details: card('visa', '0119'),
  },
  pm_card_timeout: { behaviour: { kind: 'timeout' }, details: card('visa', '0077') },
  // Beyond the contract's table: the charge succeeds, refunds of it fail.
  pm_card_refundFail: {
    behaviour: { kind: 'refund_fails', reason: 'expired_or_canceled_card' },
    details: card('visa', '5556'),
  },
  // The charge succeeds; the provider's answer to a refund (or capture) is lost the first time,
  // and the same request sent again later gets it.
  pm_card_refundTimeout: {
    behaviour: { kind: 'modification_timeout', operation: 'refund' },
    details: card('visa', '1881'),
  },
  pm_card_captureTimeout: {
    behaviour: { kind: 'modification_timeout', operation: 'capture' },
    details: card('visa', '0341'),
  },
};

/**
 * Vault tokens of the well-known test card numbers behave as the test method they stand for,
 * recognised by last four (the api never sees more of the card). Any other card is declined:
 * test mode does not charge real cards.
 */
export const testCardsByLast4: Readonly<Record<string, keyof typeof sandboxMethods>> = {
  '4242': 'pm_card_visa', // 4242 4242 4242 4242
  '4444': 'pm_card_mastercard', // 5555 5555 5555 4444
  '0005': 'pm_card_visa', // 3782 822463 10005 (Amex)
  '1001': 'pm_card_visa', // 4000 0025 0000 1001, 5555 5525 0000 1001 (Cartes Bancaires co-badged)
  '0002': 'pm_card_chargeDeclined', // 4000 0000 0000 0002
  '9995': 'pm_card_chargeDeclinedInsufficientFunds', // 4000 0000 0000 9995
  '3220': 'pm_card_threeDSecureRequired', // 4000 0000 0000 3220
  '0119': 'pm_card_processingError', // 4000 0000 0000 0119
  '0077': 'pm_card_timeout', // 4000 0000 0000 0077
  '5556': 'pm_card_refundFail', // 4000 0566 5566 5556
  '1881': 'pm_card_refundTimeout', // 4012 8888 8888 1881
  '0341': 'pm_card_captureTimeout', // 4000 0000 0000 0341
};

export const unknownTestCard: SandboxMethod = {
  behaviour: {
    kind: 'decline',
    error: {
      code: 'card_declined',
      declineCode: 'generic_decline',
      message:
        'Your card was declined: test mode accepts the published test card numbers only (the Visa ending 4242, …).',
    },
  },
  details: { type: 'card' },
};
