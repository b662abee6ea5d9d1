import { randomUUID } from 'node:crypto';
import type {
  PaymentFailureReason,
  PaymentFailureStage,
  PaymentStatus,
} from '@payin/provider-wire/truelayer';
import { emulatedBanks } from './banks.js';
import type { EmulatorClock } from './clock.js';
import type { PaymentRecord, RefundRecord, TrueLayerState } from './state.js';

/**
 * How a payment into a merchant account moves (https://docs.truelayer.com/docs/single-payment-statuses):
 * `settled` and `failed` are terminal; a payment fails only at the stages before execution.
 */
export const paymentTransitions = {
  authorization_required: ['authorizing', 'failed'],
  authorizing: ['authorized', 'failed'],
  authorized: ['executed', 'failed'],
  executed: ['settled'],
  settled: [],
  failed: [],
} as const satisfies Record<PaymentStatus, readonly PaymentStatus[]>;

export function canMove(from: PaymentStatus, to: PaymentStatus): boolean {
  return (paymentTransitions[from] as readonly PaymentStatus[]).includes(to);
}

export interface LifecycleTimings {
  /** From consent to `executed` (the bank accepting the payment). */
  executeDelayMs: number;
  /** From `executed` to `settled` (the funds reaching the merchant account). */
  settleDelayMs: number;
  /** A payment not authorised by then fails `expired` (TrueLayer: 15 minutes). */
  authorizationExpiryMs: number;
  /** Each step of a refund: pending → authorized → executed. */
  refundStepMs: number;
}

/** Moves payments and refunds through their statuses, on time or when forced, and tells the webhooks. */
export class PaymentLifecycle {
  constructor(
    private readonly state: TrueLayerState,
    private readonly clock: EmulatorClock,
    private readonly timings: LifecycleTimings,
  ) {}

  /** A new payment waits for authorisation until the deadline, then expires. */
  started(payment: PaymentRecord): void {
    this.clock.schedule(this.timings.authorizationExpiryMs, () => {
      if (payment.status === 'authorization_required' || payment.status === 'authorizing') {
        this.fail(payment, 'expired');
      }
    });
  }

  /** The shopper chose a bank on the hosted payment page. */
  providerSelected(payment: PaymentRecord, providerId: string): void {
    this.move(payment, 'authorizing');
    payment.providerId = providerId;
    payment.consentToken = randomUUID();
  }

  /** The bank's consent was given: the payment is authorised, executed shortly after. */
  authorize(payment: PaymentRecord): void {
    this.move(payment, 'authorized');
    payment.authorizedAt = this.clock.now();
    this.state.emit({ type: 'payment_authorized', payment });
    this.clock.schedule(this.timings.executeDelayMs, () => {
      if (payment.status === 'authorized') this.execute(payment);
    });
  }

  execute(payment: PaymentRecord): void {
    this.move(payment, 'executed');
    payment.executedAt = this.clock.now();
    this.state.emit({ type: 'payment_executed', payment });
    this.clock.schedule(this.timings.settleDelayMs, () => {
      if (payment.status === 'executed') this.settle(payment);
    });
  }

  settle(payment: PaymentRecord): void {
    this.move(payment, 'settled');
    payment.settledAt = this.clock.now();
    this.state.emit({ type: 'payment_settled', payment });
  }

  fail(payment: PaymentRecord, reason: PaymentFailureReason): void {
    const stage = payment.status as PaymentFailureStage;
    this.move(payment, 'failed');
    payment.failedAt = this.clock.now();
    payment.failureStage = stage;
    payment.failureReason = reason;
    delete payment.consentToken;
    this.state.emit({ type: 'payment_failed', payment });
  }

  /** A refund from the merchant account: pending, authorised, then executed (or failed). */
  refundCreated(payment: PaymentRecord, refund: RefundRecord): void {
    this.clock.schedule(this.timings.refundStepMs, () => {
      refund.status = 'authorized';
      refund.authorizedAt = this.clock.now();
      this.clock.schedule(this.timings.refundStepMs, () => {
        // Test data: a reference starting with FAIL is refused by the payer's bank.
        if (/^FAIL/i.test(refund.reference)) {
          refund.status = 'failed';
          refund.failedAt = this.clock.now();
          refund.failureReason = 'rejected';
          this.state.emit({ type: 'refund_failed', payment, refund });
          return;
        }
        refund.status = 'executed';
        refund.executedAt = this.clock.now();
        this.state.emit({ type: 'refund_executed', payment, refund });
      });
    });
  }

  private move(payment: PaymentRecord, to: PaymentStatus): void {
    if (!canMove(payment.status, to)) {
      throw new Error(`payment ${payment.id} cannot move from ${payment.status} to ${to}`);
    }
    payment.status = to;
  }
}

export const bankOf = (payment: PaymentRecord) =>
  emulatedBanks.find((bank) => bank.id === payment.providerId);
