import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFieldAssets } from './assets.js';
import { isSerializedOrigin } from './page.js';
import { frameHeight } from './protocol.js';
import { fieldsRoutes } from './routes.js';

const KEY = 'pk_test_routes';
const SHOP = 'https://shop.example';
const SESSION = '0123456789abcdef0123456789abcdef';

const frameUrl = (query: Record<string, string>) =>
  `/fields/v1/frame?${new URLSearchParams({ fields: 'number', key: KEY, origin: SHOP, session: SESSION, ...query })}`;

const sha = (algorithm: string, text: string) => createHash(algorithm).update(text, 'utf8').digest('base64');

describe('hosted fields routes', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(
      fieldsRoutes({
        assets: await loadFieldAssets(),
        resolveMerchant: async (key) =>
          key === KEY
            ? {
                merchantId: 'mer_1',
                livemode: false,
                allowedOrigins: [SHOP, 'https://www.shop.example', 'x; script-src *'],
              }
            : null,
      }),
    );
  });
  afterAll(() => app.close());

  it('serves a frame page whose inline script and style are the ones its CSP hashes', async () => {
    const res = await app.inject(frameUrl({ locale: 'fr-FR' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']).split('; ');
    const script = /<script>([\s\S]*?)<\/script>/.exec(res.body)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? '';
    expect(csp).toEqual([
      "default-src 'none'",
      `script-src 'sha256-${sha('sha256', script)}'`,
      `style-src 'sha256-${sha('sha256', style)}'`,
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      // A registered origin that is not one (it would inject a source) is left out.
      'frame-ancestors https://shop.example https://www.shop.example',
    ]);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.body).not.toMatch(/style="/);
    expect(res.body).toContain('<html lang="fr-FR">');
    expect(res.body).toContain('"parentOrigin":"https://shop.example"');
  });

  it('serves one frame for several fields: the card, in Tab order, named after the card', async () => {
    const res = await app.inject(frameUrl({ fields: 'cvc,number,expiry', locale: 'fr-FR' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('"fields":["number","expiry","cvc"]');
    expect(res.body).toContain('<title>Informations de la carte</title>');
    expect(frameHeight(['number', 'expiry', 'cvc'], false)).toBe(170);
    expect(frameHeight(['number', 'expiry', 'cvc', 'holder_name'], false)).toBe(252);
    expect(frameHeight(['number'], false)).toBe(88);
    expect(frameHeight(['expiry'], true)).toBe(66);
  });

  it('refuses an unknown key, an unregistered origin and a malformed request with a page', async () => {
    const cases: [Record<string, string>, number][] = [
      [{ key: 'pk_test_unknown' }, 401],
      [{ origin: 'https://evil.example' }, 403],
      [{ origin: 'https://shop.example.evil.example' }, 403],
      [{ fields: 'pin' }, 400],
      [{ fields: 'number,number' }, 400],
      [{ fields: 'number,' }, 400],
      [{ fields: '' }, 400],
      [{ session: 'short' }, 400],
    ];
    for (const [query, status] of cases) {
      const res = await app.inject(frameUrl(query));
      expect(res.statusCode, JSON.stringify(query)).toBe(status);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.body).not.toContain('<script');
    }
  });

  it('falls back to a language match, then to en-US, for the locale', async () => {
    expect((await app.inject(frameUrl({ locale: 'es-MX' }))).body).toContain('Número de tarjeta');
    expect((await app.inject(frameUrl({ locale: 'de-DE' }))).body).toContain('Card number');
  });

  it('cannot be made to close the config block with a crafted origin', async () => {
    const res = await app.inject(frameUrl({ origin: 'https://shop.example</script><script>alert(1)' }));
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('<script>alert');
  });

  it('serves payin-fields.js with an ETag, a 304 on revalidation, and its SRI in the manifest', async () => {
    const res = await app.inject('/fields/v1/payin-fields.js');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    const etag = String(res.headers.etag);
    const again = await app.inject({ url: '/fields/v1/payin-fields.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);

    const manifest = (await app.inject('/fields/v1/manifest.json')).json();
    expect(manifest.integrity).toBe(`sha384-${sha('sha384', res.body)}`);
    const pinned = await app.inject(manifest.script);
    expect(pinned.body).toBe(res.body);
    expect(pinned.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject('/fields/v1/0000000000000000/payin-fields.js')).statusCode).toBe(404);
  });
});

describe('isSerializedOrigin', () => {
  it('takes scheme, host and port and nothing else', () => {
    expect(isSerializedOrigin('https://shop.example')).toBe(true);
    expect(isSerializedOrigin('http://127.0.0.1:8080')).toBe(true);
    expect(isSerializedOrigin('https://shop.example/')).toBe(false);
    expect(isSerializedOrigin("https://shop.example 'unsafe-inline'")).toBe(false);
    expect(isSerializedOrigin('*')).toBe(false);
  });
});
