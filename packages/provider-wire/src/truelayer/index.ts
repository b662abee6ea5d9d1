/**
 * TrueLayer's wire format (Payments API v3, auth server, webhooks), written from TrueLayer's public
 * API reference: each type names the page it comes from. The connector sends it, the emulator
 * answers it. TrueLayer publishes no OpenAPI file for v3, hence the hand-written types.
 */

/** https://docs.truelayer.com/docs/generate-a-payments-access-token — `POST /connect/token`. */
export interface TokenRequest {
  grant_type: 'client_credentials';
  client_id: string;
  client_secret: string;
  /** Space-separated; must include `payments` for the Payments API. */
  scope?: string;
}

/** https://docs.truelayer.com/docs/generate-a-payments-access-token — the grant answered. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  scope: string;
}

/** RFC 6749 §5.2, as the auth server answers a refused grant (`invalid_client`, …). */
export interface TokenError {
  error: 'invalid_client' | 'invalid_request' | 'invalid_scope' | 'unsupported_grant_type';
  error_description?: string;
}

export type Currency = 'GBP' | 'EUR';

/** https://docs.truelayer.com/docs/payment-providers — `provider_selection.filter`. */
export interface ProviderFilter {
  countries?: string[];
  release_channel?: 'general_availability' | 'public_beta' | 'private_beta';
  customer_segments?: ('retail' | 'business' | 'corporate')[];
  provider_ids?: string[];
  excludes?: { provider_ids?: string[] };
}

/** https://docs.truelayer.com/docs/select-a-provider-for-a-payment — `user_selected` selection. */
export interface UserSelectedProviderSelection {
  type: 'user_selected';
  filter?: ProviderFilter;
  scheme_selection?: { type: 'instant_only' | 'instant_preferred' | 'user_selected' };
  /** Set by TrueLayer once the user has picked a bank (read back with GET /v3/payments/{id}). */
  provider_id?: string;
  scheme_id?: string;
}

/** https://docs.truelayer.com/docs/creating-a-payment — a closed-loop pay-in's beneficiary. */
export interface MerchantAccountBeneficiary {
  type: 'merchant_account';
  merchant_account_id: string;
  account_holder_name?: string;
  reference?: string;
}

/** https://docs.truelayer.com/docs/creating-a-payment — `payment_method`. */
export interface BankTransferPaymentMethod {
  type: 'bank_transfer';
  provider_selection: UserSelectedProviderSelection;
  beneficiary: MerchantAccountBeneficiary;
}

/** https://docs.truelayer.com/docs/creating-a-payment — `user` (one of email or phone required). */
export interface PaymentUser {
  id?: string;
  name?: string;
  email?: string;
  phone?: string;
  date_of_birth?: string;
}

/** https://docs.truelayer.com/docs/creating-a-payment — `POST /v3/payments`. */
export interface CreatePaymentRequest {
  amount_in_minor: number;
  currency: Currency;
  payment_method: BankTransferPaymentMethod;
  user: PaymentUser;
  /** Up to 10 pairs; keys up to 40 characters, values up to 500. */
  metadata?: Record<string, string>;
}

export type PaymentStatus =
  | 'authorization_required'
  | 'authorizing'
  | 'authorized'
  | 'executed'
  | 'settled'
  | 'failed';

/** https://docs.truelayer.com/docs/single-payment-statuses — why a payment failed. */
export type PaymentFailureReason =
  | 'canceled'
  | 'rejected'
  | 'expired'
  | 'authorization_failed'
  | 'provider_error'
  | 'provider_rejected'
  | 'insufficient_funds'
  | 'internal_server_error'
  | 'unknown_error';

/** https://docs.truelayer.com/docs/single-payment-statuses — the status a payment failed at. */
export type PaymentFailureStage = 'authorization_required' | 'authorizing' | 'authorized' | 'executed';

/** https://docs.truelayer.com/docs/creating-a-payment — the 201 answer. */
export interface CreatePaymentResponse {
  id: string;
  user: { id: string };
  /** Lets a front end (the hosted payment page) act on this payment only. */
  resource_token: string;
  status: 'authorization_required';
}

/** https://docs.truelayer.com/docs/example-direct-api-integration-flows — the next action. */
export interface AuthorizationFlow {
  actions: {
    next:
      | {
          type: 'provider_selection';
          providers: { id: string; display_name: string; country_code: string }[];
        }
      | { type: 'redirect'; uri: string };
  };
}

/** https://docs.truelayer.com/docs/payment-webhook-specifications — the payer's account. */
export interface PaymentSource {
  id: string;
  account_holder_name: string;
  account_identifiers: { type: 'iban'; iban: string }[];
}

/** https://docs.truelayer.com/docs/single-payment-statuses — `GET /v3/payments/{id}`. */
export interface Payment {
  id: string;
  amount_in_minor: number;
  currency: Currency;
  user: { id: string };
  payment_method: BankTransferPaymentMethod;
  created_at: string;
  metadata?: Record<string, string>;
  status: PaymentStatus;
  authorization_flow?: AuthorizationFlow;
  authorized_at?: string;
  executed_at?: string;
  settled_at?: string;
  failed_at?: string;
  failure_stage?: PaymentFailureStage;
  failure_reason?: PaymentFailureReason;
  payment_source?: PaymentSource;
}

/** https://docs.truelayer.com/docs/refund-a-payment — `POST /v3/payments/{id}/refunds`. */
export interface CreateRefundRequest {
  amount_in_minor: number;
  /** Shown on the payer's statement: up to 18 characters. */
  reference: string;
  metadata?: Record<string, string>;
}

export type RefundStatus = 'pending' | 'authorized' | 'executed' | 'failed';

/** https://docs.truelayer.com/docs/refund-a-payment — a refund as `GET …/refunds[/{id}]` shows it. */
export interface Refund {
  id: string;
  amount_in_minor: number;
  currency: Currency;
  reference: string;
  metadata?: Record<string, string>;
  status: RefundStatus;
  created_at: string;
  authorized_at?: string;
  executed_at?: string;
  failed_at?: string;
  failure_reason?: string;
}

/** https://docs.truelayer.com/docs/payments-api-errors — RFC 7807 problem details. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  trace_id: string;
  detail?: string;
  /** Invalid Parameters: the JSON path (or header name) of each bad field, with its reasons. */
  errors?: Record<string, string[]>;
}

/** https://docs.truelayer.com/docs/payment-webhook-specifications — the `payment_method` of an event. */
export interface WebhookPaymentMethod {
  type: 'bank_transfer';
  provider_id?: string;
  scheme_id?: string;
}

interface WebhookBase {
  event_id: string;
  event_version: number;
  metadata?: Record<string, string>;
}

/** https://docs.truelayer.com/docs/payment-webhook-specifications — one payment event each. */
export type PaymentWebhook =
  | (WebhookBase & {
      type: 'payment_authorized';
      payment_id: string;
      payment_method: WebhookPaymentMethod;
      authorized_at: string;
      payment_source?: PaymentSource;
    })
  | (WebhookBase & {
      type: 'payment_executed';
      payment_id: string;
      payment_method: WebhookPaymentMethod;
      executed_at: string;
    })
  | (WebhookBase & {
      type: 'payment_settled';
      payment_id: string;
      payment_method: WebhookPaymentMethod;
      settled_at: string;
      payment_source: PaymentSource;
      user_id: string;
    })
  | (WebhookBase & {
      type: 'payment_failed';
      payment_id: string;
      payment_method: WebhookPaymentMethod;
      failed_at: string;
      failure_stage: PaymentFailureStage;
      failure_reason: PaymentFailureReason;
    });

/** https://docs.truelayer.com/docs/refund-webhooks — refund events. */
export type RefundWebhook =
  | (WebhookBase & { type: 'refund_executed'; refund_id: string; payment_id: string; executed_at: string })
  | (WebhookBase & {
      type: 'refund_failed';
      refund_id: string;
      payment_id: string;
      failed_at: string;
      failure_reason: string;
    });

export type TrueLayerWebhook = PaymentWebhook | RefundWebhook;

/** https://docs.truelayer.com/docs/verify-the-signature-of-a-payment-webhook — the served JWKS. */
export interface Jwks {
  keys: { kty: 'EC'; crv: 'P-521'; x: string; y: string; kid: string; alg: 'ES512'; use: 'sig' }[];
}
