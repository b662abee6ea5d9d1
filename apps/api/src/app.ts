import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { registerAjvFormats } from '@fastify/type-provider-typebox';
import type { CoreDeps } from '@payin/core';
import type { Db } from '@payin/db';
import { createServer } from '@payin/http';
import type { Logger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { registerAuth } from './plugins/auth.js';
import { type Metrics, registerMetrics } from './plugins/metrics.js';
import type { RateLimits } from './plugins/rate-limits.js';
import { adminRoutes } from './routes/admin.js';
import { allowedOriginRoutes } from './routes/allowed-origins.js';
import { checkoutRoutes } from './routes/checkout.js';
import { connectorAccountRoutes } from './routes/connector-accounts.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes, type ReadinessCheck } from './routes/health.js';
import { internalRoutes } from './routes/internal.js';
import { paymentRoutes } from './routes/payments.js';
import { providerWebhookRoutes } from './routes/provider-webhooks.js';
import { redirectRoutes } from './routes/redirects.js';
import { refundRoutes } from './routes/refunds.js';
import { sandboxRoutes } from './routes/sandbox.js';
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js';

export interface AppDeps {
  core: CoreDeps;
  db: Db;
  logger: Logger;
  metrics: Metrics;
  rateLimits: RateLimits;
  adminToken: string;
  serviceSecret: string;
  readiness: ReadinessCheck[];
  /** Applies stored provider notifications soon, outside the request that brought them. */
  applyNotifications: () => void;
  /** The vault's public origin: its 3-D Secure container may frame the sandbox's challenge. */
  vaultOrigin?: string;
}

registerAjvFormats();

/** The api's HTTP surface: plugins first (errors, auth, metrics, docs), then one plugin per route group. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createServer({ logger: deps.logger, trustProxy: process.env.PAYIN_TRUST_PROXY === 'true' });
  registerAuth(app, {
    store: deps.core.store,
    adminToken: deps.adminToken,
    serviceSecret: deps.serviceSecret,
    rateLimits: deps.rateLimits,
  });
  registerMetrics(app, deps.metrics);

  // A POST without a body is a POST with no parameters.
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {};
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        merchant: request.auth?.merchant.id,
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'payin merchant API',
        version: '1',
        description:
          'Payments, refunds, events and webhooks. Amounts are integers in the minor unit. Authenticate with `Authorization: Bearer sk_test_…`. Every POST accepts `Idempotency-Key`.',
      },
      components: {
        securitySchemes: {
          secretKey: { type: 'http', scheme: 'bearer', description: 'Secret key, sk_test_… or sk_live_…' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'PAYIN_ADMIN_TOKEN' },
        },
      },
      security: [{ secretKey: [] }],
    },
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
  });
  app.get('/openapi.json', { config: { auth: 'none' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { checks: deps.readiness });
  await app.register(adminRoutes, { core: deps.core });
  await app.register(connectorAccountRoutes, { core: deps.core, serviceSecret: deps.serviceSecret });
  await app.register(providerWebhookRoutes, {
    core: deps.core,
    serviceSecret: deps.serviceSecret,
    applyLater: deps.applyNotifications,
  });
  await app.register(paymentRoutes, { core: deps.core });
  await app.register(refundRoutes, { core: deps.core });
  await app.register(eventRoutes, { core: deps.core });
  await app.register(webhookEndpointRoutes, { core: deps.core, db: deps.db });
  await app.register(sandboxRoutes, { core: deps.core, vaultOrigin: deps.vaultOrigin });
  await app.register(redirectRoutes, { core: deps.core });
  await app.register(allowedOriginRoutes, { core: deps.core });
  await app.register(checkoutRoutes, { core: deps.core });
  await app.register(internalRoutes, { core: deps.core });
  return app;
}
