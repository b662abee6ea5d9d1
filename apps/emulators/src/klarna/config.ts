import { envInteger } from '@payin/http';
import { AUTHORIZATION_TTL_MS, ORDER_LIFETIME_MS } from './index.js';

/** What the Klarna emulator reads from the environment (src/klarna/README.md). */
export interface KlarnaConfig {
  /** API credentials the emulator accepts (HTTP Basic username and password). */
  credentials: { username: string; password: string }[];
  authorizationTtlMs: number;
  orderLifetimeMs: number;
  /** How long the fraud review of a PENDING order takes before its push notification. */
  fraudReviewMs: number;
  /** Delay between attempts of an unanswered notification. */
  notificationRetryMs: number;
}

export function loadKlarnaConfig(env: NodeJS.ProcessEnv): KlarnaConfig {
  const credentials = (env.EMULATOR_KLARNA_CREDENTIALS || 'PK_test_payin:klarna_test_password')
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':');
      if (colon <= 0)
        throw new Error('EMULATOR_KLARNA_CREDENTIALS must be username:password pairs, comma-separated');
      return { username: pair.slice(0, colon), password: pair.slice(colon + 1) };
    });
  return {
    credentials,
    authorizationTtlMs: envInteger('EMULATOR_KLARNA_AUTHORIZATION_TTL_MS', AUTHORIZATION_TTL_MS, env),
    orderLifetimeMs: envInteger('EMULATOR_KLARNA_ORDER_LIFETIME_MS', ORDER_LIFETIME_MS, env),
    fraudReviewMs: envInteger('EMULATOR_KLARNA_FRAUD_REVIEW_MS', 30_000, env),
    notificationRetryMs: envInteger('EMULATOR_KLARNA_NOTIFICATION_RETRY_MS', 1_000, env),
  };
}
