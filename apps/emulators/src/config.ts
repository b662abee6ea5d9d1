import { envInteger } from '@payin/http';
import { type KlarnaConfig, loadKlarnaConfig } from './klarna/config.js';
import { loadPayPalConfig, type PayPalConfig } from './paypal/config.js';
import { loadTrueLayerConfig, type TrueLayerConfig } from './truelayer/config.js';

/** Everything the emulators read from the environment (apps/emulators/README.md). */
export interface EmulatorsConfig {
  port: number;
  host: string;
  /** Origin browsers reach the emulators at: challenge pages are linked from it. */
  publicUrl: string;
  adyen: {
    /** X-API-Key values the Checkout API accepts. */
    apiKeys: string[];
    /** A webhook endpoint registered at start (more can be added with the control API). */
    webhook?: { url: string; hmacKey: string };
    /** First retry delay of an unaccepted webhook, doubled up to a minute. */
    webhookRetryMs: number;
    /** How long a konbini voucher can be paid (3 days). */
    voucherValidityMs?: number;
  };
  paypal?: PayPalConfig;
  klarna?: KlarnaConfig;
  truelayer?: TrueLayerConfig;
  logLevel: string;
}

export function loadEmulatorsConfig(env: NodeJS.ProcessEnv): EmulatorsConfig {
  const port = envInteger('EMULATORS_PORT', 4100, env);
  return {
    port,
    host: env.EMULATORS_HOST || '0.0.0.0',
    publicUrl: (env.EMULATORS_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    adyen: {
      apiKeys: (env.EMULATOR_ADYEN_API_KEY || 'adyen_test_key')
        .split(',')
        .map((key) => key.trim())
        .filter(Boolean),
      webhook:
        env.EMULATOR_ADYEN_WEBHOOK_URL && env.EMULATOR_ADYEN_HMAC_KEY
          ? { url: env.EMULATOR_ADYEN_WEBHOOK_URL, hmacKey: env.EMULATOR_ADYEN_HMAC_KEY }
          : undefined,
      webhookRetryMs: envInteger('EMULATOR_ADYEN_WEBHOOK_RETRY_MS', 1000, env),
      voucherValidityMs: envInteger('EMULATOR_ADYEN_VOUCHER_VALIDITY_MS', 3 * 86_400_000, env),
    },
    paypal: loadPayPalConfig(env),
    klarna: loadKlarnaConfig(env),
    truelayer: loadTrueLayerConfig(env),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
