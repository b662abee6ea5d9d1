import type { CardSummary, ConnectorAction, PaymentMethodDetails } from './connector.js';
import type { AttemptStatus, PaymentStatus } from './state/index.js';

/** Which merchant, in which mode: every object belongs to exactly one scope. */
export interface Scope {
  merchantId: string;
  livemode: boolean;
}

export interface MerchantRecord {
  id: string;
  name: string;
  country: string;
  /** Requests per second this merchant may send. */
  rateLimit: number;
  createdAt: Date;
}

export type ApiKeyKind = 'secret' | 'publishable';

export interface ApiKeyRecord {
  id: string;
  merchantId: string;
  kind: ApiKeyKind;
  livemode: boolean;
  keyHash: string;
  /** First characters of the key, safe to show (`sk_test_4f…`). */
  keyHint: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface LastError {
  type: 'card_error' | 'api_error' | 'invalid_request_error';
  code: string;
  decline_code?: string;
  message: string;
}

/** What the shopper must do next, as the API shows it. */
export type NextAction =
  | { type: 'redirect_to_url'; redirect_to_url: { url: string; return_url: string | null } }
  | {
      type: 'display_voucher';
      display_voucher: {
        reference: string;
        /** unix seconds */
        expires_at: number;
        instructions_url: string | null;
        store: string | null;
      };
    };

export interface PaymentRecord extends Scope {
  id: string;
  amount: number;
  currency: string;
  status: PaymentStatus;
  captureMethod: 'automatic' | 'manual';
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  reference: string | null;
  description: string | null;
  customer: string | null;
  country: string | null;
  paymentMethod: string | null;
  paymentMethodDetails: PaymentMethodDetails | null;
  nextAction: NextAction | null;
  lastError: LastError | null;
  clientSecret: string;
  returnUrl: string | null;
  metadata: Record<string, string>;
  cancellationReason: string | null;
  canceledAt: Date | null;
  /** A cancellation is being sent to the provider (captures wait). Not shown in the API. */
  cancelRequestedAt: Date | null;
  connector: string | null;
  createdAt: Date;
}

export interface AttemptRecord {
  id: string;
  paymentId: string;
  merchantId: string;
  connector: string;
  /** The merchant's connector account it went through (`ca_…`); null for the sandbox. */
  connectorAccount: string | null;
  status: AttemptStatus;
  amount: number;
  currency: string;
  capture: boolean;
  paymentMethod: string;
  /** Brand and last four of the tokenized card the attempt charges (none for other methods). */
  card: CardSummary | null;
  providerReference: string | null;
  action: ConnectorAction | null;
  error: { code: string; declineCode?: string; message: string } | null;
  /** Status inquiries made so far for an unknown outcome; drives the backoff. */
  inquiries: number;
  nextInquiryAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CaptureRecord {
  id: string;
  paymentId: string;
  attemptId: string;
  amount: number;
  final: boolean;
  status: 'pending' | 'succeeded' | 'failed' | 'unknown';
  /** Retries of a capture whose answer was lost (same idempotency key), and when the next is due. */
  inquiries: number;
  nextInquiryAt: Date | null;
  createdAt: Date;
}

export type RefundStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface RefundRecord extends Scope {
  id: string;
  paymentId: string;
  attemptId: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  /** true while the provider's answer is not known yet (timeout): resolved by inquiry. */
  outcomeUnknown: boolean;
  /** Retries of a refund whose answer was lost (same idempotency key), and when the next is due. */
  inquiries: number;
  nextInquiryAt: Date | null;
  reason: string | null;
  failureReason: string | null;
  metadata: Record<string, string>;
  providerReference: string | null;
  createdAt: Date;
}

export interface EventRecord extends Scope {
  id: string;
  type: string;
  /** The object as the API returns it, at the time of the change. */
  object: Record<string, unknown>;
  createdAt: Date;
}

/** A web origin (scheme://host[:port]) whose pages may host this merchant's card fields. */
export interface AllowedOriginRecord extends Scope {
  id: string;
  origin: string;
  createdAt: Date;
}

export interface WebhookEndpointRecord extends Scope {
  id: string;
  url: string;
  enabledEvents: string[];
  secret: string;
  description: string | null;
  createdAt: Date;
}

export interface IdempotencyRecord extends Scope {
  key: string;
  requestMethod: string;
  requestPath: string;
  requestHash: string;
  lockedAt: Date | null;
  recoveryPoint: string;
  recoveryData: Record<string, string>;
  responseStatus: number | null;
  responseBody: unknown;
  createdAt: Date;
}

export interface Page {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface ListResult<T> {
  data: T[];
  hasMore: boolean;
}

/**
 * A merchant's account at a provider: which payment methods it takes, its settings (Adyen's
 * merchant account, the endpoint) and its credentials, sealed by the api before storage.
 */
export interface ConnectorAccountRecord extends Scope {
  id: string;
  connector: string;
  paymentMethodTypes: string[];
  settings: Record<string, string>;
  sealedCredentials: string;
  createdAt: Date;
  deletedAt: Date | null;
}

/** A provider's notification as it came (verified), until it has been applied. */
export interface ProviderNotificationRecord {
  id: string;
  connector: string;
  connectorAccount: string;
  /** What makes two deliveries the same notification (Adyen: event code, PSP reference, success). */
  eventKey: string;
  payload: unknown;
  receivedAt: Date;
  processedAt: Date | null;
  attempts: number;
  nextAttemptAt: Date | null;
  /** applied, ignored, or why it could not be applied. */
  outcome: string | null;
}
