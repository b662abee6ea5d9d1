import { envInteger } from '@payin/http';
import { credentialPairs } from '../credential-pairs.js';
import type { PayPalClient } from './auth.js';
import { DEFAULT_TOKEN_TTL_SECONDS } from './auth.js';

/** What the PayPal emulator reads from the environment (src/paypal/README.md). */
export interface PayPalConfig {
  /** REST apps (client id and secret) allowed to take access tokens. */
  clients: PayPalClient[];
  /** A webhook subscription made at start (more with the control API). */
  webhook?: { url: string; webhookId?: string };
  /** First retry delay of an unaccepted webhook, doubled up to a minute. */
  webhookRetryMs: number;
  /** How long a "pending" payer's capture stays PENDING before it completes. */
  pendingCaptureMs: number;
  tokenTtlSeconds: number;
}

export function loadPayPalConfig(env: NodeJS.ProcessEnv): PayPalConfig {
  const clients = credentialPairs(
    'EMULATOR_PAYPAL_CREDENTIALS',
    env.EMULATOR_PAYPAL_CREDENTIALS || 'payin_paypal_client:payin_paypal_secret',
    'client_id:secret',
  ).map(({ id, secret }) => ({ clientId: id, clientSecret: secret }));
  const webhookId = env.EMULATOR_PAYPAL_WEBHOOK_ID || undefined;
  if (webhookId !== undefined && !/^[A-Za-z0-9]{1,50}$/.test(webhookId))
    throw new Error('EMULATOR_PAYPAL_WEBHOOK_ID must be up to 50 letters and digits');
  return {
    clients,
    webhook: env.EMULATOR_PAYPAL_WEBHOOK_URL
      ? { url: env.EMULATOR_PAYPAL_WEBHOOK_URL, webhookId }
      : undefined,
    webhookRetryMs: envInteger('EMULATOR_PAYPAL_WEBHOOK_RETRY_MS', 1_000, env),
    pendingCaptureMs: envInteger('EMULATOR_PAYPAL_PENDING_CAPTURE_MS', 5_000, env),
    tokenTtlSeconds: envInteger('EMULATOR_PAYPAL_TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, env),
  };
}
