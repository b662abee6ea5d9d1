import { describe, expect, it } from 'vitest';
import { loadPayPalConfig } from '../src/paypal/config.js';

describe('PayPal emulator configuration', () => {
  it('defaults to one sandbox REST app, no webhook, 1 s retries, 5 s pending captures, 9 h tokens', () => {
    expect(loadPayPalConfig({})).toEqual({
      clients: [{ clientId: 'payin_paypal_client', clientSecret: 'payin_paypal_secret' }],
      webhook: undefined,
      webhookRetryMs: 1000,
      pendingCaptureMs: 5000,
      tokenTtlSeconds: 32400,
    });
  });

  it('reads client_id:secret pairs (a secret may hold colons) and a webhook subscription', () => {
    const config = loadPayPalConfig({
      EMULATOR_PAYPAL_CREDENTIALS: 'a:b, c:d:e',
      EMULATOR_PAYPAL_WEBHOOK_URL: 'http://localhost:3000/webhooks/paypal',
      EMULATOR_PAYPAL_WEBHOOK_ID: '8PT597110X687430LKGECATA',
    });
    expect(config.clients).toEqual([
      { clientId: 'a', clientSecret: 'b' },
      { clientId: 'c', clientSecret: 'd:e' },
    ]);
    expect(config.webhook).toEqual({
      url: 'http://localhost:3000/webhooks/paypal',
      webhookId: '8PT597110X687430LKGECATA',
    });
  });

  it('refuses credentials without a secret and webhook ids PayPal would not issue', () => {
    expect(() => loadPayPalConfig({ EMULATOR_PAYPAL_CREDENTIALS: 'lonely' })).toThrow(/client_id:secret/);
    expect(() => loadPayPalConfig({ EMULATOR_PAYPAL_WEBHOOK_ID: 'wh-1' })).toThrow(/letters and digits/);
  });
});
