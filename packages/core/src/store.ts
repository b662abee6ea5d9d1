import type {
  AllowedOriginRecord,
  ApiKeyRecord,
  AttemptRecord,
  CaptureRecord,
  ConnectorAccountRecord,
  EventRecord,
  IdempotencyRecord,
  ListResult,
  MerchantRecord,
  Page,
  PaymentRecord,
  ProviderNotificationRecord,
  RefundRecord,
  Scope,
  WebhookEndpointRecord,
} from './records.js';
import type { PaymentStatus } from './state/index.js';

/**
 * The persistence core needs, declared here and implemented by @payin/db (the arrows point
 * inward). Methods named lock* take a row lock (`SELECT … FOR UPDATE`) that is held until the
 * transaction ends: that is the per-payment lock every state change goes through.
 */
export interface StoreReader {
  findApiKeyByHash(keyHash: string): Promise<(ApiKeyRecord & { merchant: MerchantRecord }) | undefined>;
  getMerchant(id: string): Promise<MerchantRecord | undefined>;
  getPayment(scope: Scope, id: string): Promise<PaymentRecord | undefined>;
  listPayments(
    scope: Scope,
    filter: { customer?: string; reference?: string; status?: PaymentStatus },
    page: Page,
  ): Promise<ListResult<PaymentRecord>>;
  getAttempt(id: string): Promise<AttemptRecord | undefined>;
  getRefund(scope: Scope, id: string): Promise<RefundRecord | undefined>;
  listRefunds(scope: Scope, filter: { paymentId?: string }, page: Page): Promise<ListResult<RefundRecord>>;
  getEvent(scope: Scope, id: string): Promise<EventRecord | undefined>;
  listEvents(scope: Scope, filter: { type?: string }, page: Page): Promise<ListResult<EventRecord>>;
  getWebhookEndpoint(scope: Scope, id: string): Promise<WebhookEndpointRecord | undefined>;
  listAllowedOrigins(scope: Scope, page: Page): Promise<ListResult<AllowedOriginRecord>>;
  /** Every origin registered in the scope (a handful): what the vault checks pages against. */
  allowedOriginsOf(scope: Scope): Promise<string[]>;
  listWebhookEndpoints(scope: Scope, page: Page): Promise<ListResult<WebhookEndpointRecord>>;
  /** Attempts whose outcome must be asked of the provider now. */
  attemptsDueForInquiry(now: Date, limit: number, abandonedAfterMs: number): Promise<AttemptRecord[]>;
  /** Refunds and captures whose provider answer was lost, due for a retry. */
  refundsDueForRetry(now: Date, limit: number): Promise<RefundRecord[]>;
  /** Inserts a new idempotency key in one statement; false when the key exists already. */
  insertIdempotencyKey(rec: IdempotencyRecord): Promise<boolean>;
  capturesDueForRetry(now: Date, limit: number): Promise<CaptureRecord[]>;
  /** A refund by its id alone, for a provider's notification that names it. */
  findRefund(id: string): Promise<RefundRecord | undefined>;
  /** The scope's connector accounts in use, newest first. */
  connectorAccountsOf(scope: Scope): Promise<ConnectorAccountRecord[]>;
  /** One account, deleted or not (attempts made through it still capture and refund there). */
  getConnectorAccount(id: string): Promise<ConnectorAccountRecord | undefined>;
  /** Notifications not applied yet whose (next) try is due. */
  providerNotificationsDue(now: Date, limit: number): Promise<ProviderNotificationRecord[]>;
}

/** The rows an optimistic transaction relied on changed meanwhile; it wrote nothing. */
export class StaleSnapshotError extends Error {
  constructor() {
    super('the rows changed since they were read; nothing was written');
    this.name = 'StaleSnapshotError';
  }
}

export interface StoreTx extends StoreReader {
  /**
   * Optimistic concurrency for the hot path: this transaction's writes take effect only if the
   * payment and the attempt still have the statuses they had in these records; otherwise
   * nothing is written and the transaction throws StaleSnapshotError. While a payment is
   * processing and its attempt pending, only an outcome changes them, and an outcome changes
   * their status, so the status is the whole version.
   */
  assumeUnchanged(payment: PaymentRecord, attempt: AttemptRecord): void;

  insertMerchant(m: MerchantRecord): Promise<void>;
  insertApiKey(k: ApiKeyRecord): Promise<void>;
  updateMerchant(m: MerchantRecord): Promise<void>;

  insertPayment(p: PaymentRecord): Promise<void>;
  lockPayment(scope: Scope, id: string): Promise<PaymentRecord | undefined>;
  lockPaymentById(id: string): Promise<PaymentRecord | undefined>;
  /** lockPayment and currentAttempt in one round trip. */
  lockPaymentWithAttempt(
    scope: Scope,
    id: string,
  ): Promise<{ payment: PaymentRecord; attempt: AttemptRecord | undefined } | undefined>;
  updatePayment(p: PaymentRecord): Promise<void>;

  insertAttempt(a: AttemptRecord): Promise<void>;
  updateAttempt(a: AttemptRecord): Promise<void>;
  /** The attempt that authorised the payment, or the latest one. */
  currentAttempt(paymentId: string): Promise<AttemptRecord | undefined>;

  insertCapture(c: CaptureRecord): Promise<void>;
  updateCapture(c: CaptureRecord): Promise<void>;
  getCapture(id: string): Promise<CaptureRecord | undefined>;
  /** Every capture of a payment (a handful), oldest first. */
  capturesOf(paymentId: string): Promise<CaptureRecord[]>;
  /** Captures sent (or being sent) to the provider whose answer is not final. */
  capturesInFlight(paymentId: string): Promise<number>;

  insertRefund(r: RefundRecord): Promise<void>;
  updateRefund(r: RefundRecord): Promise<void>;
  /** Sum of refunds that are pending or succeeded: what is already promised back. */
  refundsReserved(paymentId: string): Promise<number>;

  /** One statement for several events: fewer round trips on the payment path. */
  insertEvents(e: EventRecord[]): Promise<void>;

  insertWebhookEndpoint(w: WebhookEndpointRecord): Promise<void>;
  /** false when the origin is already registered in the scope. */
  insertAllowedOrigin(a: AllowedOriginRecord): Promise<boolean>;
  deleteAllowedOrigin(scope: Scope, id: string): Promise<boolean>;
  deleteWebhookEndpoint(scope: Scope, id: string): Promise<boolean>;

  insertConnectorAccount(a: ConnectorAccountRecord): Promise<void>;
  deleteConnectorAccount(scope: Scope, id: string): Promise<boolean>;
  /** Its method types, settings and sealed credentials, as given; false when it is gone. */
  updateConnectorAccount(a: ConnectorAccountRecord): Promise<boolean>;
  /** Stores what is new; a notification already stored (same account and event key) is skipped. Returns how many were new. */
  insertProviderNotifications(n: ProviderNotificationRecord[]): Promise<number>;
  lockProviderNotification(id: string): Promise<ProviderNotificationRecord | undefined>;
  updateProviderNotification(n: ProviderNotificationRecord): Promise<void>;

  /** The stored key, locked until the transaction ends. */
  lockIdempotencyKey(scope: Scope, key: string): Promise<IdempotencyRecord | undefined>;
  updateIdempotencyKey(
    scope: Scope,
    key: string,
    patch: Partial<
      Pick<
        IdempotencyRecord,
        'lockedAt' | 'recoveryPoint' | 'recoveryData' | 'responseStatus' | 'responseBody'
      >
    >,
  ): Promise<void>;
}

export interface Store extends StoreReader {
  /** One transaction. On embedded PGlite transactions run one at a time. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
}
