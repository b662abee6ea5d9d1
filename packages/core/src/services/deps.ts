import type { CardTokens } from '../card-tokens.js';
import type { MethodRule } from '../checkout/payment-methods.js';
import type { ConnectorRegistry } from '../connector.js';
import type { Store } from '../store.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Receives what happened to payments, for metrics; core does not know Prometheus. */
export interface PaymentObserver {
  paymentOutcome?(connector: string, status: string): void;
  providerCall?(connector: string, operation: string, outcome: string, seconds: number): void;
  /** A provider's notification was settled: applied, unchanged, ignored, unmatched or unreadable. */
  providerNotification?(connector: string, result: string): void;
}

export interface CoreDeps {
  store: Store;
  clock: Clock;
  connectors: ConnectorRegistry;
  /** Public base URL of the api, for provider return URLs. */
  publicUrl: string;
  /** See IdempotencyOptions.leaseMs. */
  idempotencyLeaseMs: number;
  /** First wait before asking a provider about an unknown outcome; doubles each time. */
  inquiryBaseMs: number;
  inquiryMaxMs: number;
  /**
   * How long a shopper sent to a provider's page (a bank, a wallet, 3-D Secure) has to come
   * back before payin asks the provider what became of the attempt. Default an hour.
   */
  shopperActionDeadlineMs?: number;
  observer?: PaymentObserver;
  /** The card vault, for payments with a `tok_…` payment method. */
  cards?: CardTokens;
  /** The market rules: which methods are offered where. Default the built-in table (`paymentMethodRules`). */
  paymentMethodRules?: readonly MethodRule[];
}
