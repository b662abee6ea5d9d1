import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type MethodRule, parseMethodRules } from '@payin/core';
import { envInteger } from '@payin/http';
import { serviceSecret } from '@payin/service-auth';

/** Everything the api reads from the environment, in one place (README "Configuration"). */
export interface ApiConfig {
  port: number;
  host: string;
  /** Base URL browsers and providers reach this api at (redirects, 3-D Secure returns). */
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  /** Signs and checks calls between payin's processes (PAYIN_SERVICE_SECRET, or a file in dataDir). */
  serviceSecret: string;
  /** Where the card vault answers the api (VAULT_URL). */
  vaultUrl: string;
  /** The vault's origin as browsers reach it (its 3-D Secure container frames test challenges). */
  vaultPublicUrl: string;
  redisUrl: string | undefined;
  /** Prefix of payin's keys in Redis. */
  redisPrefix: string;
  amqpUrl: string | undefined;
  logLevel: string;
  /** Run the worker's jobs inside this process (always with embedded PGlite). */
  embeddedWorker: boolean;
  idempotencyLeaseMs: number;
  inquiryBaseMs: number;
  inquiryMaxMs: number;
  shopperActionDeadlineMs: number;
  /** Failed authentications allowed per client address per minute. */
  authFailuresPerMinute: number;
  dbPoolSize: number;
  /** Simulated provider latency of the sandbox connector (demos, crash tests). */
  sandboxLatencyMs: number;
  /** How long a provider may take to answer before the outcome is unknown (Adyen advises ≥ 30 s). */
  providerTimeoutMs: number;
  /** The market rules from PAYIN_PAYMENT_METHOD_RULES (a JSON file); undefined: the built-in table. */
  paymentMethodRules: MethodRule[] | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const port = envInteger('PORT', 4000, env);
  const host = env.HOST || '0.0.0.0';
  const databaseUrl = env.DATABASE_URL || undefined;
  return {
    port,
    host,
    publicUrl: (env.PAYIN_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl,
    dataDir: resolve(env.PAYIN_DATA_DIR || './.payin'),
    adminToken: env.PAYIN_ADMIN_TOKEN || undefined,
    serviceSecret: serviceSecret(env, resolve(env.PAYIN_DATA_DIR || './.payin'), databaseUrl === undefined),
    vaultUrl: (env.VAULT_URL || `http://localhost:${env.VAULT_PORT || 4001}`).replace(/\/$/, ''),
    vaultPublicUrl: (
      env.VAULT_PUBLIC_URL ||
      env.VAULT_URL ||
      `http://localhost:${env.VAULT_PORT || 4001}`
    ).replace(/\/$/, ''),
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.PAYIN_REDIS_PREFIX || 'payin',
    amqpUrl: env.AMQP_URL || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    embeddedWorker: databaseUrl === undefined || env.PAYIN_EMBEDDED_WORKER === 'true',
    idempotencyLeaseMs: envInteger('PAYIN_IDEMPOTENCY_LEASE_MS', 60_000, env),
    inquiryBaseMs: envInteger('PAYIN_INQUIRY_BASE_MS', 2_000, env),
    inquiryMaxMs: envInteger('PAYIN_INQUIRY_MAX_MS', 3_600_000, env),
    shopperActionDeadlineMs: envInteger('PAYIN_SHOPPER_ACTION_DEADLINE_MS', 3_600_000, env),
    authFailuresPerMinute: envInteger('PAYIN_AUTH_FAILURES_PER_MINUTE', 30, env),
    dbPoolSize: envInteger('PAYIN_DB_POOL_SIZE', 20, env),
    sandboxLatencyMs: envInteger('PAYIN_SANDBOX_LATENCY_MS', 0, env),
    providerTimeoutMs: envInteger('PAYIN_PROVIDER_TIMEOUT_MS', 30_000, env),
    paymentMethodRules: env.PAYIN_PAYMENT_METHOD_RULES
      ? methodRulesFile(env.PAYIN_PAYMENT_METHOD_RULES)
      : undefined,
  };
}

/**
 * The market rules an operator keeps in a file: which methods are offered for which countries,
 * currencies and amounts. Read once at start; a file that is missing, not JSON or not valid
 * rules stops the start with what is wrong, rather than offering the wrong methods.
 */
function methodRulesFile(path: string): MethodRule[] {
  try {
    return parseMethodRules(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    // The reader's, the JSON parser's and the rules' own messages each say what is wrong.
    throw new Error(`PAYIN_PAYMENT_METHOD_RULES: ${path}: ${(error as Error).message}`);
  }
}
