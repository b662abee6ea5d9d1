import { randomUUID } from 'node:crypto';
import type {
  BankTransferPaymentMethod,
  Currency,
  PaymentFailureReason,
  PaymentFailureStage,
  PaymentStatus,
  RefundStatus,
} from '@payin/provider-wire/truelayer';

/** A merchant account: TrueLayer keeps one per currency and client. */
export interface MerchantAccount {
  id: string;
  currency: Currency;
}

/** An application registered in Console: its credentials, redirect URIs and signing keys. */
export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  /** Where the hosted payment page may send the shopper back (Console's allowed redirect URIs). */
  returnUris: string[];
  /** Public keys (PEM) uploaded to Console, by the `kid` Console gave each. */
  signingKeys: Map<string, string>;
  merchantAccounts: MerchantAccount[];
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  amountInMinor: number;
  currency: Currency;
  reference: string;
  metadata?: Record<string, string>;
  status: RefundStatus;
  createdAt: Date;
  authorizedAt?: Date;
  executedAt?: Date;
  failedAt?: Date;
  failureReason?: string;
}

export interface PaymentRecord {
  id: string;
  clientId: string;
  amountInMinor: number;
  currency: Currency;
  paymentMethod: BankTransferPaymentMethod;
  user: { id: string; name?: string; email?: string; phone?: string };
  metadata?: Record<string, string>;
  createdAt: Date;
  status: PaymentStatus;
  /** Scoped to this payment: what the hosted payment page is opened with. */
  resourceToken: string;
  /** The bank the shopper chose on the hosted payment page. */
  providerId?: string;
  /** Opens the chosen bank's consent page (one journey at a time). */
  consentToken?: string;
  returnUri?: string;
  authorizedAt?: Date;
  executedAt?: Date;
  settledAt?: Date;
  failedAt?: Date;
  failureStage?: PaymentFailureStage;
  failureReason?: PaymentFailureReason;
  refunds: RefundRecord[];
}

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
  done: boolean;
}

/** What happened, for the webhook sender: one TrueLayer event type each. */
export type TrueLayerEvent =
  | {
      type: 'payment_authorized' | 'payment_executed' | 'payment_settled' | 'payment_failed';
      payment: PaymentRecord;
    }
  | { type: 'refund_executed' | 'refund_failed'; payment: PaymentRecord; refund: RefundRecord };

/**
 * Everything the TrueLayer emulator remembers, in memory: registered clients, access tokens,
 * payments with their refunds, and stored answers by idempotency key.
 */
export class TrueLayerState {
  readonly clients = new Map<string, ClientRecord>();
  /** Access tokens: the client each was issued to and when it stops working. */
  readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  readonly payments = new Map<string, PaymentRecord>();
  readonly idempotency = new Map<string, StoredAnswer>();
  private readonly listeners: ((event: TrueLayerEvent) => void)[] = [];

  registerClient(client: Omit<ClientRecord, 'merchantAccounts'> & { merchantAccounts?: MerchantAccount[] }) {
    const record: ClientRecord = {
      ...client,
      // Sandbox clients come with a merchant account in each currency.
      merchantAccounts: client.merchantAccounts ?? [
        { id: randomUUID(), currency: 'EUR' },
        { id: randomUUID(), currency: 'GBP' },
      ],
    };
    this.clients.set(record.clientId, record);
    return record;
  }

  onEvent(listener: (event: TrueLayerEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: TrueLayerEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** What each payment came to and what was refunded (GET /_control/truelayer/ledger). */
  ledger(paymentId?: string) {
    const records = paymentId
      ? [this.payments.get(paymentId)].filter((r): r is PaymentRecord => r !== undefined)
      : [...this.payments.values()];
    return records.map((p) => ({
      payment_id: p.id,
      client_id: p.clientId,
      merchant_account_id: p.paymentMethod.beneficiary.merchant_account_id,
      amount_in_minor: p.amountInMinor,
      currency: p.currency,
      status: p.status,
      provider_id: p.providerId,
      failure_stage: p.failureStage,
      failure_reason: p.failureReason,
      refunded_in_minor: refundedAmount(p),
      refunds: p.refunds.map((r) => ({ id: r.id, amount_in_minor: r.amountInMinor, status: r.status })),
    }));
  }
}

/** What refunds have taken or hold of a payment: every refund that has not failed. */
export function refundedAmount(payment: PaymentRecord): number {
  return payment.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountInMinor, 0);
}
