import type { AuthorizationOutcome, AuthorizeRequest, ProviderError, RefundRequest } from '@payin/core';
import type {
  CreatePaymentRequest,
  CreatePaymentResponse,
  CreateRefundRequest,
  Currency,
  Payment,
} from '@payin/provider-wire/truelayer';
import type { TrueLayerAccount } from './account.js';
import { failureFor } from './errors.js';

/**
 * The metadata keys payin writes on a payment and a refund. TrueLayer echoes a payment's metadata
 * in its webhooks, and a refund's in the refund's: that is how a notification names payin's
 * attempt or refund.
 */
export const METADATA = {
  attempt: 'payin_attempt_id',
  payment: 'payin_payment_id',
  reference: 'payin_reference',
  refund: 'payin_refund_id',
} as const;

/** TrueLayer's limit on a metadata value (docs.truelayer.com/docs/creating-a-payment). */
const METADATA_VALUE_MAX = 500;
/** A refund's `reference` is shown on the payer's statement, where SEPA leaves 18 characters. */
export const REFUND_REFERENCE_MAX = 18;

/**
 * payin's authorisation as `POST /v3/payments` (docs.truelayer.com/docs/creating-a-payment): a
 * bank transfer into the merchant account, the shopper choosing their bank among those of the
 * payment's country on the hosted payment page. The payer's name and e-mail are a regulatory
 * requirement for pay-ins; payin asks the shopper for both before an open_banking attempt.
 * Undefined when they are missing (nothing is sent then).
 */
export function paymentRequest(
  req: AuthorizeRequest,
  account: Pick<TrueLayerAccount, 'merchantAccountId'>,
): CreatePaymentRequest | undefined {
  const name = req.billingDetails?.name?.trim();
  const email = req.billingDetails?.email?.trim();
  if (!name || !email) return undefined;
  return {
    amount_in_minor: req.amount,
    currency: req.currency.toUpperCase() as Currency,
    payment_method: {
      type: 'bank_transfer',
      provider_selection: {
        type: 'user_selected',
        ...(req.country ? { filter: { countries: [req.country.toUpperCase()] } } : {}),
      },
      beneficiary: {
        type: 'merchant_account',
        merchant_account_id: account.merchantAccountId,
        // payin's payment, as the merchant finds it in TrueLayer's Console.
        reference: req.paymentId,
      },
    },
    user: { name, email },
    metadata: {
      [METADATA.attempt]: req.attemptId,
      [METADATA.payment]: req.paymentId,
      ...(req.reference ? { [METADATA.reference]: req.reference.slice(0, METADATA_VALUE_MAX) } : {}),
    },
  };
}

/**
 * The hosted payment page for a created payment (docs.truelayer.com/docs/hosted-payment-page):
 * its id and resource token, and where to send the shopper back (a URI registered in Console),
 * as query parameters, which both the hosted payment page and the newer hosted page read.
 * `locale`: the page's language, as the emulator reads it.
 */
export function hostedPaymentPageUrl(
  hppEndpoint: string,
  created: Pick<CreatePaymentResponse, 'id' | 'resource_token'>,
  returnUri: string,
  locale: string | undefined,
): string {
  const url = new URL(`${hppEndpoint}/payments`);
  url.searchParams.set('payment_id', created.id);
  url.searchParams.set('resource_token', created.resource_token);
  url.searchParams.set('return_uri', returnUri);
  if (locale) url.searchParams.set('locale', locale);
  return url.toString();
}

/** The answer to `POST /v3/payments` when it has what the hosted payment page needs. */
export function createdPayment(body: unknown): CreatePaymentResponse | undefined {
  const created = body as Partial<CreatePaymentResponse> | undefined;
  return typeof created?.id === 'string' &&
    created.id !== '' &&
    typeof created.resource_token === 'string' &&
    created.resource_token !== ''
    ? (created as CreatePaymentResponse)
    : undefined;
}

/** The answer to `GET /v3/payments/{id}` when it is one. */
export function readPayment(body: unknown): Payment | undefined {
  const payment = body as Partial<Payment> | undefined;
  return typeof payment?.id === 'string' && typeof payment.status === 'string'
    ? (payment as Payment)
    : undefined;
}

/** A failed payment's error in payin's terms. */
export function paymentError(reason: string | undefined): ProviderError {
  return failureFor(reason).error;
}

/**
 * A payment's status (docs.truelayer.com/docs/single-payment-statuses) as payin's outcome:
 * - `executed` / `settled`: the payer's bank accepted the transfer; nothing is left to capture;
 * - `authorizing` / `authorized`: on its way, decided by the bank (webhook or inquiry);
 * - `failed`: its failure reason;
 * - `authorization_required`: `awaiting_shopper`, for the caller to decide: whether the shopper
 *   may still authorise it depends on where the question comes from;
 * - a status TrueLayer adds later: unknown, never guessed.
 */
export function paymentOutcome(payment: Payment): AuthorizationOutcome | 'awaiting_shopper' {
  const providerReference = payment.id;
  switch (payment.status) {
    case 'executed':
    case 'settled':
      return { status: 'captured', providerReference, paymentMethodDetails: { type: 'open_banking' } };
    case 'authorizing':
    case 'authorized':
      return { status: 'processing', providerReference };
    case 'failed':
      return { status: 'failed', providerReference, error: paymentError(payment.failure_reason) };
    case 'authorization_required':
      return 'awaiting_shopper';
    default:
      return {
        status: 'unknown',
        providerReference,
        reason: `TrueLayer reports status ${String(payment.status)}`,
      };
  }
}

/**
 * The statement reference of a refund: payin's refund id without its prefix, cut to what the
 * payer's statement shows, in the characters bank references take. The whole id goes in the
 * refund's metadata.
 */
export function refundReference(refundId: string): string {
  const reference = refundId
    .replace(/^re_/, '')
    .replace(/[^A-Za-z0-9-]/g, '')
    .slice(0, REFUND_REFERENCE_MAX);
  return reference || 'REFUND';
}

/** payin's refund as `POST /v3/payments/{id}/refunds` (docs.truelayer.com/docs/refund-a-payment). */
export function refundRequest(req: Pick<RefundRequest, 'amount' | 'refundId'>): CreateRefundRequest {
  return {
    amount_in_minor: req.amount,
    reference: refundReference(req.refundId),
    metadata: { [METADATA.refund]: req.refundId },
  };
}
