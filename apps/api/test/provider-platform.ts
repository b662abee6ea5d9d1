import { expect } from 'vitest';
import { loadEmulatorsConfig } from '../../emulators/src/config.js';
import { type RunningEmulators, startEmulators } from '../../emulators/src/server.js';
import { eventually, startTestApi, type TestApi, type TestMerchant, type TestResponse } from './harness.js';

/**
 * The api with every provider's emulator beside it (PayPal, Klarna, TrueLayer, Adyen), for tests
 * of a method end to end over HTTP: the merchant's calls, the shopper's redirects, the
 * providers' webhooks into payin's webhook route. Each test file connects the accounts it needs
 * (`connect`), as an operator would through the admin API.
 */
export interface ProviderPlatform {
  t: TestApi;
  m: TestMerchant;
  emulators: RunningEmulators;
  /** Connects a provider account for the merchant; answers the connector account (webhook_url, return_url). */
  connect(body: {
    connector: string;
    payment_method_types?: string[];
    settings: Record<string, string>;
    credentials: Record<string, string>;
  }): Promise<{ id: string; webhook_url: string; return_url: string }>;
  /** POST to an emulator's control API (`/_control/<provider>/…`), JSON in and out. */
  control(path: string, body?: unknown, method?: string): Promise<{ status: number; body: any }>;
  /** A payment as the merchant reads it. */
  payment(id: string): Promise<any>;
  /** Event types of one payment, oldest first. */
  eventsOf(paymentId: string): Promise<string[]>;
  /** Polls `check` until it returns something truthy (webhooks and inquiries come on their own time). */
  eventually<T>(check: () => Promise<T | undefined | false>, what: string, ms?: number): Promise<T>;
  close(): Promise<void>;
}

export async function startProviderPlatform(
  emulatorEnv: Record<string, string> = {},
  apiEnv: Record<string, string> = {},
): Promise<ProviderPlatform> {
  const config = loadEmulatorsConfig({ EMULATORS_PORT: '0', ...emulatorEnv });
  const emulators = await startEmulators({ ...config, host: '127.0.0.1', publicUrl: '', logLevel: 'silent' });
  let t: TestApi;
  try {
    t = await startTestApi({ PAYIN_INQUIRY_BASE_MS: '100', PAYIN_INQUIRY_MAX_MS: '1000', ...apiEnv });
  } catch (error) {
    await emulators.close();
    throw error;
  }
  const m = await t.merchant('Provider Shop');
  const admin = (method: string, path: string, body?: unknown): Promise<TestResponse> =>
    t.request(method, path, { key: t.adminToken, body });

  return {
    t,
    m,
    emulators,
    async connect(body) {
      const created = await admin('POST', `/admin/v1/merchants/${m.id}/connector_accounts`, {
        livemode: false,
        ...body,
      });
      expect(created.status, created.text).toBe(201);
      return created.body;
    },
    async control(path, body, method = 'POST') {
      const response = await fetch(`${emulators.url}/_control${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed };
    },
    payment: async (id) => (await m.get(`/v1/payments/${id}`)).body,
    async eventsOf(paymentId) {
      const events = (await m.get('/v1/events?limit=100')).body.data as any[];
      return events
        .filter((e) => e.data.object.id === paymentId)
        .map((e) => e.type as string)
        .reverse();
    },
    eventually,
    async close() {
      await t.close();
      await emulators.close();
    },
  };
}
