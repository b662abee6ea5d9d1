import { envInteger } from '@payin/http';

/** Everything the emulators read from the environment (apps/emulators/README.md). */
export interface EmulatorsConfig {
  port: number;
  host: string;
  /** Origin browsers reach the emulators at: challenge pages are linked from it. */
  publicUrl: string;
  adyen: {
    /** X-API-Key values the Checkout API accepts. */
    apiKeys: string[];
  };
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
    },
    logLevel: env.LOG_LEVEL || 'info',
  };
}
