import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, SHOP_ORIGIN, startTestVault } from './harness.js';

let vault: Awaited<ReturnType<typeof startTestVault>>;
beforeAll(async () => {
  vault = await startTestVault({ apiUrl: 'http://api.payin.test:4000' }, merchants);
});
afterAll(() => vault?.stop());

describe('the running vault', () => {
  it('serves the 3-D Secure challenge pages beside the hosted fields, framing the api it knows', async () => {
    const query = new URLSearchParams({
      url: 'http://127.0.0.1:4100/adyen/threeDS/redirect?token=t',
      key: 'pk_test_merchantAkey',
      origin: SHOP_ORIGIN,
    });
    const container = await fetch(`${vault.url}/v1/challenge?${query}`, {
      headers: { 'sec-fetch-dest': 'iframe' },
    });
    expect(container.status).toBe(200);
    expect(container.headers.get('content-security-policy')).toContain(
      "frame-src http://127.0.0.1:4100 https: 'self' http://api.payin.test:4000;",
    );
    expect(container.headers.get('x-frame-options')).toBeNull();

    query.delete('url');
    const complete = await fetch(`${vault.url}/v1/challenge/complete?${query}`);
    expect(complete.status).toBe(200);
    expect(await complete.text()).toContain('Returning to the shop…');
  });

  it('sends what browsers load compressed: the frame page and payin-fields.js', async () => {
    const frame = new URLSearchParams({
      fields: 'number,expiry,cvc',
      key: 'pk_test_merchantAkey',
      origin: SHOP_ORIGIN,
      session: 'abcdefghijklmnop',
      locale: 'en-US',
    });
    for (const path of [`/fields/v1/frame?${frame}`, '/fields/v1/payin-fields.js']) {
      const brotli = await fetch(`${vault.url}${path}`, { headers: { 'accept-encoding': 'br, gzip' } });
      expect(brotli.status, path).toBe(200);
      expect(brotli.headers.get('content-encoding'), path).toBe('br');
      const gzip = await fetch(`${vault.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
      expect(gzip.headers.get('content-encoding'), path).toBe('gzip');
      // Decoded, the same bytes as sent raw (the page's CSP hashes its inline script).
      const raw = await fetch(`${vault.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
      expect(raw.headers.get('content-encoding'), path).toBeNull();
      if (path.endsWith('.js')) expect(await brotli.text()).toBe(await raw.text());
    }
  });
});
