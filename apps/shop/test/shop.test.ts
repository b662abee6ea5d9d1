import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@payin/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from '../../api/test/harness.js';
import { decodeCart, encodeCart } from '../src/cart.js';
import { loadShopConfig } from '../src/config.js';
import { type RunningShop, startShop } from '../src/server.js';

/**
 * The demo shop against the real api: product list, cart in a signed cookie, the payment
 * created by the shop's server with the catalogue's prices, and the pages' security headers.
 */
let t: TestApi;
let m: TestMerchant;
let shop: RunningShop;
let vault: Server;
let vaultUrl: string;
const COOKIE_SECRET = 'shop-test-cookie-secret';

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Refurb Market');
  // The vault's published fields manifest, all the shop asks of the vault.
  vault = createServer((request, response) => {
    if (request.url !== '/fields/v1/manifest.json') return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        script: '/fields/v1/abc/payin-fields.js',
        integrity: 'sha384-fields',
        version: 'abc',
      }),
    );
  });
  await new Promise<void>((resolve) => vault.listen(0, '127.0.0.1', resolve));
  vaultUrl = `http://127.0.0.1:${(vault.address() as AddressInfo).port}`;
  const dist = mkdtempSync(join(tmpdir(), 'payin-shop-dist-'));
  writeFileSync(
    join(dist, 'manifest.json'),
    JSON.stringify({
      script: { file: 'payin-checkout.v1.js', integrity: 'sha384-js' },
      style: { file: 'payin-checkout.v1.css', integrity: 'sha384-css' },
      chunks: [{ file: 'payin-checkout.v1-methods-abc.js', integrity: 'sha384-chunk' }],
    }),
  );
  writeFileSync(join(dist, 'payin-checkout.v1.js'), 'export const PayinCheckout = {};\n');
  const config = loadShopConfig({
    SHOP_PORT: '0',
    SHOP_HOST: '127.0.0.1',
    SHOP_PUBLIC_URL: 'http://shop.test',
    PAYIN_API_URL: t.url,
    VAULT_PUBLIC_URL: vaultUrl,
    SHOP_SECRET_KEY: m.secretKey,
    SHOP_PUBLISHABLE_KEY: m.publishableKey,
    SHOP_COOKIE_SECRET: COOKIE_SECRET,
    SHOP_CHECKOUT_DIST: dist,
  });
  shop = await startShop(config, { logger: createLogger('silent', 'payin-shop') });
});
afterAll(async () => {
  await shop?.close();
  vault?.close();
  await t?.close();
});

/** A tiny browser: keeps the shop's cookies between requests. */
function browser() {
  const jar = new Map<string, string>();
  return async (path: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await fetch(`${shop.url}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(name, value.join('='));
    }
    return { response, text: await response.text(), jar };
  };
}

describe('demo shop', () => {
  it('lists the products in the market chosen, in its language and currency', async () => {
    const visit = browser();
    const home = await visit('/');
    expect(home.response.status).toBe(200);
    expect(home.text).toContain('<html lang="fr-FR">');
    expect(home.text).toMatch(/429,00\s€/);
    await visit('/market', { form: { market: 'jp' } });
    const jp = await visit('/');
    expect(jp.text).toContain('<html lang="ja-JP">');
    expect(jp.text).toContain('￥64,800');
    expect(jp.text).toContain('カートに入れる');
  });

  it('keeps the cart in a signed cookie that cannot be altered', async () => {
    const lines = [{ sku: 'iphone-13-128', quantity: 2 }];
    const signed = encodeCart(lines, COOKIE_SECRET);
    expect(decodeCart(signed, COOKIE_SECRET)).toEqual(lines);
    const [data, signature] = signed.split('.');
    const forged = Buffer.from(JSON.stringify([{ sku: 'iphone-13-128', quantity: 1 }])).toString('base64url');
    expect(decodeCart(`${forged}.${signature}`, COOKIE_SECRET)).toEqual([]);
    expect(decodeCart(`${data}.${signature}`, 'another secret')).toEqual([]);
    expect(decodeCart(encodeCart([{ sku: 'nothing', quantity: 1 }], COOKIE_SECRET), COOKIE_SECRET)).toEqual(
      [],
    );
    expect(
      decodeCart(encodeCart([{ sku: 'iphone-13-128', quantity: 99 }], COOKIE_SECRET), COOKIE_SECRET),
    ).toEqual([]);
  });

  it('creates the payment with the catalogue prices and opens the checkout page', async () => {
    const visit = browser();
    await visit('/cart', { form: { sku: 'iphone-13-128' } });
    await visit('/cart', { form: { sku: 'ipad-9-64' } });
    await visit('/cart/update', { form: { sku: 'ipad-9-64', quantity: '2' } });
    const cart = await visit('/cart');
    expect(cart.text).toMatch(/887,00\s€/);

    const checkout = await visit('/checkout', { form: {} });
    expect(checkout.response.status).toBe(303);
    const location = checkout.response.headers.get('location') as string;
    const paymentId = decodeURIComponent(location.replace('/checkout/', ''));
    const payment = await m.get(`/v1/payments/${paymentId}`);
    expect(payment.body).toMatchObject({
      amount: 42_900 + 2 * 22_900,
      currency: 'EUR',
      country: 'FR',
      status: 'requires_payment_method',
      return_url: 'http://shop.test/order/return',
    });

    const page = await visit(location);
    expect(page.response.status).toBe(200);
    const options = /<script type="application\/json" id="payin-checkout-options">(.*?)<\/script>/s.exec(
      page.text,
    )?.[1];
    expect(JSON.parse(options ?? '{}')).toMatchObject({
      paymentId,
      clientSecret: payment.body.client_secret,
      publishableKey: m.publishableKey,
      locale: 'fr-FR',
    });
    expect(page.text).not.toContain(m.secretKey);
  });

  it('sends a strict CSP: nonces, no unsafe-inline or unsafe-eval, frames only from the vault, framed by no one', async () => {
    const visit = browser();
    await visit('/cart', { form: { sku: 'pixel-7-128' } });
    const location = (await visit('/checkout', { form: {} })).response.headers.get('location') as string;
    const page = await visit(location);
    const csp = page.response.headers.get('content-security-policy') as string;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`frame-src ${vaultUrl}`);
    expect(page.text).toContain(`src="${vaultUrl}/fields/v1/abc/payin-fields.js" integrity="sha384-fields"`);
    expect(page.text).toContain(
      'rel="modulepreload" href="/assets/checkout/payin-checkout.v1.js" integrity="sha384-js"',
    );
    expect(csp).toContain(`connect-src ${new URL(t.url).origin}`);
    // The drop-in's chunk, imported by the drop-in, pinned by the import map before any module.
    const importMap = /<script type="importmap" nonce="([^"]+)">([^<]*)<\/script>/.exec(page.text);
    expect(importMap?.[1]).toBe(nonce);
    expect(JSON.parse(importMap?.[2] ?? '{}')).toEqual({
      imports: {},
      integrity: { '/assets/checkout/payin-checkout.v1-methods-abc.js': 'sha384-chunk' },
    });
    expect(page.text.indexOf('type="importmap"')).toBeLessThan(page.text.indexOf('rel="modulepreload"'));
    // Every executable script carries this page's nonce; the JSON block is data, not script.
    const scripts = [...page.text.matchAll(/<script([^>]*)>/g)].map((s) => s[1] ?? '');
    for (const attributes of scripts.filter((a) => !a.includes('application/json'))) {
      expect(attributes).toContain(`nonce="${nonce}"`);
    }
    expect(page.text).not.toMatch(/\sstyle="/);
    const again = await visit(location);
    expect(again.response.headers.get('content-security-policy')).not.toContain(nonce as string);

    const home = await visit('/');
    expect(home.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(home.response.headers.get('content-security-policy')).not.toMatch(/script-src/);
  });

  it("shows the order's outcome only to the shopper who paid it, and empties the cart once paid", async () => {
    const visit = browser();
    await visit('/cart', { form: { sku: 'switch-oled' } });
    const location = (await visit('/checkout', { form: {} })).response.headers.get('location') as string;
    const paymentId = decodeURIComponent(location.replace('/checkout/', ''));
    await m.post(`/v1/payments/${paymentId}/confirm`, { payment_method: 'pm_card_visa' });
    const order = await visit(`/order/return?payment=${paymentId}&redirect_status=succeeded`);
    expect(order.text).toContain('Merci ! Votre commande est payée.');
    expect(decodeCart(decodeURIComponent(order.jar.get('shop_cart') ?? ''), COOKIE_SECRET)).toEqual([]);

    const stranger = browser();
    const other = await stranger(`/order/return?payment=${paymentId}`);
    expect(other.text).not.toContain(paymentId);
    expect(other.text).toContain('pas abouti');
  });

  it('sends a shopper whose payment was refused on the way back to the checkout, to try again', async () => {
    const visit = browser();
    await visit('/cart', { form: { sku: 'pixel-7-128' } });
    const location = (await visit('/checkout', { form: {} })).response.headers.get('location') as string;
    const paymentId = decodeURIComponent(location.replace('/checkout/', ''));
    await m.post(`/v1/payments/${paymentId}/confirm`, { payment_method: 'pm_card_chargeDeclined' });
    expect((await m.get(`/v1/payments/${paymentId}`)).body.status).toBe('requires_payment_method');
    const back = await visit(`/order/return?payment=${paymentId}&redirect_status=failed`);
    expect(back.response.status).toBe(303);
    expect(back.response.headers.get('location')).toBe(location);
    // The cart is still there for the retry.
    expect((await visit(location)).response.status).toBe(200);
  });

  it('answers an unknown page with a 404 page under the same policy', async () => {
    const visit = browser();
    const page = await visit('/nothing-here');
    expect(page.response.status).toBe(404);
    expect(page.text).toContain('<h1>404</h1>');
    expect(page.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
