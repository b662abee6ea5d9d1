import { createConnectorRegistry, storeAccountSource } from '@payin/connectors';
import {
  type CoreDeps,
  processProviderNotifications,
  recoverUnknownOutcomes,
  systemClock,
} from '@payin/core';
import { connectDatabase, createStore, type DatabaseHandle, migrate } from '@payin/db';
import { startWorker } from '@payin/jobs';
import { ServiceClient } from '@payin/service-auth';
import { createLogger, type Logger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import type { ApiConfig } from './config.js';
import { createMetrics } from './plugins/metrics.js';
import { createRateLimits } from './plugins/rate-limits.js';
import type { ReadinessCheck } from './routes/health.js';
import { VaultCards } from './vault-cards.js';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  core: CoreDeps;
  database: DatabaseHandle;
  config: ApiConfig;
  logger: Logger;
  close(): Promise<void>;
}

/** Wires the api from its configuration: database, connectors, services, HTTP, worker jobs. */
export async function startApi(
  config: ApiConfig & { adminToken: string },
  opts: { logger?: Logger } = {},
): Promise<RunningApi> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const database = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/db`,
    poolSize: config.dbPoolSize,
  });
  const applied = await migrate(database.db);
  if (applied.length) logger.info({ migrations: applied }, 'database migrated');

  const metrics = createMetrics();
  const store = createStore(database.db);
  const cards = new VaultCards(new ServiceClient(config.vaultUrl, config.serviceSecret, 'api', 10_000));
  const core: CoreDeps = {
    store,
    clock: systemClock,
    connectors: createConnectorRegistry({
      publicUrl: config.publicUrl,
      sandboxLatencyMs: config.sandboxLatencyMs,
      accounts: storeAccountSource(store, config.serviceSecret),
      cards,
      providerTimeoutMs: config.providerTimeoutMs,
    }),
    publicUrl: config.publicUrl,
    idempotencyLeaseMs: config.idempotencyLeaseMs,
    inquiryBaseMs: config.inquiryBaseMs,
    inquiryMaxMs: config.inquiryMaxMs,
    shopperActionDeadlineMs: config.shopperActionDeadlineMs,
    observer: metrics.observer,
    cards,
    ...(config.paymentMethodRules ? { paymentMethodRules: config.paymentMethodRules } : {}),
  };
  const applyNotifications = coalesced(
    () => processProviderNotifications(core),
    (err) => logger.warn({ err: err.message }, 'provider notifications not applied yet'),
  );

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis unavailable'));

  const readiness: ReadinessCheck[] = [{ name: 'database', check: () => database.ping() }];
  if (redis) readiness.push({ name: 'redis', check: async () => (await redis.ping()) === 'PONG' });

  const worker = config.embeddedWorker
    ? startWorker({
        db: database.db,
        log: logger,
        amqpUrl: config.amqpUrl,
        recover: async () => {
          await processProviderNotifications(core);
          await recoverUnknownOutcomes(core);
        },
      })
    : undefined;
  if (worker?.brokerConfigured) readiness.push({ name: 'broker', check: async () => worker.brokerHealthy() });

  const app = await buildApp({
    core,
    db: database.db,
    logger,
    metrics,
    rateLimits: createRateLimits({
      redis,
      keyPrefix: config.redisPrefix,
      authFailuresPerMinute: config.authFailuresPerMinute,
    }),
    adminToken: config.adminToken,
    serviceSecret: config.serviceSecret,
    readiness,
    applyNotifications,
    vaultOrigin: new URL(config.vaultPublicUrl).origin,
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const port = new URL(address).port;

  return {
    config,
    app,
    url: `http://localhost:${port}`,
    core,
    database,
    logger,
    async close() {
      await app.close();
      await worker?.stop();
      redis?.disconnect();
      await database.close();
    },
  };
}

/**
 * Runs `job` soon, never twice at once: a call while it runs asks for one more run after it,
 * so work stored meanwhile is not left for the next periodic pass.
 */
function coalesced(job: () => Promise<unknown>, onError: (err: Error) => void): () => void {
  let running = false;
  let again = false;
  const run = async () => {
    running = true;
    do {
      again = false;
      await job().catch(onError);
    } while (again);
    running = false;
  };
  return () => {
    if (running) again = true;
    else setImmediate(run);
  };
}
