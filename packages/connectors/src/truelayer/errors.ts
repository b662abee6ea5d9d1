import type { ProviderError } from '@payin/core';
import type { ProblemDetails } from '@payin/provider-wire/truelayer';

/**
 * Why a TrueLayer payment failed (`failure_reason`, docs.truelayer.com/docs/single-payment-statuses)
 * as payin's error, with a message the shopper may read. `retry`: whether paying again, from the
 * same bank, may succeed without the shopper changing anything (their bank's trouble).
 */
export interface Failure {
  error: ProviderError;
  retry: boolean;
}

const canceled: Failure = {
  error: { code: 'canceled_by_shopper', message: 'The payment was cancelled before the bank authorised it.' },
  retry: true,
};
const expired: Failure = {
  error: { code: 'payment_expired', message: 'The payment was not authorised at the bank in time.' },
  retry: true,
};
const declined = (message: string, declineCode?: string, retry = false): Failure => ({
  error: { code: 'payment_declined', ...(declineCode ? { declineCode } : {}), message },
  retry,
});
const bankRefused = declined('Your bank refused the payment.');
const bankTrouble = declined('Your bank could not process the payment. Try again later.', undefined, true);
const providerTrouble: Failure = {
  error: { code: 'processing_error', message: 'The payment could not be processed. Try again later.' },
  retry: true,
};

export const failureReasons: Readonly<Record<string, Failure>> = {
  canceled,
  user_canceled_at_provider: canceled,
  expired,
  provider_expired: expired,
  authorization_failed: declined('The payment was not authorised at your bank.'),
  rejected: bankRefused,
  provider_rejected: bankRefused,
  not_authorized: bankRefused,
  blocked: bankRefused,
  verification_declined: bankRefused,
  insufficient_funds: declined('Your account does not hold enough to pay.', 'insufficient_funds'),
  payment_limit_exceeded: declined(
    "The amount is over your bank account's payment limit.",
    'transaction_not_allowed',
  ),
  provider_error: bankTrouble,
  scheme_unavailable: bankTrouble,
  internal_server_error: providerTrouble,
  unknown_error: providerTrouble,
};

/**
 * The failure for a reason, a reason TrueLayer adds later included: the payment has failed
 * (TrueLayer said so), so the shopper's bank or TrueLayer refused it — never an unknown outcome,
 * never a success.
 */
export function failureFor(reason: string | undefined): Failure {
  return (reason !== undefined && failureReasons[reason]) || bankRefused;
}

/** The connector account's client id, secret or signing key was refused. */
export const credentialsRefused: ProviderError = {
  code: 'processing_error',
  message: 'The payment provider refused the connector account credentials. Nothing was charged.',
};

/**
 * A request TrueLayer refused before doing anything (problem details,
 * docs.truelayer.com/docs/payments-api-errors): the title only, which names the kind of problem;
 * the detail and the fields go to payin's log, not to the shopper.
 */
export function requestRefused(problem: ProblemDetails | undefined): ProviderError {
  return {
    code: 'processing_error',
    message: `The payment provider refused the request${problem ? ` (${problem.title})` : ''}. Nothing was charged.`,
  };
}

/** Nothing reached TrueLayer: nothing was charged, and trying again is safe. */
export const notReached: ProviderError = {
  code: 'processing_error',
  message: 'The payment provider could not be reached. Nothing was charged; try again.',
};
