import { createConnectorRegistry } from '@payin/connectors';
import { createPayment, noIdempotency, systemClock } from '@payin/core';
import { connectDatabase, createStore, migrate } from '@payin/db';
import { freshPostgresDatabase } from './test/harness.js';

const pgDb = await freshPostgresDatabase('postgres://postgres@127.0.0.1:5432/test');
const h = await connectDatabase({ databaseUrl: pgDb.url });
await migrate(h.db);
await h.db
  .insertInto('merchants')
  .values({ id: 'mer_p', name: 'P', country: 'FR', rateLimit: 1, createdAt: new Date() })
  .execute();
const deps = {
  store: createStore(h.db),
  clock: systemClock,
  connectors: createConnectorRegistry({ publicUrl: 'http://x' }),
  publicUrl: 'http://x',
  idempotencyLeaseMs: 60000,
  inquiryBaseMs: 1000,
  inquiryMaxMs: 60000,
};
const scope = { merchantId: 'mer_p', livemode: false };
const one = () =>
  createPayment(
    deps,
    scope,
    {
      amount: 100,
      currency: 'EUR',
      captureMethod: 'automatic',
      paymentMethod: 'pm_card_visa',
      confirm: true,
      metadata: {},
    },
    noIdempotency,
  );
for (let i = 0; i < 500; i++) await one();
const n = 4000;
let done = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (done < n) {
      done++;
      await one();
    }
  }),
);
const s = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(`${(n / s).toFixed(0)}/s, cpu/payment ${((cpu.user + cpu.system) / n).toFixed(0)}µs`);
await h.close();
await pgDb.drop();
