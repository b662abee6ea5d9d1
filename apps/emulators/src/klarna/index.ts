import type { FastifyInstance } from 'fastify';
import { apiRoutes } from './api.js';
import type { PlaceOrderOptions } from './authorizations.js';
import { controlRoutes } from './control.js';
import { KlarnaFaults } from './faults.js';
import { FraudReview } from './fraud-review.js';
import { KlarnaNotifier } from './notifications.js';
import { pageRoutes } from './page.js';
import { KlarnaState } from './state.js';

export { KlarnaFaults } from './faults.js';
export { FraudReview } from './fraud-review.js';
export { KlarnaNotifier } from './notifications.js';
export { KlarnaState } from './state.js';

/** "The authorization_token is valid for 60 minutes" (Klarna Payments, place an order). */
export const AUTHORIZATION_TTL_MS = 60 * 60_000;
/** An order's authorization lasts 28 days unless extended (Order Management, extend authorization). */
export const ORDER_LIFETIME_MS = 28 * 86_400_000;

export interface KlarnaEmulatorOptions {
  state: KlarnaState;
  faults: KlarnaFaults;
  notifier: KlarnaNotifier;
  fraudReview: FraudReview;
  /** The merchants' API credentials (HTTP Basic username and password). */
  credentials: { username: string; password: string }[];
  /** Origin shoppers' browsers reach the emulator at (read per request: known once listening). */
  publicUrl: () => string;
  /** How long an authorization_token can place an order (60 minutes). */
  authorizationTtlMs?: number;
  /** How long an order can be captured before its authorization expires (28 days). */
  orderLifetimeMs?: number;
}

/** The emulator's moving parts, wired together; `close` stops its timers. */
export function createKlarnaRuntime(opts: {
  notificationRetryMs: number;
  fraudReviewMs: number;
  now?: () => Date;
}) {
  const state = new KlarnaState(opts.now);
  const faults = new KlarnaFaults();
  const notifier = new KlarnaNotifier(state, { faults, retryMs: opts.notificationRetryMs });
  const fraudReview = new FraudReview(state, opts.fraudReviewMs);
  return {
    state,
    faults,
    notifier,
    fraudReview,
    close: () => {
      fraudReview.close();
      notifier.close();
    },
  };
}

/**
 * Klarna: the Payments API v1, the Hosted Payment Page API v1 and the Order Management API v1
 * under /klarna (the paths of api.playground.klarna.com and api-na.playground.klarna.com), the
 * hosted page shoppers are sent to under /klarna/hpp, and the control API under /_control/klarna.
 */
export async function klarnaEmulator(app: FastifyInstance, opts: KlarnaEmulatorOptions): Promise<void> {
  const placeOrder = (): PlaceOrderOptions => ({
    publicUrl: opts.publicUrl(),
    orderLifetimeMs: opts.orderLifetimeMs ?? ORDER_LIFETIME_MS,
    review: (order) => opts.fraudReview.start(order),
  });
  await app.register(apiRoutes, {
    state: opts.state,
    faults: opts.faults,
    credentials: opts.credentials,
    publicUrl: opts.publicUrl,
    placeOrder,
    prefix: '/klarna',
  });
  await app.register(pageRoutes, {
    state: opts.state,
    publicUrl: opts.publicUrl,
    authorizationTtlMs: opts.authorizationTtlMs ?? AUTHORIZATION_TTL_MS,
    placeOrder,
    prefix: '/klarna/hpp',
  });
  await app.register(controlRoutes, {
    state: opts.state,
    faults: opts.faults,
    notifier: opts.notifier,
    fraudReview: opts.fraudReview,
    prefix: '/_control/klarna',
  });
}
