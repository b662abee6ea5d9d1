import { createLogger } from '@payin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmulatorsConfig } from '../src/config.js';
import { type RunningEmulators, startEmulators } from '../src/server.js';

/** The emulators as `npm start` runs them: every provider on one port, configured from the environment. */
describe('the emulators server', () => {
  let emulators: RunningEmulators;
  beforeAll(async () => {
    const config = loadEmulatorsConfig({ EMULATORS_PORT: '0', EMULATORS_HOST: '127.0.0.1' });
    emulators = await startEmulators(
      { ...config, publicUrl: '' },
      { logger: createLogger('silent', 'payin-emulators') },
    );
  });
  afterAll(() => emulators?.close());

  it('serves each provider under its own path, each asking for its own credentials', async () => {
    const at = (path: string, init?: RequestInit) => fetch(`${emulators.url}${path}`, init);
    expect((await at('/healthz')).status).toBe(200);
    const post = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };
    expect((await at('/adyen/checkout/v71/payments', post)).status).toBe(401);
    expect((await at('/klarna/payments/v1/sessions', post)).status).toBe(401);
    expect((await at('/paypal/v2/checkout/orders', post)).status).toBe(401);
    expect((await at('/truelayer/api/v3/payments', post)).status).toBe(401);
    const jwks = (await (await at('/truelayer/api/.well-known/jwks')).json()) as { keys: unknown[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
  });

  it('accepts the default test credentials of Klarna and TrueLayer that the README gives', async () => {
    const basic = Buffer.from('PK_test_payin:klarna_test_password').toString('base64');
    const klarna = await fetch(`${emulators.url}/klarna/ordermanagement/v1/orders/nope`, {
      headers: { authorization: `Basic ${basic}` },
    });
    expect(klarna.status).toBe(404);
    const token = await fetch(`${emulators.url}/truelayer/auth/connect/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'sandbox-payin',
        client_secret: 'truelayer_test_secret',
        scope: 'payments',
      }),
    });
    expect(token.status).toBe(200);
    expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();
  });
});
