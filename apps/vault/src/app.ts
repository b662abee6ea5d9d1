import { createServer } from '@payin/http';
import type { Logger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from './audit/log.js';
import type { VaultDb } from './db/connect.js';
import { registerServiceAuth } from './http/service-auth.js';
import { TokenizationLimit } from './http/tokenization-limit.js';
import type { MerchantResolver } from './merchants.js';
import type { CardProxy } from './proxy/forward.js';
import { auditRoutes } from './routes/audit.js';
import { proxyRoutes } from './routes/proxy.js';
import { tokenRoutes } from './routes/tokens.js';
import type { TokenService } from './tokens/service.js';

export interface VaultAppDeps {
  db: VaultDb;
  logger: Logger;
  tokens: TokenService;
  merchants: MerchantResolver;
  proxy: CardProxy;
  audit: AuditLog;
  serviceSecret: string;
  vaultOrigin: string;
  tokenizationsPerMinute: number;
  trustProxy?: boolean;
  ping(): Promise<boolean>;
  /** More routes on the same instance (the hosted fields' pages). */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
}

/** The vault's HTTP surface: the contract's error shape, service signatures, then one plugin per concern. */
export async function buildVaultApp(deps: VaultAppDeps): Promise<FastifyInstance> {
  // Bodies up to 1 MB: a proxied provider request may be sizeable; tokens are tiny.
  const app = createServer({ logger: deps.logger, trustProxy: deps.trustProxy ?? false });
  registerServiceAuth(app, deps.serviceSecret);

  app.addHook('onRequest', async (_request, reply) => {
    // Nothing the vault answers may be kept by a shared cache.
    reply.header('Cache-Control', 'no-store');
    reply.header('X-Content-Type-Options', 'nosniff');
  });
  // The query string can hold a publishable key and an origin; never card data (the fields POST it).
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        caller: request.service,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });

  app.get('/healthz', { config: { access: 'none' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: 'none' } }, async (_request, reply) => {
    const database = await deps.ping();
    return reply.code(database ? 200 : 503).send({
      status: database ? 'ready' : 'unavailable',
      checks: { database: database ? 'ok' : 'failing' },
    });
  });

  await app.register(tokenRoutes, {
    tokens: deps.tokens,
    merchants: deps.merchants,
    vaultOrigin: deps.vaultOrigin,
    limit: new TokenizationLimit(deps.tokenizationsPerMinute),
  });
  await app.register(proxyRoutes, { proxy: deps.proxy });
  await app.register(auditRoutes, { db: deps.db, audit: deps.audit });
  if (deps.extraRoutes) await deps.extraRoutes(app);
  return app;
}
