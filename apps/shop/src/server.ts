import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createLogger, type Logger } from '@payin/telemetry';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { addToCart, type CartLine, decodeCart, encodeCart, setQuantity } from './cart.js';
import { defaultMarket, isMarket, type Market, markets } from './catalogue.js';
import type { ShopConfig } from './config.js';
import { PayinServer, price } from './orders.js';
import {
  type CheckoutAssets,
  cartPage,
  checkoutPage,
  notFoundPage,
  orderPage,
  type PageContext,
  productsPage,
} from './pages.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const PUBLIC = join(ROOT, 'apps/shop/public');

export interface RunningShop {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/**
 * The demo shop: a small store of refurbished devices whose server creates payments with its
 * secret key and whose checkout page runs payin's drop-in. Every page sends a strict Content
 * Security Policy: scripts by nonce (and the shop's own files), no inline style, framed by no one.
 */
export async function startShop(config: ShopConfig, opts: { logger?: Logger } = {}): Promise<RunningShop> {
  const logger = opts.logger ?? createLogger(config.logLevel, 'payin-shop');
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;
  const payin = new PayinServer(config.apiUrl, async () => (await config.keys()).secretKey);
  const vaultManifest = cached(60_000, () => fieldsManifest(config.vaultUrl));

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.addHook('onRequest', async (request, reply) => {
    request.nonce = randomBytes(16).toString('base64');
    reply
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'strict-origin-when-cross-origin')
      .header('Cross-Origin-Opener-Policy', 'same-origin');
  });

  const marketOf = (request: FastifyRequest): Market => {
    const chosen = cookie(request, 'shop_market');
    return markets[isMarket(chosen) ? chosen : defaultMarket];
  };
  const cartOf = (request: FastifyRequest) => decodeCart(cookie(request, 'shop_cart'), config.cookieSecret);
  const context = (request: FastifyRequest, cart: CartLine[]): PageContext => ({
    market: marketOf(request),
    cartCount: cart.reduce((n, l) => n + l.quantity, 0),
    nonce: request.nonce,
  });
  const html = (reply: FastifyReply, page: string, csp = pageCsp()) =>
    reply
      .header('Content-Security-Policy', csp)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page);
  const setCart = (reply: FastifyReply, lines: CartLine[]) =>
    reply.header(
      'Set-Cookie',
      cookieHeader('shop_cart', encodeCart(lines, config.cookieSecret), config.secureCookies),
    );

  app.get('/', async (request, reply) => html(reply, productsPage(context(request, cartOf(request)))));

  app.post('/market', async (request, reply) => {
    const { market } = (request.body ?? {}) as { market?: string };
    if (isMarket(market))
      reply.header('Set-Cookie', cookieHeader('shop_market', market, config.secureCookies));
    return reply.redirect(
      request.headers.referer?.startsWith(config.publicUrl) ? request.headers.referer : '/',
      303,
    );
  });

  app.post('/cart', async (request, reply) => {
    const { sku } = (request.body ?? {}) as { sku?: string };
    setCart(reply, addToCart(cartOf(request), String(sku ?? '')));
    return reply.redirect('/cart', 303);
  });

  app.post('/cart/update', async (request, reply) => {
    const { sku, quantity } = (request.body ?? {}) as { sku?: string; quantity?: string };
    const n = Number.parseInt(String(quantity ?? ''), 10);
    setCart(
      reply,
      Number.isInteger(n) ? setQuantity(cartOf(request), String(sku ?? ''), n) : cartOf(request),
    );
    return reply.redirect('/cart', 303);
  });

  app.get('/cart', async (request, reply) => {
    const cart = cartOf(request);
    const { lines, total } = price(cart, marketOf(request));
    return html(reply, cartPage(context(request, cart), lines, total));
  });

  // The order's amount comes from the catalogue here, never from the browser.
  app.post('/checkout', async (request, reply) => {
    const cart = cartOf(request);
    const market = marketOf(request);
    const { lines, total } = price(cart, market);
    if (lines.length === 0) return reply.redirect('/cart', 303);
    const reference = `order_${randomBytes(9).toString('base64url')}`;
    const payment = await payin.createPayment({
      amount: total,
      currency: market.currency,
      country: market.country,
      returnUrl: `${config.publicUrl}/order/return`,
      reference,
      description: lines.map((l) => `${l.quantity} × ${l.product.name}`).join(', '),
    });
    reply.header(
      'Set-Cookie',
      cookieHeader('shop_payment', `${payment.id}.${payment.client_secret}`, config.secureCookies),
    );
    return reply.redirect(`/checkout/${encodeURIComponent(payment.id)}`, 303);
  });

  app.get<{ Params: { id: string } }>('/checkout/:id', async (request, reply) => {
    const cart = cartOf(request);
    const ctx = context(request, cart);
    const [paymentId, clientSecret] = (cookie(request, 'shop_payment') ?? '').split('.');
    if (!paymentId || paymentId !== request.params.id || !clientSecret) return reply.redirect('/cart', 303);
    const { lines, total } = price(cart, ctx.market);
    const keys = await config.keys();
    const assets: CheckoutAssets = {
      fields: await vaultManifest(),
      checkout: checkoutAssets(config.checkoutDist),
    };
    const page = checkoutPage(
      ctx,
      lines,
      total,
      {
        apiUrl: config.browserApiUrl,
        vaultUrl: config.vaultUrl,
        publishableKey: keys.publishableKey,
        paymentId,
        clientSecret,
        locale: ctx.market.locale,
        returnUrl: `${config.publicUrl}/order/return`,
      },
      assets,
    );
    return html(reply, page, checkoutCsp(request.nonce, config));
  });

  // Where payin sends the shopper back (3-D Secure, a provider's page), and where the drop-in
  // goes once paid.
  app.get<{ Querystring: { payment?: string } }>('/order/return', async (request, reply) => {
    const [mine] = (cookie(request, 'shop_payment') ?? '').split('.');
    const id = request.query.payment;
    const order = id && id === mine ? await payin.payment(id) : undefined;
    // Refused on the bank's or the provider's page (or cancelled there): back to the checkout,
    // where the drop-in shows why and the shopper tries again with the same order. On its way
    // (a bank transfer executing, a review) or not finished: back to the checkout too, which
    // says so and reads the payment until it settles, then comes here paid.
    if (
      order?.status === 'requires_payment_method' ||
      order?.status === 'processing' ||
      order?.status === 'requires_action'
    ) {
      return reply.redirect(`/checkout/${encodeURIComponent(order.id)}`, 303);
    }
    const paid = order && (order.status === 'succeeded' || order.status === 'requires_capture');
    if (paid) setCart(reply, []);
    return html(reply, orderPage(context(request, paid ? [] : cartOf(request)), order));
  });

  app.get('/assets/shop.css', async (_request, reply) =>
    staticFile(reply, join(PUBLIC, 'shop.css'), 'text/css'),
  );
  app.get('/assets/checkout-page.js', async (_request, reply) =>
    staticFile(reply, join(PUBLIC, 'checkout-page.js'), 'text/javascript'),
  );
  app.get('/assets/design-system.css', async (_request, reply) =>
    staticFile(reply, join(ROOT, 'packages/design-system/styles.css'), 'text/css'),
  );
  app.get<{ Params: { file: string } }>('/assets/checkout/:file', async (request, reply) => {
    const file = request.params.file;
    if (!/^[\w.-]+\.(js|css)$/.test(file)) return reply.code(404).send();
    return staticFile(
      reply,
      join(config.checkoutDist, file),
      file.endsWith('.js') ? 'text/javascript' : 'text/css',
    );
  });
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.setNotFoundHandler((request, reply) =>
    html(reply.code(404), notFoundPage(context(request, cartOf(request)))),
  );

  const address = await app.listen({ port: config.port, host: config.host });
  return {
    app,
    url: address.replace('[::1]', 'localhost'),
    close: () => app.close(),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    nonce: string;
  }
}

/** Pages without payment: nothing but the shop's own styles and forms. */
function pageCsp(): string {
  return "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
}

/**
 * The checkout page: scripts by this page's nonce (the vault's fields script, the page's
 * module) and the shop's own files (the drop-in the module imports); payin's api for fetches;
 * the vault's origin as the only frame. No unsafe-inline, no unsafe-eval.
 */
export function checkoutCsp(nonce: string, config: Pick<ShopConfig, 'browserApiUrl' | 'vaultUrl'>): string {
  const api = new URL(config.browserApiUrl).origin;
  const vault = new URL(config.vaultUrl).origin;
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}' 'self'`,
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${api}`,
    `frame-src ${vault}`,
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function cookieHeader(name: string, value: string, secure: boolean): string {
  return `${name}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400${secure ? '; Secure' : ''}`;
}

/**
 * The shop's files, gzipped for browsers that take it: the drop-in's 40 KB budget is its gzip
 * size, and sent raw it is more than twice that on a phone's network. The gzipped bytes are kept
 * per file until the file changes (`npm start` rebuilds the drop-in).
 */
const gzipped = new Map<string, { mtimeMs: number; body: Buffer }>();

function staticFile(reply: FastifyReply, path: string, type: string) {
  if (!existsSync(path)) return reply.code(404).send();
  reply.type(`${type}; charset=utf-8`).header('Cache-Control', 'no-cache').header('Vary', 'Accept-Encoding');
  if (!/\bgzip\b/.test(String(reply.request.headers['accept-encoding'] ?? '')))
    return reply.send(readFileSync(path));
  const { mtimeMs } = statSync(path);
  let file = gzipped.get(path);
  if (file?.mtimeMs !== mtimeMs) {
    file = { mtimeMs, body: gzipSync(readFileSync(path), { level: 9 }) };
    gzipped.set(path, file);
  }
  return reply.header('Content-Encoding', 'gzip').send(file.body);
}

/** The vault's fields script and its SRI hash, as the vault publishes them. */
async function fieldsManifest(vaultUrl: string): Promise<CheckoutAssets['fields']> {
  try {
    const response = await fetch(`${vaultUrl}/fields/v1/manifest.json`);
    if (!response.ok) return undefined;
    const manifest = (await response.json()) as { script: string; integrity: string };
    return { src: `${vaultUrl}${manifest.script}`, integrity: manifest.integrity };
  } catch {
    return undefined;
  }
}

/**
 * The drop-in's files and SRI hashes from its build's manifest (`npm run build` makes them): the
 * entry, its stylesheet, and the chunks it imports when the shopper needs them (pinned through
 * the page's import map).
 */
function checkoutAssets(dist: string): CheckoutAssets['checkout'] {
  const file = join(dist, 'manifest.json');
  if (!existsSync(file)) return undefined;
  type Entry = { file?: string; integrity?: string };
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry | Entry[]>;
  const entries = Object.values(manifest).filter((e): e is Entry => !Array.isArray(e));
  const js = (manifest.script as Entry | undefined) ?? entries.find((e) => e.file?.endsWith('.js'));
  const css = (manifest.style as Entry | undefined) ?? entries.find((e) => e.file?.endsWith('.css'));
  if (!js?.file || !js.integrity || !css?.file || !css.integrity) return undefined;
  const chunks = Array.isArray(manifest.chunks) ? manifest.chunks : [];
  return {
    js: `/assets/checkout/${js.file}`,
    jsIntegrity: js.integrity,
    css: `/assets/checkout/${css.file}`,
    cssIntegrity: css.integrity,
    chunks: chunks
      .filter((c): c is Required<Entry> => Boolean(c.file && c.integrity))
      .map((c) => ({ src: `/assets/checkout/${c.file}`, integrity: c.integrity })),
  };
}

/** A value fetched at most once per `ttlMs`; a failure is not kept. */
function cached<T>(ttlMs: number, load: () => Promise<T | undefined>): () => Promise<T | undefined> {
  let value: T | undefined;
  let at = 0;
  return async () => {
    if (value !== undefined && Date.now() - at < ttlMs) return value;
    value = await load();
    at = Date.now();
    return value;
  };
}
