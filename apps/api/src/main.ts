import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMerchant, newId, randomToken } from '@payin/core';
import { loadConfig } from './config.js';
import { startApi } from './server.js';

/**
 * `npm start`. With no DATABASE_URL this is the embedded platform: PGlite in PAYIN_DATA_DIR,
 * the worker's jobs in this process, an admin token and a demo merchant created on first
 * start and printed at every start (kept in the data directory, readable by its owner only).
 */
const config = loadConfig();
const DEMO_SHOP_ORIGIN = 'http://localhost:3000';
const embedded = !config.databaseUrl;
mkdirSync(config.dataDir, { recursive: true });

let adminToken = config.adminToken;
const tokenFile = join(config.dataDir, 'admin-token');
if (!adminToken) {
  if (!embedded) {
    console.error(
      'PAYIN_ADMIN_TOKEN must be set when DATABASE_URL is (the generated token is for embedded mode only).',
    );
    process.exit(1);
  }
  if (!existsSync(tokenFile)) writeFileSync(tokenFile, `padm_${randomToken(32)}\n`, { mode: 0o600 });
  adminToken = readFileSync(tokenFile, 'utf8').trim();
}

const api = await startApi({ ...config, adminToken });

if (embedded) {
  const demoFile = join(config.dataDir, 'demo-merchant.json');
  if (!existsSync(demoFile)) {
    const { merchant, keys } = await createMerchant(api.core.store, api.core.clock, {
      name: 'Demo Shop',
      country: 'FR',
    });
    // The demo shop's pages host the vault's card fields.
    await api.core.store.transaction((tx) =>
      tx.insertAllowedOrigin({
        merchantId: merchant.id,
        livemode: false,
        id: newId('allowedOrigin'),
        origin: DEMO_SHOP_ORIGIN,
        createdAt: api.core.clock.now(),
      }),
    );
    writeFileSync(demoFile, `${JSON.stringify({ id: merchant.id, ...keys }, null, 2)}\n`, { mode: 0o600 });
  }
  const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as {
    id: string;
    secretKey: string;
    publishableKey: string;
  };
  process.stdout.write(
    [
      '',
      `  payin api      ${config.publicUrl}   (docs: ${config.publicUrl}/docs)`,
      `  database       embedded PGlite in ${join(config.dataDir, 'db')}`,
      `  admin token    ${adminToken}`,
      `  demo merchant  ${demo.id}`,
      `    secret key       ${demo.secretKey}`,
      `    publishable key  ${demo.publishableKey}`,
      '',
      `  try: curl ${config.publicUrl}/v1/payments -u ${demo.secretKey}: -d '{"amount":1999,"currency":"EUR","payment_method":"pm_card_visa","confirm":true}' -H 'Content-Type: application/json'`,
      '',
    ].join('\n'),
  );
} else {
  api.logger.info({ url: config.publicUrl }, 'payin api listening');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
