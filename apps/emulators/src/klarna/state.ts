import type {
  Address,
  Capture,
  FraudStatus,
  HppMerchantUrls,
  HppSessionCreateRequest,
  HppSessionStatus,
  OrderLine,
  OrderStatus,
  PaymentMethodCategory,
  PaymentsMerchantUrls,
  Refund,
  SessionCreateRequest,
} from '@payin/provider-wire/klarna';

export type CategoryId = PaymentMethodCategory['identifier'];

/** A Klarna Payments session (KP), open 48 hours or until an order is placed. */
export interface PaymentSession {
  sessionId: string;
  clientToken: string;
  /** The API username that created it: other merchants cannot see it. */
  merchant: string;
  request: SessionCreateRequest;
  createdAt: Date;
  expiresAt: Date;
  authorizationToken?: string;
}

/** What the shopper granted on the hosted page: a token an order can be placed with, once. */
export interface Authorization {
  token: string;
  sessionId: string;
  merchant: string;
  category: CategoryId;
  /** Decided by the shopper's persona: the fraud status the order will get. */
  fraud: 'ACCEPTED' | 'PENDING_ACCEPTED' | 'PENDING_REJECTED';
  expiresAt: Date;
  state: 'valid' | 'used' | 'cancelled';
  orderId?: string;
}

export interface HppSession {
  sessionId: string;
  merchant: string;
  paymentSessionId: string;
  merchantUrls: HppMerchantUrls;
  options: NonNullable<HppSessionCreateRequest['options']>;
  status: HppSessionStatus;
  updatedAt: Date;
  expiresAt: Date;
  authorizationToken?: string;
  orderId?: string;
}

export interface OrderRecord {
  orderId: string;
  merchant: string;
  klarnaReference: string;
  status: OrderStatus;
  fraudStatus: FraudStatus;
  /** PENDING orders: what the review will decide. */
  pendingDecision?: 'ACCEPTED' | 'REJECTED';
  orderAmount: number;
  originalOrderAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  remainingAuthorizedAmount: number;
  currency: string;
  country: string;
  locale: string;
  orderLines: OrderLine[];
  merchantReference1?: string;
  merchantReference2?: string;
  merchantUrls: PaymentsMerchantUrls;
  billingAddress?: Address;
  shippingAddress?: Address;
  category: CategoryId;
  createdAt: Date;
  expiresAt: Date;
  captures: Capture[];
  refunds: Refund[];
}

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What happened, for the notification sender. */
export type KlarnaEvent =
  | { kind: 'hpp_status'; session: HppSession }
  | {
      kind: 'fraud_decision';
      order: OrderRecord;
      eventType: 'FRAUD_RISK_ACCEPTED' | 'FRAUD_RISK_REJECTED' | 'FRAUD_RISK_STOPPED';
    };

/**
 * Everything the Klarna emulator remembers, in memory: payment sessions, hosted page sessions,
 * authorizations, orders and stored answers by idempotency key. Its clock is the real one
 * plus whatever the control API skipped forward, so that tests can expire authorizations.
 */
export class KlarnaState {
  readonly sessions = new Map<string, PaymentSession>();
  readonly hppSessions = new Map<string, HppSession>();
  readonly authorizations = new Map<string, Authorization>();
  readonly orders = new Map<string, OrderRecord>();
  readonly idempotency = new Map<string, StoredAnswer>();
  private skippedMs = 0;
  private readonly listeners: ((event: KlarnaEvent) => void)[] = [];

  constructor(private readonly clock: () => Date = () => new Date()) {}

  now(): Date {
    return new Date(this.clock().getTime() + this.skippedMs);
  }

  skip(ms: number): Date {
    this.skippedMs += ms;
    return this.now();
  }

  onEvent(listener: (event: KlarnaEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: KlarnaEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
