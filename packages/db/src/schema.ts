import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Table types for Kysely, matching migrations/*.sql. Column names are snake_case in SQL and
 * camelCase here (Kysely's CamelCasePlugin maps them).
 */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export interface MerchantsTable {
  id: string;
  name: string;
  country: string;
  rateLimit: number;
  createdAt: Timestamp;
}

export interface ApiKeysTable {
  id: string;
  merchantId: string;
  kind: 'secret' | 'publishable';
  livemode: boolean;
  keyHash: string;
  keyHint: string;
  createdAt: Timestamp;
  revokedAt: Timestamp | null;
}

export interface PaymentsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  amount: number;
  currency: string;
  status: string;
  captureMethod: string;
  amountCapturable: number;
  amountReceived: number;
  amountRefunded: number;
  reference: string | null;
  description: string | null;
  customer: string | null;
  country: string | null;
  paymentMethod: string | null;
  paymentMethodDetails: Json<unknown> | null;
  nextAction: Json<unknown> | null;
  lastError: Json<unknown> | null;
  clientSecret: string;
  returnUrl: string | null;
  metadata: Json<Record<string, string>>;
  cancellationReason: string | null;
  canceledAt: Timestamp | null;
  cancelRequestedAt: Timestamp | null;
  connector: string | null;
  createdAt: Timestamp;
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface PaymentAttemptsTable {
  seq: Generated<number>;
  id: string;
  paymentId: string;
  merchantId: string;
  connector: string;
  status: string;
  amount: number;
  currency: string;
  capture: boolean;
  paymentMethod: string;
  card: Json<unknown> | null;
  connectorAccount: string | null;
  providerReference: string | null;
  action: Json<unknown> | null;
  error: Json<unknown> | null;
  inquiries: number;
  nextInquiryAt: Timestamp | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface CapturesTable {
  id: string;
  paymentId: string;
  attemptId: string;
  amount: number;
  final: boolean;
  status: string;
  inquiries: number;
  nextInquiryAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface RefundsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  paymentId: string;
  attemptId: string;
  amount: number;
  currency: string;
  status: string;
  outcomeUnknown: boolean;
  inquiries: number;
  nextInquiryAt: Timestamp | null;
  reason: string | null;
  failureReason: string | null;
  metadata: Json<Record<string, string>>;
  providerReference: string | null;
  createdAt: Timestamp;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  type: string;
  data: Json<Record<string, unknown>>;
  createdAt: Timestamp;
  relayedAt: Timestamp | null;
  publishedAt: Timestamp | null;
}

export interface IdempotencyKeysTable {
  merchantId: string;
  livemode: boolean;
  key: string;
  requestMethod: string;
  requestPath: string;
  requestHash: string;
  lockedAt: Timestamp | null;
  recoveryPoint: string;
  recoveryData: Json<Record<string, string>>;
  responseStatus: number | null;
  responseBody: Json<unknown> | null;
  createdAt: Timestamp;
}

export interface AllowedOriginsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  origin: string;
  createdAt: Timestamp;
}

export interface WebhookEndpointsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  url: string;
  enabledEvents: Json<string[]>;
  description: string | null;
  secret: string;
  createdAt: Timestamp;
  deletedAt: Timestamp | null;
}

export interface WebhookDeliveriesTable {
  seq: Generated<number>;
  id: string;
  endpointId: string;
  eventId: string;
  merchantId: string;
  livemode: boolean;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: Timestamp | null;
  createdAt: Timestamp;
}

export interface WebhookDeliveryAttemptsTable {
  seq: Generated<number>;
  deliveryId: string;
  attemptedAt: Timestamp;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseBody: string | null;
}

export interface ConnectorAccountsTable {
  seq: Generated<number>;
  id: string;
  merchantId: string;
  livemode: boolean;
  connector: string;
  paymentMethodTypes: Json<string[]>;
  settings: Json<Record<string, string>>;
  sealedCredentials: string;
  createdAt: Timestamp;
  deletedAt: Timestamp | null;
}

export interface ProviderNotificationsTable {
  seq: Generated<number>;
  id: string;
  connector: string;
  connectorAccount: string;
  eventKey: string;
  payload: Json<unknown>;
  receivedAt: Timestamp;
  processedAt: Timestamp | null;
  attempts: number;
  nextAttemptAt: Timestamp | null;
  outcome: string | null;
}

export interface Database {
  merchants: MerchantsTable;
  apiKeys: ApiKeysTable;
  payments: PaymentsTable;
  paymentAttempts: PaymentAttemptsTable;
  captures: CapturesTable;
  refunds: RefundsTable;
  events: EventsTable;
  idempotencyKeys: IdempotencyKeysTable;
  webhookEndpoints: WebhookEndpointsTable;
  allowedOrigins: AllowedOriginsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  webhookDeliveryAttempts: WebhookDeliveryAttemptsTable;
  connectorAccounts: ConnectorAccountsTable;
  providerNotifications: ProviderNotificationsTable;
}

export type PaymentRow = Selectable<PaymentsTable>;
export type NewPaymentRow = Insertable<PaymentsTable>;
