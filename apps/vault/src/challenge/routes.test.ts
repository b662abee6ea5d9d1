import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadChallengeAssets } from './assets.js';
import { challengeRoutes } from './routes.js';

const TEST_KEY = 'pk_test_challenge';
const LIVE_KEY = 'pk_live_challenge';
const SHOP = 'https://shop.example';
const API = 'http://localhost:4000';
const BANK = 'http://localhost:4100/adyen/threeDS/redirect?token=abc';

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const inline = (body: string, tag: 'script' | 'style') =>
  new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(body)?.[1] ?? '';
const directives = (csp: unknown) => String(csp).split('; ');

const containerUrl = (query: Record<string, string>) =>
  `/v1/challenge?${new URLSearchParams({ url: BANK, key: TEST_KEY, origin: SHOP, ...query })}`;
const completeUrl = (query: Record<string, string>) =>
  `/v1/challenge/complete?${new URLSearchParams({ key: TEST_KEY, origin: SHOP, ...query })}`;

describe('3-D Secure challenge pages', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    const merchant = (livemode: boolean) => ({
      merchantId: 'mer_1',
      livemode,
      allowedOrigins: [SHOP, 'https://www.shop.example', 'x; script-src *'],
    });
    await app.register(
      challengeRoutes({
        assets: await loadChallengeAssets(),
        apiOrigin: API,
        resolveMerchant: async (key) =>
          key === TEST_KEY ? merchant(false) : key === LIVE_KEY ? merchant(true) : null,
      }),
    );
  });
  afterAll(() => app.close());

  describe('GET /v1/challenge (the container)', () => {
    it('holds the bank page in a titled frame, under a policy that hashes its script and style', async () => {
      const res = await app.inject({
        url: containerUrl({ locale: 'fr-FR' }),
        headers: { 'sec-fetch-dest': 'iframe' },
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(directives(res.headers['content-security-policy'])).toEqual([
        "default-src 'none'",
        `script-src ${sha256(inline(res.body, 'script'))}`,
        `style-src ${sha256(inline(res.body, 'style'))}`,
        // The bank, any https hop of its ACS, the completion page, and the api's /return/… on the way.
        "frame-src http://localhost:4100 https: 'self' http://localhost:4000",
        "base-uri 'none'",
        "form-action 'none'",
        'frame-ancestors https://shop.example',
      ]);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<html lang="fr-FR" data-parent-origin="https://shop.example">');
      expect(res.body).toContain('<title>Confirmez le paiement auprès de votre banque</title>');
      expect(res.body).toContain(
        `<iframe id="payin-bank" title="Page de confirmation du paiement de votre banque" src="${BANK.replace(/&/g, '&#38;')}"></iframe>`,
      );
      expect(res.body).not.toMatch(/\sstyle=/);
      // The relay addresses the parent by the validated origin, never "*".
      expect(inline(res.body, 'script')).toContain('payin:challenge-complete');
      expect(inline(res.body, 'script')).not.toContain('"*"');
    });

    it('frames only the page origin it was asked for, among those registered', async () => {
      const res = await app.inject(containerUrl({ origin: 'https://www.shop.example' }));
      expect(res.statusCode).toBe(200);
      expect(directives(res.headers['content-security-policy'])).toContain(
        'frame-ancestors https://www.shop.example',
      );
      expect(res.body).toContain('data-parent-origin="https://www.shop.example"');
      // No locale, or one it does not have: en-US.
      expect(res.body).toContain('<html lang="en-US"');
      expect(res.body).toContain('title="Your bank&#39;s payment confirmation page"');
    });

    it('lists an https bank once, beside https:', async () => {
      const res = await app.inject(containerUrl({ url: 'https://acs.bank.example/challenge', locale: 'ja' }));
      expect(directives(res.headers['content-security-policy'])).toContain(
        "frame-src https://acs.bank.example https: 'self' http://localhost:4000",
      );
      expect(res.body).toContain('<html lang="ja-JP"');
    });

    it('refuses to be opened other than in a frame when the browser says how', async () => {
      for (const dest of ['document', 'script', 'embed', 'frame']) {
        const res = await app.inject({ url: containerUrl({}), headers: { 'sec-fetch-dest': dest } });
        expect(res.statusCode, dest).toBe(403);
        expect(res.body).toContain('only shown in a frame');
        expect(res.body).not.toContain('<iframe');
      }
      // Browsers that do not send Sec-Fetch-Dest are served: frame-ancestors still applies.
      expect((await app.inject(containerUrl({}))).statusCode).toBe(200);
    });

    it('refuses an unknown key, an unregistered origin, a bank page that is not http(s), with a page', async () => {
      const cases: [Record<string, string>, number][] = [
        [{ key: 'pk_test_unknown' }, 401],
        [{ key: 'sk_test_secret' }, 400],
        [{ origin: 'https://evil.example' }, 403],
        [{ origin: 'https://shop.example.evil.example' }, 403],
        // Registered, but not an origin: it would add a source to frame-ancestors.
        [{ origin: 'x; script-src *' }, 403],
        [{ url: 'javascript:alert(1)' }, 400],
        [{ url: 'data:text/html,<script>alert(1)</script>' }, 400],
        [{ url: '/adyen/threeDS/redirect' }, 400],
        [{ url: 'https://user:pass@bank.example/' }, 400],
        [{ url: `https://bank.example/${'a'.repeat(2048)}` }, 400],
        [{ url: '' }, 400],
      ];
      for (const [query, status] of cases) {
        const res = await app.inject(containerUrl(query));
        expect(res.statusCode, JSON.stringify(query)).toBe(status);
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.body).not.toContain('<script');
        expect(res.body).not.toContain('<iframe');
      }
      const missing = await app.inject(`/v1/challenge?key=${TEST_KEY}&origin=${encodeURIComponent(SHOP)}`);
      expect(missing.statusCode).toBe(400);
    });

    it('takes only https bank pages for a live key', async () => {
      const http = await app.inject(containerUrl({ key: LIVE_KEY }));
      expect(http.statusCode).toBe(400);
      expect(http.body).toContain('must be https');
      const https = await app.inject(containerUrl({ key: LIVE_KEY, url: 'https://acs.bank.example/c' }));
      expect(https.statusCode).toBe(200);
    });

    it('cannot be made to leave the frame attribute with a crafted bank URL', async () => {
      const res = await app.inject(
        containerUrl({ url: 'https://bank.example/x?a="><script>alert(1)</script>' }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body.match(/<script>/g)).toHaveLength(1);
    });
  });

  describe('GET /v1/challenge/complete (where the bank frame lands)', () => {
    it('says it is returning to the shop, under a policy hashing its script, framed by the container', async () => {
      const res = await app.inject(
        completeUrl({ locale: 'es-ES', payment: 'pay_1', redirect_status: 'failed' }),
      );
      expect(res.statusCode).toBe(200);
      expect(directives(res.headers['content-security-policy'])).toEqual([
        "default-src 'none'",
        `script-src ${sha256(inline(res.body, 'script'))}`,
        `style-src ${sha256(inline(res.body, 'style'))}`,
        "base-uri 'none'",
        "form-action 'none'",
        // Every ancestor is checked: the container (the vault) and the checkout page.
        "frame-ancestors 'self' https://shop.example",
      ]);
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.body).toContain('<html lang="es-ES">');
      expect(res.body).toContain('<title>Volviendo a la tienda…</title>');
      expect(res.body).toContain('<p>Volviendo a la tienda…</p>');
      expect(res.body).not.toMatch(/\sstyle=/);
      // Framed, it tells its parent on its own origin only.
      expect(inline(res.body, 'script')).toContain('location.origin');
    });

    it("carries the merchant's return URL, with the outcome the api added, for a whole window", async () => {
      const res = await app.inject(
        completeUrl({
          return_url: 'https://www.shop.example/order/return?cart=7',
          payment: 'pay_123',
          redirect_status: 'succeeded',
        }),
      );
      expect(res.body).toContain(
        'data-back="https://www.shop.example/order/return?cart=7&#38;payment=pay_123&#38;redirect_status=succeeded"',
      );
    });

    it("is nobody's open redirect: a return URL off the registered origins is dropped, the page still served", async () => {
      for (const return_url of [
        'https://evil.example/',
        'javascript:alert(1)',
        'https://shop.example.evil.example/',
        '//evil.example/',
      ]) {
        const res = await app.inject(
          completeUrl({ return_url, payment: 'pay_1', redirect_status: 'succeeded' }),
        );
        expect(res.statusCode, return_url).toBe(200);
        expect(res.body).not.toContain('data-back');
      }
      const live = await app.inject(
        completeUrl({ key: LIVE_KEY, return_url: 'http://shop.example/order', payment: 'pay_1' }),
      );
      expect(live.body).not.toContain('data-back');
    });

    it('refuses an unknown key, an unregistered origin and a malformed outcome', async () => {
      const cases: [Record<string, string>, number][] = [
        [{ key: 'pk_test_unknown' }, 401],
        [{ origin: 'https://evil.example' }, 403],
        [{ redirect_status: 'paid' }, 400],
        [{ payment: 'pay_1"><script>' }, 400],
      ];
      for (const [query, status] of cases) {
        const res = await app.inject(completeUrl(query));
        expect(res.statusCode, JSON.stringify(query)).toBe(status);
        expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(res.body).not.toContain('<script');
      }
    });
  });
});
