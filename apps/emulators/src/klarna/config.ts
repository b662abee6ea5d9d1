import { envInteger } from '@payin/http';
import { credentialPairs } from '../credential-pairs.js';
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
  const credentials = credentialPairs(
    'EMULATOR_KLARNA_CREDENTIALS',
    env.EMULATOR_KLARNA_CREDENTIALS || 'PK_test_payin:klarna_test_password',
    'username:password',
  ).map(({ id, secret }) => ({ username: id, password: secret }));
  return {
    credentials,
    authorizationTtlMs: envInteger('EMULATOR_KLARNA_AUTHORIZATION_TTL_MS', AUTHORIZATION_TTL_MS, env),
    orderLifetimeMs: envInteger('EMULATOR_KLARNA_ORDER_LIFETIME_MS', ORDER_LIFETIME_MS, env),
    fraudReviewMs: envInteger('EMULATOR_KLARNA_FRAUD_REVIEW_MS', 30_000, env),
    notificationRetryMs: envInteger('EMULATOR_KLARNA_NOTIFICATION_RETRY_MS', 1_000, env),
  };
}
