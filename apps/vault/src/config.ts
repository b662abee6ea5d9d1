import { resolve } from 'node:path';
import { envInteger } from '@payin/http';

/** Everything the vault reads from the environment (README "Configuration", vault section). */
export interface VaultConfig {
  port: number;
  host: string;
  /** The vault's own origin as browsers reach it: hosted fields post their tokens to it. */
  publicUrl: string;
  databaseUrl: string | undefined;
  /** PGlite directory when VAULT_DATABASE_URL is unset. */
  dataDir: string;
  /** Local key-encryption-key file; outside dataDir (keys are not kept beside the data). */
  kekFile: string;
  /** Where the api answers the vault's questions about publishable keys. */
  apiUrl: string;
  /** Shared with the api: signs requests between them. */
  serviceSecret: string;
  proxyAllowlist: string[];
  proxyTimeoutMs: number;
  tokenTtlMs: number;
  cvcTtlMs: number;
  /** Tokenizations allowed per client address per minute (0: no limit). */
  tokenizationsPerMinute: number;
  /** Read the client address from X-Forwarded-For (behind a load balancer). */
  trustProxy: boolean;
  logLevel: string;
}

/** The emulators' origin (`npm start`): the only provider the embedded platform talks to. */
const EMBEDDED_ALLOWLIST = 'http://localhost:4100,http://127.0.0.1:4100';

export function loadVaultConfig(env: NodeJS.ProcessEnv, serviceSecret: string): VaultConfig {
  const port = envInteger('VAULT_PORT', 4001, env);
  const databaseUrl = env.VAULT_DATABASE_URL || undefined;
  const payinDir = resolve(env.PAYIN_DATA_DIR || './.payin');
  return {
    port,
    host: env.VAULT_HOST || '0.0.0.0',
    publicUrl: (env.VAULT_PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    databaseUrl,
    dataDir: resolve(env.VAULT_DATA_DIR || `${payinDir}/vault`),
    kekFile: resolve(env.VAULT_KEK_FILE || `${payinDir}/vault-keys/kek.json`),
    apiUrl: (env.VAULT_API_URL || `http://localhost:${env.PORT || 4000}`).replace(/\/$/, ''),
    serviceSecret,
    proxyAllowlist: (env.VAULT_PROXY_ALLOWLIST ?? (databaseUrl ? '' : EMBEDDED_ALLOWLIST))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    proxyTimeoutMs: envInteger('VAULT_PROXY_TIMEOUT_MS', 30_000, env),
    tokenTtlMs: envInteger('VAULT_TOKEN_TTL_SECONDS', 3_600, env) * 1000,
    cvcTtlMs: envInteger('VAULT_CVC_TTL_SECONDS', 600, env) * 1000,
    tokenizationsPerMinute: envInteger('VAULT_TOKENIZATIONS_PER_MINUTE', 60, env),
    trustProxy: env.VAULT_TRUST_PROXY === 'true',
    logLevel: env.LOG_LEVEL || 'info',
  };
}
