import { randomBytes } from 'node:crypto';
import type { Amount, PaymentResponse, ResultCode } from '@payin/provider-wire/adyen';

/** Adyen's PSP references are 16 characters of upper-case letters and digits. */
export function newPspReference(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const bytes = randomBytes(16);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export type ModificationType = 'capture' | 'cancel' | 'refund' | 'reversal';

export interface Modification {
  pspReference: string;
  type: ModificationType;
  amount?: Amount;
  reference?: string;
  /** What Adyen's asynchronous processing made of it (the *_FAILED webhooks report a failure). */
  status: 'succeeded' | 'failed';
  reason?: string;
  /**
   * Failed after Adyen had accepted it (holderName "capture failed" / "refund failed"): the
   * webhooks say CAPTURE (or REFUND) success, then CAPTURE_FAILED (REFUND_FAILED).
   */
  failedLate?: boolean;
}

export interface PaymentRecord {
  pspReference: string;
  merchantAccount: string;
  reference: string;
  amount: Amount;
  resultCode: ResultCode;
  holderName?: string;
  /** `additionalData.manualCapture: "true"`: captured only by /captures. */
  manualCapture: boolean;
  /** The card brand, or the type of a local method (`bizum`, `econtext_stores`…): the webhooks' paymentMethod. */
  brand: string;
  /** Last four digits: the only card data the emulator keeps (cards only). */
  cardNumberTail?: string;
  /** A konbini payment: its voucher, payable at the store until it expires. */
  voucher?: Voucher;
  /** Authorised amount still held (the full amount until captured, cancelled or reversed). */
  authorised: number;
  captured: number;
  refunded: number;
  cancelled: boolean;
  modifications: Modification[];
  /** Answer to /payments/details once a challenge is done (replayed if asked again). */
  final?: PaymentResponse;
  returnUrl?: string;
}

/** A pending 3-D Secure challenge, reached through the redirect URL Adyen answered. */
export interface Challenge {
  token: string;
  pspReference: string;
  returnUrl: string;
  /** Set when the shopper has answered: the value carried back as `redirectResult`. */
  redirectResult?: string;
  passed?: boolean;
}

/**
 * Where a shopper confirms a local method (Bizum in their bank's app, PayPay in its app), reached
 * through the redirect action; their answer comes back as `redirectResult`.
 */
export interface ShopperRedirect {
  token: string;
  pspReference: string;
  paymentMethodType: string;
  returnUrl: string;
  redirectResult?: string;
  outcome?: 'confirmed' | 'cancelled' | 'refused';
}

/** A konbini voucher: pending until paid at the store, expired (OFFER_CLOSED) or cancelled by /cancels. */
export interface Voucher {
  /** What the shopper tells the store (Adyen's `action.reference`). */
  reference: string;
  /** Token of the emulated voucher page (the 7-Eleven page and the instructions). */
  token: string;
  expiresAt: Date;
  status: 'pending' | 'paid' | 'expired' | 'cancelled';
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: unknown;
  done: boolean;
}

/** What happened to a payment, for the webhook sender. */
export type PaymentEvent =
  | { kind: 'authorisation'; payment: PaymentRecord; answer: PaymentResponse }
  | { kind: 'modification'; payment: PaymentRecord; modification: Modification }
  /** The shopper never paid the voucher before it expired: Adyen's OFFER_CLOSED. */
  | { kind: 'offerClosed'; payment: PaymentRecord };

/**
 * Everything the Adyen emulator remembers, in memory: payments by PSP reference, pending
 * challenges and local-method redirects, and stored responses by idempotency key.
 */
export class AdyenState {
  readonly payments = new Map<string, PaymentRecord>();
  readonly challenges = new Map<string, Challenge>();
  readonly challengesByResult = new Map<string, Challenge>();
  readonly redirects = new Map<string, ShopperRedirect>();
  readonly redirectsByResult = new Map<string, ShopperRedirect>();
  readonly idempotency = new Map<string, StoredResponse>();
  /** How far the control API moved the emulator's clock ahead (POST /_control/adyen/clock). */
  clockOffsetMs = 0;
  private readonly listeners: ((event: PaymentEvent) => void)[] = [];

  onEvent(listener: (event: PaymentEvent) => void): void {
    this.listeners.push(listener);
  }

  emit(event: PaymentEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** What the emulator authorised, captured and refunded, per payment (GET /_control/adyen/ledger). */
  ledger(pspReference?: string) {
    const records = pspReference
      ? [this.payments.get(pspReference)].filter((r): r is PaymentRecord => r !== undefined)
      : [...this.payments.values()];
    return records.map((record) => ({
      pspReference: record.pspReference,
      merchantAccount: record.merchantAccount,
      reference: record.reference,
      currency: record.amount.currency,
      amount: record.amount.value,
      resultCode: record.resultCode,
      paymentMethod: record.brand,
      ...(record.voucher
        ? {
            voucher: {
              reference: record.voucher.reference,
              expiresAt: record.voucher.expiresAt.toISOString(),
              status: record.voucher.status,
            },
          }
        : {}),
      authorised: record.authorised,
      captured: record.captured,
      refunded: record.refunded,
      cancelled: record.cancelled,
      modifications: record.modifications,
    }));
  }
}
