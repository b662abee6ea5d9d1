import { envInteger } from '@payin/http';
import type { TrueLayerClientSeed, TrueLayerSettings } from './index.js';

/** What the TrueLayer emulator reads from the environment (src/truelayer/README.md). */
export type TrueLayerConfig = Omit<TrueLayerSettings, 'publicUrl'> & { clients: TrueLayerClientSeed[] };

/**
 * One client, as TrueLayer's Console holds it: its credentials, the return URIs it registered,
 * the public key of its request signing key (without one, signed calls are refused until a key
 * is added through the control API), fixed merchant account ids if set, and its webhook URL.
 */
export function loadTrueLayerConfig(env: NodeJS.ProcessEnv): TrueLayerConfig {
  const kid = env.EMULATOR_TRUELAYER_SIGNING_KEY_ID;
  const publicKeyPem = env.EMULATOR_TRUELAYER_SIGNING_PUBLIC_KEY?.replace(/\\n/g, '\n');
  const merchantAccounts = [
    env.EMULATOR_TRUELAYER_MERCHANT_ACCOUNT_EUR
      ? { id: env.EMULATOR_TRUELAYER_MERCHANT_ACCOUNT_EUR, currency: 'EUR' as const }
      : undefined,
    env.EMULATOR_TRUELAYER_MERCHANT_ACCOUNT_GBP
      ? { id: env.EMULATOR_TRUELAYER_MERCHANT_ACCOUNT_GBP, currency: 'GBP' as const }
      : undefined,
  ].filter((account) => account !== undefined);
  const client: TrueLayerClientSeed = {
    clientId: env.EMULATOR_TRUELAYER_CLIENT_ID || 'sandbox-payin',
    clientSecret: env.EMULATOR_TRUELAYER_CLIENT_SECRET || 'truelayer_test_secret',
    returnUris: (env.EMULATOR_TRUELAYER_RETURN_URIS || 'http://localhost:4000/return/truelayer')
      .split(',')
      .map((uri) => uri.trim())
      .filter(Boolean),
    ...(kid && publicKeyPem ? { signingKeys: [{ kid, publicKeyPem }] } : {}),
    ...(merchantAccounts.length > 0 ? { merchantAccounts } : {}),
    ...(env.EMULATOR_TRUELAYER_WEBHOOK_URL ? { webhookUrl: env.EMULATOR_TRUELAYER_WEBHOOK_URL } : {}),
  };
  return {
    clients: [client],
    webhookRetryMs: envInteger('EMULATOR_TRUELAYER_WEBHOOK_RETRY_MS', 1_000, env),
    timings: {
      executeDelayMs: envInteger('EMULATOR_TRUELAYER_EXECUTE_DELAY_MS', 2_000, env),
      settleDelayMs: envInteger('EMULATOR_TRUELAYER_SETTLE_DELAY_MS', 5_000, env),
      authorizationExpiryMs: envInteger('EMULATOR_TRUELAYER_EXPIRY_MS', 15 * 60_000, env),
    },
    paymentAuthorizedWebhook: env.EMULATOR_TRUELAYER_AUTHORIZED_WEBHOOK === 'true',
  };
}
