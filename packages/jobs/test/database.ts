import { randomBytes } from 'node:crypto';
import { connectDatabase, type Db, migrate } from '@payin/db';

export interface TestDatabase {
  db: Db;
  close(): Promise<void>;
}

/**
 * A migrated database for one test file: in-memory PGlite by default, or a fresh schema in the
 * PostgreSQL of DATABASE_URL, so files running in parallel never see each other's rows.
 */
export async function openTestDatabase(): Promise<TestDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const handle = await connectDatabase({ dataDir: 'memory://' });
    await migrate(handle.db);
    return { db: handle.db, close: () => handle.close() };
  }
  const schema = `jobs_test_${randomBytes(6).toString('hex')}`;
  const admin = await connectDatabase({ databaseUrl, poolSize: 1 });
  await admin.db.schema.createSchema(schema).execute();
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const handle = await connectDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrate(handle.db);
  return {
    db: handle.db,
    async close() {
      await handle.close();
      await admin.db.schema.dropSchema(schema).cascade().execute();
      await admin.close();
    },
  };
}

/** Empties the tables these tests write, children first. */
export async function clearJobTables(db: Db): Promise<void> {
  await db.deleteFrom('webhookDeliveryAttempts').execute();
  await db.deleteFrom('webhookDeliveries').execute();
  await db.deleteFrom('webhookEndpoints').execute();
  await db.deleteFrom('events').execute();
  await db.deleteFrom('merchants').execute();
}
