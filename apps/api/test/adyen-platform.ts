import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { schemaErrors } from '@payin/provider-wire/adyen/conformance';
import { createLogger } from '@payin/telemetry';
import { expect } from 'vitest';
import type { CheckoutCall } from '../../emulators/src/adyen/index.js';
import { type RunningEmulators, startEmulators } from '../../emulators/src/server.js';
import { eventually, freePort, startTestApi, type TestApi, type TestMerchant } from './harness.js';
import { spawnVault } from './vault-process.js';

/**
 * The platform as `npm start` runs it, for tests of card payments through Adyen: the api (in
 * this process), the card vault as its own process, and the Adyen emulator. A merchant whose
 * test-mode cards go to the emulator through a connector account, with the emulator's webhooks
 * pointed at the api as a merchant sets them in Adyen's Customer Area.
 */
export const SERVICE_SECRET = 'adyen-e2e-service-secret-0123456789abcdef';
export const SHOP = 'https://shop.example';
export const ADYEN_KEY = 'adyen_test_key';
export const MERCHANT_ACCOUNT = 'PayinTestMerchant';

export interface AdyenPlatform {
  t: TestApi;
  m: TestMerchant;
  emulators: RunningEmulators;
  /** The merchant's connector account (`ca_…`). */
  account: string;
  hmacKey: string;
  logs: string[];
  /** Every Checkout call that reached Adyen (the emulator), card data in: for the spec check. */
  calls: CheckoutCall[];
  tokenize(
    number: string,
    opts?: { cvc?: string | null; holderName?: string | null },
  ): Promise<{ id: string }>;
  pay(token: string, extra?: Record<string, unknown>): ReturnType<TestMerchant['post']>;
  /** The emulator's own record of a payment (what Adyen authorised, captured, refunded). */
  ledger(pspReference: string): Promise<LedgerEntry>;
  /** Every payment the emulator holds with this merchant reference (payin's attempt id). */
  ledgerByReference(reference: string): Promise<LedgerEntry[]>;
  faults(settings: unknown): Promise<void>;
  resetFaults(): Promise<void>;
  /** Polls `check` until it returns something truthy (webhooks arrive on their own time). */
  eventually<T>(check: () => Promise<T | undefined | false>, what: string, ms?: number): Promise<T>;
  close(): Promise<void>;
}

export interface LedgerEntry {
  pspReference: string;
  reference: string;
  resultCode: string;
  authorised: number;
  captured: number;
  refunded: number;
  cancelled: boolean;
  modifications: { type: string; status: string; amount?: { value: number } }[];
  [more: string]: unknown;
}

export async function startAdyenPlatform(
  env: Record<string, string> = {},
  opts: { paymentMethodTypes?: string[]; voucherValidityMs?: number } = {},
): Promise<AdyenPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'payin-adyen-e2e-'));
  const logs: string[] = [];
  const calls: CheckoutCall[] = [];
  const emulators = await startEmulators(
    {
      port: 0,
      host: '127.0.0.1',
      publicUrl: '',
      adyen: {
        apiKeys: [ADYEN_KEY],
        webhookRetryMs: 100,
        ...(opts.voucherValidityMs ? { voucherValidityMs: opts.voucherValidityMs } : {}),
      },
      logLevel: 'silent',
    },
    { logger: createLogger('silent', 'payin-emulators'), observeAdyen: (call) => calls.push(call) },
  );
  const [apiPort, vaultPort] = [await freePort(), await freePort()];
  const vault = spawnVault({
    port: vaultPort,
    apiPort,
    secret: SERVICE_SECRET,
    dir,
    allowlist: emulators.url,
    proxyTimeoutMs: Number(env.PAYIN_PROVIDER_TIMEOUT_MS ?? 10_000),
  });
  const vaultUrl = vault.url;
  let t: TestApi | undefined;
  try {
    t = await startTestApi(
      {
        PORT: String(apiPort),
        PAYIN_SERVICE_SECRET: SERVICE_SECRET,
        VAULT_URL: vaultUrl,
        PAYIN_INQUIRY_BASE_MS: '100',
        PAYIN_INQUIRY_MAX_MS: '1000',
        ...env,
      },
      { logDestination: { write: (line) => logs.push(line) } },
    );
    await vault.ready();
  } catch (error) {
    vault.kill();
    await t?.close();
    await emulators.close();
    throw error;
  }
  const api = t;
  const m = await api.merchant('Adyen Shop');
  await m.post('/v1/allowed_origins', { origin: SHOP });
  const hmacKey = randomBytes(32).toString('hex');
  const created = await api.request('POST', `/admin/v1/merchants/${m.id}/connector_accounts`, {
    key: api.adminToken,
    body: {
      connector: 'adyen',
      livemode: false,
      ...(opts.paymentMethodTypes ? { payment_method_types: opts.paymentMethodTypes } : {}),
      settings: {
        merchant_account: MERCHANT_ACCOUNT,
        endpoint: `${emulators.url}/adyen/checkout/v71`,
        multiple_partial_captures: 'true',
      },
      credentials: { api_key: ADYEN_KEY, hmac_key: hmacKey },
    },
  });
  expect(created.status, created.text).toBe(201);
  const account = created.body.id as string;
  await control(emulators.url, '/_control/adyen/webhooks', {
    url: `${api.url}/webhooks/adyen/${account}`,
    hmacKey,
  });

  const platform: AdyenPlatform = {
    t: api,
    m,
    emulators,
    account,
    hmacKey,
    logs,
    calls,
    async tokenize(number, opts = {}) {
      const response = await fetch(`${vaultUrl}/v1/tokens`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${m.publishableKey}`,
          'content-type': 'application/json',
          origin: SHOP,
        },
        body: JSON.stringify({
          card: {
            number,
            exp_month: 3,
            exp_year: 2030,
            ...(opts.cvc === null ? {} : { cvc: opts.cvc ?? (number.startsWith('3') ? '7373' : '737') }),
            ...(opts.holderName === null ? {} : { holder_name: opts.holderName ?? 'J. Smith' }),
          },
        }),
      });
      const body = (await response.json()) as { id: string };
      expect(response.status, JSON.stringify(body)).toBe(201);
      return body;
    },
    pay: (token, extra = {}) =>
      m.post('/v1/payments', {
        amount: 2599,
        currency: 'EUR',
        payment_method: token,
        confirm: true,
        ...extra,
      }),
    async ledger(pspReference) {
      const response = await fetch(`${emulators.url}/_control/adyen/ledger?pspReference=${pspReference}`);
      const body = (await response.json()) as { payments: LedgerEntry[] };
      return body.payments[0] as LedgerEntry;
    },
    async ledgerByReference(reference) {
      const response = await fetch(`${emulators.url}/_control/adyen/ledger`);
      const body = (await response.json()) as { payments: LedgerEntry[] };
      return body.payments.filter((p) => p.reference === reference);
    },
    async faults(settings) {
      await control(emulators.url, '/_control/adyen/faults', settings);
    },
    async resetFaults() {
      const response = await fetch(`${emulators.url}/_control/adyen/faults`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`resetting faults: ${response.status}`);
    },
    eventually,
    async close() {
      vault.kill();
      await api.close();
      await emulators.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return platform;
}

async function control(base: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
}

/** The official schema of each Checkout operation's request body. */
const requestSchemas: Record<CheckoutCall['operation'], string> = {
  payments: 'PaymentRequest',
  details: 'PaymentDetailsRequest',
  captures: 'PaymentCaptureRequest',
  cancels: 'PaymentCancelRequest',
  refunds: 'PaymentRefundRequest',
  reversals: 'PaymentReversalRequest',
};

/** Every request payin sent to Adyen, checked against Adyen's OpenAPI description. */
export function expectConformingCalls(calls: CheckoutCall[]): void {
  expect(calls.length).toBeGreaterThan(0);
  const violations = calls
    .map((call) => ({
      operation: call.operation,
      errors: schemaErrors(requestSchemas[call.operation], call.body),
    }))
    .filter((v) => v.errors.length > 0);
  expect(violations).toEqual([]);
}

/**
 * The shopper at the issuer's 3-D Secure page of the emulator: opens it, answers it, and gets
 * the URL back to payin (`/return/{attempt}?redirectResult=…`), on the api's own address.
 */
export async function passChallenge(challengeUrl: string): Promise<string> {
  const page = await fetch(challengeUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  const action = new URL(
    (/<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '').replaceAll('&amp;', '&'),
    challengeUrl,
  );
  const answered = await fetch(action, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome: 'complete' }),
    redirect: 'manual',
  });
  expect(answered.status).toBe(303);
  const back = answered.headers.get('location') as string;
  expect(back).toContain('/return/');
  expect(back).toContain('redirectResult=');
  return back.replace(/^http:\/\/localhost:/, 'http://127.0.0.1:');
}
