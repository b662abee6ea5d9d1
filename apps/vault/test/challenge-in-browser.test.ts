import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeInBrowser, launchChromium } from '../e2e/harness.js';
import { loadChallengeAssets } from '../src/challenge/assets.js';
import { challengeRoutes } from '../src/challenge/routes.js';

/**
 * The in-page 3-D Secure challenge in Chromium, across four origins as in production: the shop
 * (the checkout page), the vault (container and completion page), the bank (its challenge page)
 * and the api (its `/return/…`, which the bank's frame passes through on its way back).
 */
const KEY = 'pk_test_challengeBrowser';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

function serve(handler: Handler): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => handler(req, res, new URL(req.url ?? '/', 'http://x')));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

const html = (res: ServerResponse, body: string) => {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`,
  );
};

interface Received {
  origin: string;
  data: unknown;
  fromChallengeFrame: boolean;
}

describeInBrowser('3-D Secure challenge container, in a browser', () => {
  let browser: Browser;
  let vault: FastifyInstance;
  let vaultUrl: string;
  const servers: Server[] = [];
  let shop = '';
  let bank = '';
  let api = '';

  beforeAll(async () => {
    const shopServer = await serve((_req, res) => html(res, '<h1>Shop</h1>'));
    // The issuer's page: "Complete" posts, and the answer sends the frame to the api's return.
    const bankServer = await serve((req, res, url) => {
      if (req.method === 'POST') {
        const back = url.searchParams.get('back') ?? '';
        res.writeHead(303, { location: `${api}/return/att_1?to=${encodeURIComponent(back)}` }).end();
        return;
      }
      const action = `/challenge?back=${encodeURIComponent(url.searchParams.get('back') ?? '')}`;
      html(
        res,
        `<h1>Bank</h1><form method="post" action="${action.replace(/&/g, '&amp;')}"><button>Complete</button></form>`,
      );
    });
    // payin's api: completes the payment, then sends the frame to the payment's return_url.
    const apiServer = await serve((_req, res, url) => {
      const to = new URL(url.searchParams.get('to') ?? '');
      to.searchParams.set('payment', 'pay_1');
      to.searchParams.set('redirect_status', 'succeeded');
      res.writeHead(303, { location: to.href }).end();
    });
    servers.push(shopServer.server, bankServer.server, apiServer.server);
    shop = shopServer.origin;
    bank = bankServer.origin;
    api = apiServer.origin;

    vault = Fastify({ logger: false });
    await vault.register(
      challengeRoutes({
        assets: await loadChallengeAssets(),
        apiOrigin: api,
        resolveMerchant: async (key) =>
          key === KEY ? { merchantId: 'mer_1', livemode: false, allowedOrigins: [shop] } : null,
      }),
    );
    await vault.listen({ port: 0, host: '127.0.0.1' });
    vaultUrl = `http://localhost:${(vault.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await vault?.close();
    for (const server of servers) server.close();
  });

  const completeUrl = () =>
    `${vaultUrl}/v1/challenge/complete?${new URLSearchParams({ key: KEY, origin: shop, locale: 'fr-FR', return_url: `${shop}/order/return` })}`;
  const containerUrl = () =>
    `${vaultUrl}/v1/challenge?${new URLSearchParams({
      url: `${bank}/challenge?back=${encodeURIComponent(completeUrl())}`,
      key: KEY,
      origin: shop,
      locale: 'fr-FR',
    })}`;

  /** The shop page with an iframe on `src`, recording the messages its window receives. */
  async function shopWithFrame(src: string): Promise<{ page: Page; violations: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(shop);
    await page.evaluate(
      (src) =>
        new Promise<void>((resolve) => {
          const w = window as unknown as { received: Received[] };
          w.received = [];
          const iframe = document.createElement('iframe');
          iframe.id = 'challenge';
          iframe.title = 'challenge';
          window.addEventListener('message', (e) =>
            w.received.push({
              origin: e.origin,
              data: e.data,
              fromChallengeFrame: e.source === iframe.contentWindow,
            }),
          );
          iframe.onload = () => resolve();
          iframe.src = src;
          document.body.append(iframe);
        }),
      src,
    );
    return { page, violations };
  }

  const received = (page: Page) =>
    page.evaluate(() => (window as unknown as { received: Received[] }).received);

  it("relays the end of the bank's page to the checkout as one data-free message, through every hop", async () => {
    const { page, violations } = await shopWithFrame(containerUrl());
    const bankFrame = page.frameLocator('#challenge').frameLocator('#payin-bank');
    await bankFrame.getByRole('button', { name: 'Complete' }).click();
    await page.waitForFunction(
      () => (window as unknown as { received: Received[] }).received.length > 0,
      undefined,
      {
        timeout: 10_000,
      },
    );

    expect(await received(page)).toEqual([
      { origin: vaultUrl, data: { type: 'payin:challenge-complete' }, fromChallengeFrame: true },
    ]);
    // The frame went bank → api → the vault's completion page (CSP allowed each hop).
    const landed = page.frames().find((f) => f.url().startsWith(`${vaultUrl}/v1/challenge/complete`));
    expect(landed?.url()).toContain('payment=pay_1');
    expect(await landed?.locator('p').textContent()).toBe('Retour à la boutique…');
    expect(violations).toEqual([]);
    await page.context().close();
  });

  it("ignores a completion forged by the bank's own page", async () => {
    const { page } = await shopWithFrame(containerUrl());
    const bankFrame = page.frames().find((f) => f.url().startsWith(bank));
    await bankFrame?.evaluate(() => window.parent.postMessage({ type: 'payin:challenge-complete' }, '*'));
    // A message the container relayed would arrive after one more hop: give it time to.
    await page.waitForTimeout(300);
    expect(await received(page)).toEqual([]);
    await page.context().close();
  });

  it('says nothing to a page that frames the completion page itself', async () => {
    const { page } = await shopWithFrame(completeUrl());
    await page.waitForTimeout(300);
    expect(await received(page)).toEqual([]);
    await page.context().close();
  });

  it("opened as the whole window (the full-page fallback), goes on to the merchant's return URL", async () => {
    const page = await (await browser.newContext()).newPage();
    const url = new URL(completeUrl());
    url.searchParams.set('payment', 'pay_1');
    url.searchParams.set('redirect_status', 'failed');
    await page.goto(url.href);
    await page.waitForURL(`${shop}/order/return?payment=pay_1&redirect_status=failed`);
    await page.context().close();
  });

  it('refuses to be opened as the whole window', async () => {
    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(containerUrl());
    expect(response?.status()).toBe(403);
    expect(await page.locator('iframe').count()).toBe(0);
    await page.context().close();
  });
});
