import { randomBytes } from 'node:crypto';
import type { Amount } from './money.js';

/** What the test payer chose on the approval page: it decides what capturing does. */
export type PayerOutcome = 'approve' | 'declined' | 'pending';

export type OrderStatus = 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
export type AuthorizationStatus = 'CREATED' | 'CAPTURED' | 'PARTIALLY_CAPTURED' | 'VOIDED';
export type CaptureStatus = 'COMPLETED' | 'PENDING' | 'DECLINED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface PurchaseUnitRecord {
  referenceId: string;
  amount: Amount;
  customId?: string;
  invoiceId?: string;
  description?: string;
  captureIds: string[];
  authorizationIds: string[];
}

export interface PayerRecord {
  payerId: string;
  email: string;
  givenName: string;
  surname: string;
  countryCode: string;
}

export interface OrderRecord {
  id: string;
  clientId: string;
  intent: 'CAPTURE' | 'AUTHORIZE';
  status: OrderStatus;
  purchaseUnits: PurchaseUnitRecord[];
  /** Set when created with payment_source.paypal (status PAYER_ACTION_REQUIRED, link "payer-action"). */
  paypalSource: boolean;
  returnUrl?: string;
  cancelUrl?: string;
  brandName?: string;
  /** payment_source.paypal.email_address given at creation: preselects the test payer. */
  payerEmailHint?: string;
  payer?: PayerRecord;
  outcome?: PayerOutcome;
  /** INSTRUMENT_DECLINED was answered: the payer must approve again with another funding source. */
  fundingDeclined: boolean;
  createTime: string;
  updateTime: string;
}

export interface AuthorizationRecord {
  id: string;
  orderId: string;
  referenceId: string;
  amount: Amount;
  status: AuthorizationStatus;
  captured: number;
  captureIds: string[];
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
  expirationTime: string;
}

export interface CaptureRecord {
  id: string;
  orderId: string;
  authorizationId?: string;
  amount: Amount;
  status: CaptureStatus;
  /** status_details.reason while PENDING (PENDING_REVIEW) or DECLINED. */
  reason?: string;
  finalCapture: boolean;
  refunded: number;
  refundIds: string[];
  customId?: string;
  invoiceId?: string;
  noteToPayer?: string;
  createTime: string;
  updateTime: string;
}

export interface RefundRecord {
  id: string;
  captureId: string;
  amount: Amount;
  status: 'COMPLETED';
  customId?: string;
  invoiceId?: string;
  noteToPayer?: string;
  createTime: string;
  updateTime: string;
}

/** What happened, for the webhook sender (one event type each). */
export type PayPalEvent =
  | { type: 'CHECKOUT.ORDER.APPROVED'; order: OrderRecord }
  | {
      type: 'PAYMENT.AUTHORIZATION.CREATED' | 'PAYMENT.AUTHORIZATION.VOIDED';
      authorization: AuthorizationRecord;
    }
  | {
      type: 'PAYMENT.CAPTURE.COMPLETED' | 'PAYMENT.CAPTURE.PENDING' | 'PAYMENT.CAPTURE.DENIED';
      capture: CaptureRecord;
    }
  | { type: 'PAYMENT.CAPTURE.REFUNDED'; refund: RefundRecord; capture: CaptureRecord };
export type EventType = PayPalEvent['type'];

/**
 * Transaction ids as PayPal shows them: 17 characters of upper-case letters and digits 2-9 (no I or O) for
 * orders, captures, authorizations and refunds; 13 for payer ids.
 */
export function paypalId(length = 17): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}

/**
 * Everything the PayPal emulator remembers, in memory: access tokens, orders and the payments
 * made against them, and stored answers by PayPal-Request-Id.
 */
export class PayPalState {
  readonly tokens = new Map<string, { clientId: string; expiresAt: number }>();
  readonly orders = new Map<string, OrderRecord>();
  readonly authorizations = new Map<string, AuthorizationRecord>();
  readonly captures = new Map<string, CaptureRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  private readonly listeners: ((event: PayPalEvent) => void)[] = [];

  onEvent(listener: (event: PayPalEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: PayPalEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Orders with their authorizations, captures and refunds (GET /_control/paypal/ledger). */
  ledger(orderId?: string) {
    const orders = orderId
      ? [this.orders.get(orderId)].filter((o): o is OrderRecord => o !== undefined)
      : [...this.orders.values()];
    return orders.map((order) => {
      const captureIds = order.purchaseUnits.flatMap((unit) => unit.captureIds);
      const authorizationIds = order.purchaseUnits.flatMap((unit) => unit.authorizationIds);
      const captures = captureIds.map((id) => this.captures.get(id)).filter((c) => c !== undefined);
      for (const authorization of authorizationIds.map((id) => this.authorizations.get(id))) {
        for (const id of authorization?.captureIds ?? []) {
          const capture = this.captures.get(id);
          if (capture) captures.push(capture);
        }
      }
      return {
        id: order.id,
        intent: order.intent,
        status: order.status,
        outcome: order.outcome,
        purchaseUnits: order.purchaseUnits.map((unit) => ({
          referenceId: unit.referenceId,
          currency: unit.amount.currency,
          amount: unit.amount.minor,
          customId: unit.customId,
          invoiceId: unit.invoiceId,
        })),
        authorizations: authorizationIds.map((id) => this.authorizations.get(id)),
        captures,
        refunds: captures.flatMap((capture) => capture.refundIds.map((id) => this.refunds.get(id))),
      };
    });
  }
}

/** PayPal's timestamps: ISO 8601 in UTC, to the second ("2026-12-02T03:16:59Z"). */
export const timestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
