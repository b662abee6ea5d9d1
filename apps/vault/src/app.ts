import { randomBytes } from 'node:crypto';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { errors } from '@payin/core';
import { registerErrorHandling, sendError } from '@payin/http';
import type { Logger } from '@payin/telemetry';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AuditLog } from './audit/log.js';
import type { VaultDb } from './db/connect.js';
import { registerServiceAuth } from './http/service-auth.js';
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
  ping(): Promise<boolean>;
  /** More routes on the same instance (the hosted fields' pages). */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
}

/** The vault's HTTP surface: the contract's error shape, service signatures, then one plugin per concern. */
export async function buildVaultApp(deps: VaultAppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    // A proxied provider request may carry a sizeable body; tokens are tiny.
    bodyLimit: 1024 * 1024,
    genReqId: () => `req_${randomBytes(9).toString('base64url')}`,
    requestIdHeader: false,
    ajv: { customOptions: { coerceTypes: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    frameworkErrors: (err, _request, reply) => {
      sendError(reply, errors.invalidParameter('url', `The request URL is not valid: ${err.message}`));
    },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  registerErrorHandling(app);
  registerServiceAuth(app, deps.serviceSecret);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('Request-Id', request.id);
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
  });
  await app.register(proxyRoutes, { proxy: deps.proxy });
  await app.register(auditRoutes, { db: deps.db, audit: deps.audit });
  if (deps.extraRoutes) await deps.extraRoutes(app);
  return app;
}
