import { createConnectorRegistry } from '@payin/connectors';
import { type ConnectorRegistry, type CoreDeps, type Scope, systemClock } from '@payin/core';
import { connectDatabase, createStore, type DatabaseHandle, migrate, scratchDatabase } from '@payin/db';

/**
 * For tests of the services without HTTP: a migrated database (in-memory PGlite, or a fresh
 * PostgreSQL database when DATABASE_URL is set) holding one merchant, and the services' deps.
 */
export interface ServiceDatabase {
  handle: DatabaseHandle;
  scope: Scope;
  deps(connectors?: ConnectorRegistry): CoreDeps;
  close(): Promise<void>;
}

export async function openServiceDatabase(merchantId: string): Promise<ServiceDatabase> {
  const pgDb = process.env.DATABASE_URL ? await scratchDatabase(process.env.DATABASE_URL) : undefined;
  const handle = await connectDatabase({ databaseUrl: pgDb?.url, dataDir: 'memory://' });
  await migrate(handle.db);
  await handle.db
    .insertInto('merchants')
    .values({ id: merchantId, name: merchantId, country: 'FR', rateLimit: 10_000, createdAt: new Date() })
    .execute();
  return {
    handle,
    scope: { merchantId, livemode: false },
    deps: (connectors = createConnectorRegistry({ publicUrl: 'http://localhost:0' })) => ({
      store: createStore(handle.db),
      clock: systemClock,
      connectors,
      publicUrl: 'http://localhost:0',
      idempotencyLeaseMs: 60_000,
      inquiryBaseMs: 1000,
      inquiryMaxMs: 60_000,
    }),
    async close() {
      await handle.close();
      await pgDb?.drop();
    },
  };
}
