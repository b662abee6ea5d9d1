import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sealCredentials } from '@payin/connectors';
import { type CoreDeps, createMerchant, newId, randomToken } from '@payin/core';
import type { Logger } from '@payin/telemetry';

/**
 * The demo merchant of the embedded platform (`npm start`): created on the first start, kept in
 * the data directory (readable by its owner only), with an account at each provider's emulator
 * so every method of every market can be paid in the demo shop. The emulators keep their
 * settings in memory: what a merchant sets in the providers' dashboards (webhook URLs, TrueLayer's
 * client with its return URI and signing key) is set again at each start.
 */
export interface DemoMerchant {
  id: string;
  secretKey: string;
  publishableKey: string;
  adyen?: { account: string; hmacKey: string };
  paypal?: { account: string; webhookId: string };
  klarna?: { account: string };
  truelayer?: { account: string; clientId: string; clientSecret: string; publicKeyPem: string; kid: string };
}

interface DemoOptions {
  core: CoreDeps;
  dataDir: string;
  serviceSecret: string;
  shopOrigin: string;
  emulatorsUrl: string;
  publicUrl: string;
  logger: Logger;
}

const EMULATOR_ADYEN_API_KEY = 'adyen_test_key';
const PAYPAL_CLIENT = { client_id: 'payin_paypal_client', client_secret: 'payin_paypal_secret' };
const KLARNA_CREDENTIALS = { username: 'PK_test_payin', password: 'klarna_test_password' };
const TRUELAYER_MERCHANT_ACCOUNT = 'payin-demo-eur';

export async function demoMerchant(opts: DemoOptions): Promise<DemoMerchant> {
  const file = join(opts.dataDir, 'demo-merchant.json');
  let demo: DemoMerchant;
  if (existsSync(file)) {
    demo = JSON.parse(readFileSync(file, 'utf8')) as DemoMerchant;
  } else {
    const { merchant, keys } = await createMerchant(opts.core.store, opts.core.clock, {
      name: 'Demo Shop',
      country: 'FR',
    });
    // The demo shop's pages host the vault's card fields.
    await opts.core.store.transaction((tx) =>
      tx.insertAllowedOrigin({
        merchantId: merchant.id,
        livemode: false,
        id: newId('allowedOrigin'),
        origin: opts.shopOrigin,
        createdAt: opts.core.clock.now(),
      }),
    );
    demo = { id: merchant.id, ...keys };
  }
  // A data directory from before a provider was added gets that provider's account now.
  const before = JSON.stringify(demo);
  demo.adyen ??= await connectAdyen(opts, demo.id);
  demo.paypal ??= await connectPayPal(opts, demo.id);
  demo.klarna ??= await connectKlarna(opts, demo.id);
  demo.truelayer ??= await connectTrueLayer(opts, demo.id);
  if (JSON.stringify(demo) !== before) {
    writeFileSync(file, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  }
  configureEmulators(opts, demo);
  return demo;
}

async function insertAccount(
  opts: DemoOptions,
  merchantId: string,
  account: {
    connector: string;
    paymentMethodTypes: string[];
    settings: Record<string, string>;
    credentials: Record<string, string>;
  },
): Promise<string> {
  const id = newId('connectorAccount');
  await opts.core.store.transaction((tx) =>
    tx.insertConnectorAccount({
      id,
      merchantId,
      livemode: false,
      connector: account.connector,
      paymentMethodTypes: account.paymentMethodTypes,
      settings: account.settings,
      sealedCredentials: sealCredentials(opts.serviceSecret, id, account.credentials),
      createdAt: opts.core.clock.now(),
      deletedAt: null,
    }),
  );
  return id;
}

/** Cards and the local methods (Bizum, PayPay, konbini) go to Adyen; the webhook's HMAC key is made up once. */
async function connectAdyen(opts: DemoOptions, merchantId: string) {
  const hmacKey = randomBytes(32).toString('hex');
  const account = await insertAccount(opts, merchantId, {
    connector: 'adyen',
    paymentMethodTypes: ['card', 'bizum', 'konbini', 'paypay'],
    // The emulator behaves as an account with multiple partial captures enabled.
    settings: {
      merchant_account: 'PayinDemoShop',
      endpoint: `${opts.emulatorsUrl}/adyen/checkout/v71`,
      multiple_partial_captures: 'true',
    },
    credentials: { api_key: EMULATOR_ADYEN_API_KEY, hmac_key: hmacKey },
  });
  return { account, hmacKey };
}

async function connectPayPal(opts: DemoOptions, merchantId: string) {
  const webhookId = `DEMO${randomToken(16).toUpperCase()}`;
  const account = await insertAccount(opts, merchantId, {
    connector: 'paypal',
    paymentMethodTypes: ['paypal'],
    settings: { endpoint: `${opts.emulatorsUrl}/paypal`, webhook_id: webhookId },
    credentials: PAYPAL_CLIENT,
  });
  return { account, webhookId };
}

async function connectKlarna(opts: DemoOptions, merchantId: string) {
  const account = await insertAccount(opts, merchantId, {
    connector: 'klarna',
    paymentMethodTypes: ['klarna'],
    settings: { endpoint: `${opts.emulatorsUrl}/klarna` },
    credentials: KLARNA_CREDENTIALS,
  });
  return { account };
}

/** A TrueLayer client of the demo's own, with a request signing key made once (EC P-521). */
async function connectTrueLayer(opts: DemoOptions, merchantId: string) {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const kid = `demo-${randomToken(8)}`;
  const clientId = `payin-demo-${randomToken(8)}`;
  const clientSecret = randomToken(32);
  const emulator = new URL(opts.emulatorsUrl);
  const account = await insertAccount(opts, merchantId, {
    connector: 'truelayer',
    paymentMethodTypes: ['open_banking'],
    settings: {
      auth_endpoint: `${opts.emulatorsUrl}/truelayer/auth`,
      api_endpoint: `${opts.emulatorsUrl}/truelayer/api`,
      hpp_endpoint: `${opts.emulatorsUrl}/truelayer/hpp`,
      merchant_account_id: TRUELAYER_MERCHANT_ACCOUNT,
      signing_key_id: kid,
      jwks_hosts: emulator.host,
    },
    credentials: {
      client_id: clientId,
      client_secret: clientSecret,
      signing_private_key: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    },
  });
  return {
    account,
    clientId,
    clientSecret,
    kid,
    publicKeyPem: keys.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * What the demo merchant set in each provider's dashboard, told to the emulators (which start
 * alongside the api: tried until they answer, for a minute).
 */
function configureEmulators(opts: DemoOptions, demo: DemoMerchant): void {
  const webhook = (connector: string, account: string) =>
    `${opts.publicUrl}/webhooks/${connector}/${account}`;
  const calls: { path: string; body: unknown }[] = [];
  if (demo.adyen) {
    calls.push({
      path: '/adyen/webhooks',
      body: { url: webhook('adyen', demo.adyen.account), hmacKey: demo.adyen.hmacKey },
    });
  }
  if (demo.paypal) {
    calls.push({
      path: '/paypal/webhooks',
      body: { url: webhook('paypal', demo.paypal.account), webhook_id: demo.paypal.webhookId },
    });
  }
  if (demo.truelayer) {
    const tl = demo.truelayer;
    calls.push({
      path: '/truelayer/clients',
      body: {
        client_id: tl.clientId,
        client_secret: tl.clientSecret,
        return_uris: [`${opts.publicUrl}/return/accounts/${tl.account}`],
        signing_keys: [{ kid: tl.kid, public_key_pem: tl.publicKeyPem }],
        merchant_accounts: [{ id: TRUELAYER_MERCHANT_ACCOUNT, currency: 'EUR' }],
      },
    });
    calls.push({
      path: '/truelayer/webhooks',
      body: { url: webhook('truelayer', tl.account), client_id: tl.clientId },
    });
  }
  const deadline = Date.now() + 60_000;
  const send = async (call: { path: string; body: unknown }): Promise<void> => {
    for (;;) {
      try {
        const response = await fetch(`${opts.emulatorsUrl}/_control${call.path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(call.body),
        });
        if (!response.ok) {
          opts.logger.warn(
            { path: call.path, status: response.status },
            'an emulator refused the demo setting',
          );
        }
        return;
      } catch {
        if (Date.now() > deadline) throw new Error('the emulators did not answer');
        await new Promise((resolve) => setTimeout(resolve, 500).unref());
      }
    }
  };
  // In order: TrueLayer's webhook endpoint names the client registered just before it.
  void (async () => {
    try {
      for (const call of calls) await send(call);
    } catch {
      opts.logger.warn(
        { emulators: opts.emulatorsUrl },
        'the emulators did not answer: demo webhooks are off',
      );
    }
  })();
}
