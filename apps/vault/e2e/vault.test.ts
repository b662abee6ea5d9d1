import { createServer, type Server } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestVault } from '../test/harness.js';
import {
  describeInBrowser,
  fieldFrame,
  fillRest,
  launchChromium,
  openShop,
  startShop,
  tokenize,
} from './harness.js';

const KEY = 'pk_test_fieldsFullStack01';

/** The vault must know its public origin before it listens: pick a free port first. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe: Server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describeInBrowser('hosted card fields against the vault server', () => {
  let browser: Browser;
  let vault: Awaited<ReturnType<typeof startTestVault>>;
  let shop: Awaited<ReturnType<typeof startShop>>;
  let vaultUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    vaultUrl = `http://localhost:${port}`;
    shop = await startShop(vaultUrl);
    vault = await startTestVault(
      { port, host: '127.0.0.1', publicUrl: vaultUrl },
      { [KEY]: { merchantId: 'mer_fields', livemode: false, allowedOrigins: [shop.origin] } },
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await vault?.stop();
    shop?.server.close();
  });

  it('tokenizes a card typed into the fields with the real POST /v1/tokens', async () => {
    const page = await openShop({ browser, vaultUrl, shopOrigin: shop.origin }, { publishableKey: KEY });
    await fieldFrame(page, 'number').locator('input').pressSequentially('4000002500001001');
    await fieldFrame(page, 'number').locator('select').selectOption('visa');
    const yy = await fillRest(page);
    const result = await tokenize(page);
    expect(result.error).toBeUndefined();
    expect(result.token).toMatchObject({
      object: 'token',
      card: {
        brand: 'visa',
        available_brands: ['cartes_bancaires', 'visa'],
        last4: '1001',
        exp_month: 12,
        exp_year: 2000 + Number(yy),
      },
    });
    expect(String(result.token?.id)).toMatch(/^tok_/);
    await page.context().close();
  });

  it('serves the frame page and payin-fields.js through the vault app with their own headers', async () => {
    const query = new URLSearchParams({
      fields: 'cvc',
      key: KEY,
      origin: shop.origin,
      session: 'c'.repeat(32),
    });
    const frame = await fetch(`${vaultUrl}/fields/v1/frame?${query}`);
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-security-policy')).toContain(`frame-ancestors ${shop.origin}`);
    expect(frame.headers.get('x-frame-options')).toBeNull();
    const script = await fetch(`${vaultUrl}/fields/v1/payin-fields.js`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(script.headers.get('etag')).toMatch(/^"[0-9a-f]{16}"$/);
  });
});
