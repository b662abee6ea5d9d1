import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealCredentials } from '@payin/connectors';
import { createMerchant, newId, randomToken } from '@payin/core';
import { loadConfig } from './config.js';
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
/** The provider emulators `npm start` runs (apps/emulators): the demo merchant's Adyen. */
const EMULATORS_URL = (process.env.PAYIN_EMULATORS_URL || 'http://localhost:4100').replace(/\/$/, '');
const EMULATOR_ADYEN_API_KEY = 'adyen_test_key';
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
    // Its cards go to Adyen, here the emulator; the webhook's HMAC key is made up once.
    const account = newId('connectorAccount');
    const hmacKey = randomBytes(32).toString('hex');
    await api.core.store.transaction((tx) =>
      tx.insertConnectorAccount({
        id: account,
        merchantId: merchant.id,
        livemode: false,
        connector: 'adyen',
        paymentMethodTypes: ['card'],
        // The emulator behaves as an account with multiple partial captures enabled.
        settings: {
          merchant_account: 'PayinDemoShop',
          endpoint: `${EMULATORS_URL}/adyen/checkout/v71`,
          multiple_partial_captures: 'true',
        },
        sealedCredentials: sealCredentials(config.serviceSecret, account, {
          api_key: EMULATOR_ADYEN_API_KEY,
          hmac_key: hmacKey,
        }),
        createdAt: api.core.clock.now(),
        deletedAt: null,
      }),
    );
    writeFileSync(
      demoFile,
      `${JSON.stringify({ id: merchant.id, ...keys, adyen: { account, hmacKey } }, null, 2)}\n`,
      { mode: 0o600 },
    );
  }
  const demo = JSON.parse(readFileSync(demoFile, 'utf8')) as {
    id: string;
    secretKey: string;
    publishableKey: string;
    adyen?: { account: string; hmacKey: string };
  };
  if (demo.adyen) registerEmulatorWebhook(demo.adyen.account, demo.adyen.hmacKey);
  process.stdout.write(
    [
      '',
      `  payin api      ${config.publicUrl}   (docs: ${config.publicUrl}/docs)`,
      `  database       embedded PGlite in ${join(config.dataDir, 'db')}`,
      `  admin token    ${adminToken}`,
      `  demo merchant  ${demo.id}${demo.adyen ? `   (cards: Adyen emulator at ${EMULATORS_URL}, account ${demo.adyen.account})` : ''}`,
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

/**
 * Tells the Adyen emulator where the demo's webhooks go, as a merchant does in Adyen's Customer
 * Area. The emulator keeps it in memory and starts alongside the api: tried until it answers.
 */
function registerEmulatorWebhook(account: string, hmacKey: string): void {
  const url = `${config.publicUrl}/webhooks/adyen/${account}`;
  const deadline = Date.now() + 60_000;
  const attempt = async (): Promise<void> => {
    try {
      const response = await fetch(`${EMULATORS_URL}/_control/adyen/webhooks`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url, hmacKey }),
      });
      if (response.ok) return;
      api.logger.warn({ status: response.status }, 'the Adyen emulator refused the demo webhook');
    } catch {
      if (Date.now() < deadline) {
        setTimeout(attempt, 500).unref();
        return;
      }
      api.logger.warn(
        { emulators: EMULATORS_URL },
        'the Adyen emulator did not answer: demo webhooks are off',
      );
    }
  };
  void attempt();
}
