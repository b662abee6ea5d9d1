import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '@payin/core';
import { loadConfig } from './config.js';
import { demoMerchant } from './demo.js';
import { startApi } from './server.js';

/**
 * `npm start`. With no DATABASE_URL this is the embedded platform: PGlite in PAYIN_DATA_DIR,
 * the worker's jobs in this process, an admin token and a demo merchant created on first
 * start and printed at every start (kept in the data directory, readable by its owner only).
 */
const config = loadConfig();
/** The demo shop's origin (apps/shop reads the same variables), allowed to host the card fields. */
const DEMO_SHOP_ORIGIN = new URL(
  process.env.SHOP_PUBLIC_URL || `http://localhost:${process.env.SHOP_PORT || 3000}`,
).origin;
/** The provider emulators `npm start` runs (apps/emulators): the demo merchant's providers. */
const EMULATORS_URL = (process.env.PAYIN_EMULATORS_URL || 'http://localhost:4100').replace(/\/$/, '');
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
  const demo = await demoMerchant({
    core: api.core,
    dataDir: config.dataDir,
    serviceSecret: config.serviceSecret,
    shopOrigin: DEMO_SHOP_ORIGIN,
    emulatorsUrl: EMULATORS_URL,
    publicUrl: config.publicUrl,
    logger: api.logger,
  });
  process.stdout.write(
    [
      '',
      `  payin api      ${config.publicUrl}   (docs: ${config.publicUrl}/docs)`,
      `  database       embedded PGlite in ${join(config.dataDir, 'db')}`,
      `  admin token    ${adminToken}`,
      `  demo merchant  ${demo.id}   (Adyen, PayPal, Klarna and TrueLayer: the emulators at ${EMULATORS_URL})`,
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
