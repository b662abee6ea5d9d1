import { describe, expect, it } from 'vitest';
import type { OpenedConnectorAccount } from '../provider.js';
import { PayPalConnector } from './index.js';
import { paypalAccountOf, paypalModule } from './module.js';

const account = (overrides: Partial<OpenedConnectorAccount> = {}): OpenedConnectorAccount => ({
  id: 'ca_1',
  merchantId: 'mer_1',
  livemode: false,
  connector: 'paypal',
  paymentMethodTypes: ['paypal'],
  settings: { webhook_id: 'WH123' },
  credentials: { client_id: 'client', client_secret: 'secret' },
  ...overrides,
});

describe('paypalModule', () => {
  it("defaults the endpoint to PayPal's sandbox in test mode and its live host in live mode", () => {
    expect(paypalAccountOf(account()).endpoint).toBe('https://api-m.sandbox.paypal.com');
    expect(paypalAccountOf(account({ livemode: true })).endpoint).toBe('https://api-m.paypal.com');
    expect(
      paypalAccountOf(account({ settings: { endpoint: 'http://localhost:4100/paypal/' } })).endpoint,
    ).toBe('http://localhost:4100/paypal');
  });

  it('builds a connector only with both credentials', () => {
    expect(paypalModule.build(account(), {})).toBeInstanceOf(PayPalConnector);
    expect(paypalModule.build(account({ credentials: { client_id: 'client' } }), {})).toBeUndefined();
  });

  it('checks the settings an operator gives', () => {
    const spec = paypalModule.account;
    expect(spec.check?.(true, { endpoint: 'http://localhost:4100/paypal' })).toMatchObject({
      param: 'settings.endpoint',
    });
    expect(spec.check?.(false, { endpoint: 'http://localhost:4100/paypal' })).toBeUndefined();
    expect(spec.settings.webhook_id?.pattern?.test('8PT597110X687430LKGECATA')).toBe(true);
    expect(spec.settings.webhook_id?.pattern?.test('not-an-id')).toBe(false);
    expect(spec.credentials.client_id?.required).toBe(true);
    expect(spec.credentials.client_secret?.required).toBe(true);
  });

  it('refuses an unsigned delivery without keeping anything', async () => {
    const body = { id: 'WH-1', event_type: 'PAYMENT.CAPTURE.COMPLETED', resource: {} };
    expect(
      await paypalModule.readWebhook(account(), { headers: {}, rawBody: JSON.stringify(body), body }, {}),
    ).toMatchObject({ ok: false, status: 401, code: 'signature_invalid' });
  });
});
