import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import compress from '@fastify/compress';
import { ServiceClient } from '@payin/service-auth';
import { createLogger, type Logger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { buildVaultApp } from './app.js';
import { AuditLog } from './audit/log.js';
import { loadChallengeAssets } from './challenge/assets.js';
import { challengeRoutes } from './challenge/routes.js';
import type { VaultConfig } from './config.js';
import { connectVaultDatabase, type VaultDb } from './db/connect.js';
import { loadFieldAssets } from './fields/assets.js';
import { fieldsRoutes } from './fields/routes.js';
import { DataKeyRing } from './keys/data-keys.js';
import type { KeyProvider } from './keys/key-provider.js';
import { LocalKeyFileProvider } from './keys/local-key-file.js';
import { MerchantDirectory, type MerchantResolver } from './merchants.js';
import { ProxyAllowlist } from './proxy/allowlist.js';
import { CardProxy } from './proxy/forward.js';
import { TokenService } from './tokens/service.js';

export interface RunningVault {
  app: FastifyInstance;
  url: string;
  tokens: TokenService;
  db: VaultDb;
  keys: KeyProvider;
  close(): Promise<void>;
}

/** How often CVCs past their ten minutes are destroyed. */
const CVC_SWEEP_MS = 30_000;

/** Wires the vault from its configuration: database, keys, services, HTTP, the CVC sweeper. */
export async function startVault(
  config: VaultConfig,
  opts: { logger?: Logger; keys?: KeyProvider; merchants?: MerchantResolver } = {},
): Promise<RunningVault> {
  const logger = opts.logger ?? createLogger(config.logLevel, 'payin-vault');
  const database = await connectVaultDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/db`,
  });
  const keys = opts.keys ?? new LocalKeyFileProvider(config.kekFile);
  const audit = new AuditLog((err, entry) =>
    logger.error(
      { err: (err as Error).message, action: entry.action, token: entry.tokenId },
      'audit write failed',
    ),
  );
  const ring = new DataKeyRing(database.db, keys);
  const tokens = new TokenService(database.db, ring, audit, {
    tokenTtlMs: config.tokenTtlMs,
    cvcTtlMs: config.cvcTtlMs,
  });
  const merchants =
    opts.merchants ??
    new MerchantDirectory(new ServiceClient(config.apiUrl, config.serviceSecret, 'vault', 10_000));
  const proxy = new CardProxy(
    database.db,
    tokens,
    new ProxyAllowlist(config.proxyAllowlist),
    audit,
    config.proxyTimeoutMs,
  );

  const app = await buildVaultApp({
    db: database.db,
    logger,
    tokens,
    merchants,
    proxy,
    audit,
    serviceSecret: config.serviceSecret,
    vaultOrigin: new URL(config.publicUrl).origin,
    tokenizationsPerMinute: config.tokenizationsPerMinute,
    trustProxy: config.trustProxy,
    ping: () => database.ping(),
    extraRoutes: async (instance) => {
      const resolveMerchant = (key: string) => merchants.resolve(key);
      const [assets, challengeAssets] = await Promise.all([
        loadFieldAssets(browserSources('fields')),
        loadChallengeAssets(browserSources('challenge')),
      ]);
      // What browsers load (frame pages, payin-fields.js, the challenge container) goes
      // compressed: a phone downloads it before the shopper can type. The API routes outside
      // this scope stay as they are.
      await instance.register(async (browserFacing) => {
        await browserFacing.register(compress, { global: true, encodings: ['br', 'gzip'] });
        await browserFacing.register(fieldsRoutes({ resolveMerchant, assets }));
        await browserFacing.register(
          challengeRoutes({
            resolveMerchant,
            assets: challengeAssets,
            // The vault knows the api by the URL it calls; in the embedded platform browsers reach
            // the api there too, and a deployed api is https, which the container allows anyway.
            apiOrigin: new URL(config.apiUrl).origin,
          }),
        );
      });
    },
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const url = address.replace('[::1]', 'localhost');

  const sweeper = setInterval(() => {
    tokens.destroyExpiredCvcs().catch((err: Error) => logger.error({ err: err.message }, 'CVC sweep failed'));
  }, CVC_SWEEP_MS);
  sweeper.unref();

  return {
    app,
    url,
    tokens,
    db: database.db,
    keys,
    async close() {
      clearInterval(sweeper);
      await app.close();
      await audit.drain();
      await database.close();
    },
  };
}

/**
 * The TypeScript sources of the pages' browser code (the hosted fields, the 3-D Secure
 * challenge), which esbuild turns into their inline scripts at start: beside this file when
 * running from source, `../src/<folder>` from the built bundle in dist/.
 */
function browserSources(folder: 'fields' | 'challenge'): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const fromBundle = join(here, '..', 'src', folder);
  return existsSync(join(here, folder)) ? undefined : fromBundle;
}
