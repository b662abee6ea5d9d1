import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Browser, chromium, type Frame, type FrameLocator, type Page } from 'playwright-core';
import { describe } from 'vitest';
import {
  availableBrands,
  brandRules,
  type CardBrand,
  cvcValid,
  detectBrand,
  expiryState,
  panState,
} from '../src/cards/index.js';
import { loadFieldAssets } from '../src/fields/assets.js';
import { fieldsRoutes } from '../src/fields/routes.js';

export const CHROMIUM = '/usr/bin/chromium';
const browserInstalled = existsSync(CHROMIUM);
if (!browserInstalled) {
  const help = `Chromium is not installed at ${CHROMIUM}; install it with: apt-get install -y chromium`;
  if (process.env.PAYIN_REQUIRE_BROWSER === '1') {
    throw new Error(`${help} (PAYIN_REQUIRE_BROWSER=1 makes the browser suites mandatory)`);
  }
  console.warn(`[vault e2e] skipped: ${help}`);
}
/** `describe` when Chromium is there, `describe.skip` (after the warning above) when not. */
export const describeInBrowser = browserInstalled ? describe : describe.skip;

export const PUBLISHABLE_KEY = 'pk_test_e2eFieldsKey';

export interface TokenRequest {
  origin: string | undefined;
  fetchSite: string | undefined;
  authorization: string | undefined;
  body: { card: Record<string, unknown>; parent_origin: string };
}

export interface Harness {
  browser: Browser;
  vault: FastifyInstance;
  vaultUrl: string;
  /** The merchant's page origin, registered for the key (http://127.0.0.1:…). */
  shopOrigin: string;
  /** Another origin, registered nowhere. */
  strangerOrigin: string;
  /** Every `POST /v1/tokens` the vault received. */
  tokenRequests: TokenRequest[];
  close(): Promise<void>;
}

type TokenError = { status: number; type: string; code: string; message: string; param?: string };

/**
 * THE TEST'S STAND-IN for the vault's `POST /v1/tokens` (the real one lives in the vault
 * server): it checks the contract's request with the cards module and answers the contract's
 * shapes, so that the fields can be driven end to end before the server exists. A CVC of 000
 * plays an issuer's refusal of the code.
 */
function standInTokens(app: FastifyInstance, shopOrigin: string, requests: TokenRequest[]): void {
  app.post('/v1/tokens', async (request, reply) => {
    const body = request.body as TokenRequest['body'];
    requests.push({
      origin: request.headers.origin,
      fetchSite: request.headers['sec-fetch-site'] as string | undefined,
      authorization: request.headers.authorization,
      body,
    });
    const refuse = (e: TokenError) =>
      reply
        .code(e.status)
        .send({ error: { type: e.type, code: e.code, message: e.message, param: e.param } });
    if (request.headers.authorization !== `Bearer ${PUBLISHABLE_KEY}`) {
      return refuse({
        status: 401,
        type: 'authentication_error',
        code: 'invalid_api_key',
        message: 'Bad key.',
      });
    }
    if (body.parent_origin !== shopOrigin) {
      const message = 'Origin not allowed.';
      return refuse({ status: 403, type: 'invalid_request_error', code: 'origin_not_allowed', message });
    }
    const card = body.card as {
      number: string;
      exp_month: number;
      exp_year: number;
      cvc?: string;
      holder_name?: string;
      brand?: CardBrand;
    };
    const invalid = (code: string, param: string) =>
      refuse({ status: 400, type: 'invalid_request_error', code, message: `Refused: ${code}.`, param });
    if (panState(card.number) !== 'valid') return invalid('invalid_number', 'card[number]');
    const expiry = expiryState(card.exp_month, card.exp_year);
    if (expiry === 'expired') return invalid('expired_card', 'card[exp_month]');
    if (expiry === 'invalid') return invalid('invalid_expiry_year', 'card[exp_year]');
    const network = detectBrand(card.number);
    if (card.cvc !== undefined && (!cvcValid(card.cvc, network) || card.cvc === '000')) {
      return invalid('invalid_cvc', 'card[cvc]');
    }
    const offered = availableBrands(card.number);
    if (card.brand && !offered.includes(card.brand)) return invalid('invalid_brand', 'card[brand]');
    return reply.code(201).send({
      id: `tok_${Math.random().toString(36).slice(2, 14)}`,
      object: 'token',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      card: {
        brand: card.brand ?? offered[0],
        available_brands: offered,
        bin: card.number.slice(0, 6),
        last4: card.number.slice(-4),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        funding: 'credit',
        country: null,
        fingerprint: 'fp_standin',
        cvc_provided: card.cvc !== undefined,
        cvc_length: network ? brandRules[network].cvcLength : null,
      },
    });
  });
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function shopPage(vaultUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test shop</title></head>
<body><main><h1>Checkout</h1>
<button id="before" type="button">Before</button>
<div id="number"></div><div id="expiry"></div><div id="cvc"></div><div id="holder"></div>
<button id="after" type="button">Pay</button>
</main><script src="${vaultUrl}/fields/v1/payin-fields.js"></script></body></html>`;
}

/** Headless Chromium as this machine runs it: no sandbox (root), no network of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A shop page on 127.0.0.1 loading payin-fields.js from `vaultUrl`; resolves with its origin. */
export async function startShop(vaultUrl: string): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(shopPage(vaultUrl));
  });
  return { origin: `http://127.0.0.1:${await listen(server)}`, server };
}

/** Starts the vault (localhost), the shop (127.0.0.1) and a stranger (127.0.0.1, other port). */
export async function startHarness(): Promise<Harness> {
  const tokenRequests: TokenRequest[] = [];
  const shop = createServer();
  const stranger = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><html lang="en"><head><title>Stranger</title></head><body></body></html>');
  });
  const shopOrigin = `http://127.0.0.1:${await listen(shop)}`;
  const strangerOrigin = `http://127.0.0.1:${await listen(stranger)}`;

  const vault = Fastify({ logger: false });
  const assets = await loadFieldAssets();
  await vault.register(
    fieldsRoutes({
      assets,
      resolveMerchant: async (key) =>
        key === PUBLISHABLE_KEY
          ? { merchantId: 'mer_e2e', livemode: false, allowedOrigins: [shopOrigin] }
          : null,
    }),
  );
  standInTokens(vault, shopOrigin, tokenRequests);
  await vault.listen({ port: 0, host: '127.0.0.1' });
  const vaultUrl = `http://localhost:${(vault.server.address() as AddressInfo).port}`;
  shop.on('request', (_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(shopPage(vaultUrl));
  });

  const browser = await launchChromium();
  return {
    browser,
    vault,
    vaultUrl,
    shopOrigin,
    strangerOrigin,
    tokenRequests,
    async close() {
      await browser.close();
      await vault.close();
      shop.close();
      stranger.close();
    },
  };
}

export interface MountArgs {
  publishableKey?: string;
  locale?: string;
  holderName?: boolean;
  /** Every field in one container (`#number`): the card in one frame. */
  oneFrame?: boolean;
  hideLabels?: boolean;
  labels?: Record<string, string>;
  appearance?: Record<string, string>;
}

type Recorded = { name: string; field?: string; [key: string]: unknown };

/**
 * Opens the shop in a fresh context, records every message its window and its ports receive,
 * mounts the fields and waits for each frame's `ready`.
 */
export async function openShop(
  h: Pick<Harness, 'browser' | 'shopOrigin' | 'vaultUrl'>,
  args: MountArgs = {},
): Promise<Page> {
  const context = await h.browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    if (window.top !== window) return;
    const seen: string[] = [];
    (window as unknown as { received: string[] }).received = seen;
    window.addEventListener('message', (e) => seen.push(JSON.stringify(e.data)), true);
    const onmessage = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      get() {
        return onmessage?.get?.call(this);
      },
      set(handler: (e: MessageEvent) => void) {
        onmessage?.set?.call(this, (e: MessageEvent) => {
          seen.push(JSON.stringify(e.data));
          handler.call(this, e);
        });
      },
    });
  });
  await page.goto(h.shopOrigin);
  await page.evaluate(
    ({ vaultUrl, key, args }) => {
      const w = window as unknown as {
        PayinFields: { mount(o: unknown): { on(n: string, f: (p: object) => void): void } };
        fields: unknown;
        events: Recorded[];
      };
      w.events = [];
      const fields = w.PayinFields.mount({
        vaultUrl,
        publishableKey: key,
        locale: args.locale,
        hideLabels: args.hideLabels,
        labels: args.labels,
        appearance: args.appearance,
        fields: {
          number: '#number',
          expiry: args.oneFrame ? '#number' : '#expiry',
          cvc: args.oneFrame ? '#number' : '#cvc',
          ...(args.holderName ? { holderName: args.oneFrame ? '#number' : '#holder' } : {}),
        },
      });
      for (const name of ['ready', 'change', 'focus', 'blur', 'brand', 'validity']) {
        fields.on(name, (payload) => w.events.push({ name, ...payload }));
      }
      w.fields = fields;
    },
    { vaultUrl: h.vaultUrl, key: args.publishableKey ?? PUBLISHABLE_KEY, args },
  );
  const count = args.holderName ? 4 : 3;
  await page.waitForFunction(
    (n) =>
      (window as unknown as { events: Recorded[] }).events.filter((e) => e.name === 'ready').length === n,
    count,
  );
  return page;
}

export const fieldFrame = (page: Page, field: string): FrameLocator =>
  page.frameLocator(`iframe[src*="fields=${field}&"]`);

/** The frame of a mount with `oneFrame`: the card's fields are `#input-number`, `#input-expiry`… */
export const cardFrame = (page: Page): FrameLocator => page.frameLocator('iframe[src*="fields=number%2C"]');

export function frameOf(page: Page, field: string): Frame {
  const frame = page.frames().find((f) => f.url().includes(`fields=${field}&`));
  if (!frame) throw new Error(`no ${field} frame`);
  return frame;
}

export const events = (page: Page): Promise<Recorded[]> =>
  page.evaluate(() => (window as unknown as { events: Recorded[] }).events);

export const received = (page: Page): Promise<string[]> =>
  page.evaluate(() => (window as unknown as { received: string[] }).received);

/** Calls `fields.tokenize()` in the shop and returns what it resolved or rejected with. */
export const tokenize = (
  page: Page,
): Promise<{ token?: Record<string, unknown>; error?: Record<string, unknown> }> =>
  page.evaluate(async () => {
    const fields = (window as unknown as { fields: { tokenize(): Promise<Record<string, unknown>> } }).fields;
    try {
      return { token: await fields.tokenize() };
    } catch (error) {
      return { error: error as Record<string, unknown> };
    }
  });

/** Fills the expiry (a date two years ahead), the CVC and, when mounted, the holder name. */
export async function fillRest(page: Page, cvc = '123', holderName?: string): Promise<string> {
  const yy = String((new Date().getFullYear() + 2) % 100).padStart(2, '0');
  await fieldFrame(page, 'expiry').locator('input').pressSequentially(`12${yy}`);
  await fieldFrame(page, 'cvc').locator('input').pressSequentially(cvc);
  if (holderName) await fieldFrame(page, 'holder_name').locator('input').pressSequentially(holderName);
  return yy;
}
