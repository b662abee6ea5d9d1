import { createConnectorRegistry, storeAccountSource } from '@payin/connectors';
import { processProviderNotifications, recoverUnknownOutcomes, systemClock } from '@payin/core';
import { connectDatabase, createStore, migrate } from '@payin/db';
import { startWorker } from '@payin/jobs';
import { serviceSecret } from '@payin/service-auth';
import { createLogger } from '@payin/telemetry';

/**
 * The worker as its own process, for deployments on PostgreSQL (in embedded mode the api runs
 * these jobs itself): outbox relay, broker publishing, webhook delivery, recovery of unknown
 * payment outcomes, providers' notifications. Several workers may run side by side: their queues use SKIP LOCKED.
 */
const env = process.env;
if (!env.DATABASE_URL) {
  console.error(
    'The worker runs on PostgreSQL: set DATABASE_URL. (With embedded PGlite, `npm start` runs the jobs.)',
  );
  process.exit(1);
}
const log = createLogger(env.LOG_LEVEL || 'info', 'payin-worker');
const publicUrl = (env.PAYIN_PUBLIC_URL || `http://localhost:${env.PORT || 4000}`).replace(/\/$/, '');
const number = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

const database = await connectDatabase({
  databaseUrl: env.DATABASE_URL,
  poolSize: number('PAYIN_DB_POOL_SIZE', 5),
});
await migrate(database.db);
const store = createStore(database.db);
// Opens the connector accounts' credentials (captures and refunds retried from here).
const secret = serviceSecret(env, '', false);
const core = {
  store,
  clock: systemClock,
  connectors: createConnectorRegistry({
    publicUrl,
    accounts: storeAccountSource(store, secret),
    providerTimeoutMs: number('PAYIN_PROVIDER_TIMEOUT_MS', 30_000),
  }),
  publicUrl,
  idempotencyLeaseMs: number('PAYIN_IDEMPOTENCY_LEASE_MS', 60_000),
  inquiryBaseMs: number('PAYIN_INQUIRY_BASE_MS', 2_000),
  inquiryMaxMs: number('PAYIN_INQUIRY_MAX_MS', 3_600_000),
  shopperActionDeadlineMs: number('PAYIN_SHOPPER_ACTION_DEADLINE_MS', 3_600_000),
};
const worker = startWorker({
  db: database.db,
  log,
  amqpUrl: env.AMQP_URL,
  recover: async () => {
    await processProviderNotifications(core);
    await recoverUnknownOutcomes(core);
  },
});
log.info({ broker: worker.brokerConfigured }, 'payin worker running');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await worker.stop();
    await database.close();
    process.exit(0);
  });
}
