import type {
  AllowedOriginRecord,
  ApiKeyRecord,
  AttemptRecord,
  AttemptStatus,
  CaptureRecord,
  ConnectorAccountRecord,
  EventRecord,
  IdempotencyRecord,
  LastError,
  MerchantRecord,
  NextAction,
  PaymentMethodDetails,
  PaymentRecord,
  PaymentStatus,
  ProviderNotificationRecord,
  RefundRecord,
  RefundStatus,
  WebhookEndpointRecord,
} from '@payin/core';
import type { Selectable } from 'kysely';
import type {
  AllowedOriginsTable,
  ApiKeysTable,
  CapturesTable,
  ConnectorAccountsTable,
  EventsTable,
  IdempotencyKeysTable,
  MerchantsTable,
  PaymentAttemptsTable,
  PaymentsTable,
  ProviderNotificationsTable,
  RefundsTable,
  WebhookEndpointsTable,
} from './schema.js';

/** Rows to records and back: the one place that knows both shapes. */
const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const maybeDate = (v: Date | string | null) => (v === null ? null : date(v));
const json = (v: unknown) => JSON.stringify(v);
const jsonOrNull = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export const merchant = (r: Selectable<MerchantsTable>): MerchantRecord => ({
  ...r,
  createdAt: date(r.createdAt),
});

export const apiKey = (r: Selectable<ApiKeysTable>): ApiKeyRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  kind: r.kind,
  livemode: r.livemode,
  keyHash: r.keyHash,
  keyHint: r.keyHint,
  createdAt: date(r.createdAt),
  revokedAt: maybeDate(r.revokedAt),
});

export const payment = (r: Selectable<PaymentsTable>): PaymentRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  amount: r.amount,
  currency: r.currency,
  status: r.status as PaymentStatus,
  captureMethod: r.captureMethod as PaymentRecord['captureMethod'],
  amountCapturable: r.amountCapturable,
  amountReceived: r.amountReceived,
  amountRefunded: r.amountRefunded,
  reference: r.reference,
  description: r.description,
  customer: r.customer,
  country: r.country,
  paymentMethod: r.paymentMethod,
  paymentMethodDetails: r.paymentMethodDetails as PaymentMethodDetails | null,
  nextAction: r.nextAction as NextAction | null,
  lastError: r.lastError as LastError | null,
  clientSecret: r.clientSecret,
  returnUrl: r.returnUrl,
  metadata: r.metadata,
  cancellationReason: r.cancellationReason,
  canceledAt: maybeDate(r.canceledAt),
  cancelRequestedAt: maybeDate(r.cancelRequestedAt),
  connector: r.connector,
  createdAt: date(r.createdAt),
});

export const paymentValues = (p: PaymentRecord) => ({
  ...p,
  paymentMethodDetails: jsonOrNull(p.paymentMethodDetails),
  nextAction: jsonOrNull(p.nextAction),
  lastError: jsonOrNull(p.lastError),
  metadata: json(p.metadata),
});

export const attempt = (r: Selectable<PaymentAttemptsTable>): AttemptRecord => ({
  id: r.id,
  paymentId: r.paymentId,
  merchantId: r.merchantId,
  connector: r.connector,
  connectorAccount: r.connectorAccount ?? null,
  status: r.status as AttemptStatus,
  amount: r.amount,
  currency: r.currency,
  capture: r.capture,
  paymentMethod: r.paymentMethod,
  card: (r.card as AttemptRecord['card']) ?? null,
  providerReference: r.providerReference,
  action: r.action as AttemptRecord['action'],
  error: r.error as AttemptRecord['error'],
  inquiries: r.inquiries,
  nextInquiryAt: maybeDate(r.nextInquiryAt),
  createdAt: date(r.createdAt),
  updatedAt: date(r.updatedAt),
});

/** An attempt read as `to_jsonb(row)`: snake_case keys, timestamps as strings. */
export const attemptFromJson = (j: Record<string, unknown>): AttemptRecord => {
  const ts = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: j.id as string,
    paymentId: j.payment_id as string,
    merchantId: j.merchant_id as string,
    connector: j.connector as string,
    connectorAccount: (j.connector_account as string | null) ?? null,
    status: j.status as AttemptStatus,
    amount: Number(j.amount),
    currency: j.currency as string,
    capture: j.capture as boolean,
    paymentMethod: j.payment_method as string,
    card: (j.card as AttemptRecord['card']) ?? null,
    providerReference: (j.provider_reference as string | null) ?? null,
    action: (j.action as AttemptRecord['action']) ?? null,
    error: (j.error as AttemptRecord['error']) ?? null,
    inquiries: Number(j.inquiries),
    nextInquiryAt: ts(j.next_inquiry_at),
    createdAt: ts(j.created_at) as Date,
    updatedAt: ts(j.updated_at) as Date,
  };
};

export const attemptValues = (a: AttemptRecord) => ({
  ...a,
  card: jsonOrNull(a.card),
  action: jsonOrNull(a.action),
  error: jsonOrNull(a.error),
});

export const capture = (r: Selectable<CapturesTable>): CaptureRecord => ({
  ...r,
  status: r.status as CaptureRecord['status'],
  nextInquiryAt: maybeDate(r.nextInquiryAt),
  createdAt: date(r.createdAt),
});

export const refund = (r: Selectable<RefundsTable>): RefundRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  paymentId: r.paymentId,
  attemptId: r.attemptId,
  amount: r.amount,
  currency: r.currency,
  status: r.status as RefundStatus,
  outcomeUnknown: r.outcomeUnknown,
  inquiries: r.inquiries,
  nextInquiryAt: maybeDate(r.nextInquiryAt),
  reason: r.reason,
  failureReason: r.failureReason,
  metadata: r.metadata,
  providerReference: r.providerReference,
  createdAt: date(r.createdAt),
});

export const refundValues = (r: RefundRecord) => ({
  ...r,
  metadata: json(r.metadata),
});

export const event = (r: Selectable<EventsTable>): EventRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  type: r.type,
  object: r.data,
  createdAt: date(r.createdAt),
});

export const allowedOrigin = (r: Selectable<AllowedOriginsTable>): AllowedOriginRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  origin: r.origin,
  createdAt: date(r.createdAt),
});

export const webhookEndpoint = (r: Selectable<WebhookEndpointsTable>): WebhookEndpointRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  url: r.url,
  enabledEvents: r.enabledEvents,
  description: r.description,
  secret: r.secret,
  createdAt: date(r.createdAt),
});

export const idempotency = (r: Selectable<IdempotencyKeysTable>): IdempotencyRecord => ({
  ...r,
  lockedAt: maybeDate(r.lockedAt),
  createdAt: date(r.createdAt),
});

export const connectorAccount = (r: Selectable<ConnectorAccountsTable>): ConnectorAccountRecord => ({
  id: r.id,
  merchantId: r.merchantId,
  livemode: r.livemode,
  connector: r.connector,
  paymentMethodTypes: r.paymentMethodTypes as string[],
  settings: r.settings as Record<string, string>,
  sealedCredentials: r.sealedCredentials,
  createdAt: date(r.createdAt),
  deletedAt: maybeDate(r.deletedAt),
});

export const providerNotification = (
  r: Selectable<ProviderNotificationsTable>,
): ProviderNotificationRecord => ({
  id: r.id,
  connector: r.connector,
  connectorAccount: r.connectorAccount,
  eventKey: r.eventKey,
  payload: r.payload,
  receivedAt: date(r.receivedAt),
  processedAt: maybeDate(r.processedAt),
  attempts: r.attempts,
  nextAttemptAt: maybeDate(r.nextAttemptAt),
  outcome: r.outcome,
});
