import { createServer } from '@payin/http';
import { createLogger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { createKlarnaRuntime, klarnaEmulator } from '../src/klarna/index.js';

export const USERNAME = 'PK_test_payin';
export const PASSWORD = 'klarna_test_password';
export const AUTH = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;

export interface RunningKlarna {
  url: string;
  app: FastifyInstance;
  runtime: ReturnType<typeof createKlarnaRuntime>;
  close(): Promise<void>;
}

/** The Klarna emulator alone, on a random port, silent; short timers so that tests see them run out. */
export async function startKlarna(
  opts: { authorizationTtlMs?: number; fraudReviewMs?: number; orderLifetimeMs?: number } = {},
): Promise<RunningKlarna> {
  const app = createServer({ logger: createLogger('silent', 'payin-emulators') });
  const runtime = createKlarnaRuntime({ notificationRetryMs: 30, fraudReviewMs: opts.fraudReviewMs ?? 100 });
  let url = '';
  await app.register(klarnaEmulator, {
    ...runtime,
    credentials: [
      { username: USERNAME, password: PASSWORD },
      { username: 'PK_other_merchant', password: 'other' },
    ],
    publicUrl: () => url,
    authorizationTtlMs: opts.authorizationTtlMs,
    orderLifetimeMs: opts.orderLifetimeMs,
  });
  url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('[::1]', 'localhost');
  return {
    url,
    app,
    runtime,
    close: async () => {
      runtime.close();
      await app.close();
    },
  };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** A Klarna API call as a connector makes it: Basic auth, JSON. */
export async function klarna(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  opts: { auth?: string | null; idempotencyKey?: string; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (body !== undefined || opts.raw !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.auth !== null) headers.Authorization = opts.auth ?? AUTH;
  if (opts.idempotencyKey) headers['Klarna-Idempotency-Key'] = opts.idempotencyKey;
  const response = await fetch(`${base}/klarna${path}`, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** A two-line EUR purchase in Germany (19 % VAT included), totals as Klarna checks them. */
export function purchase(extra: Record<string, unknown> = {}) {
  return {
    purchase_country: 'DE',
    purchase_currency: 'EUR',
    locale: 'de-DE',
    order_amount: 11_900,
    order_tax_amount: 1_900,
    order_lines: [
      {
        type: 'physical',
        name: 'Tasse',
        quantity: 2,
        unit_price: 4_760,
        tax_rate: 1_900,
        total_amount: 9_520,
        total_tax_amount: 1_520,
      },
      {
        type: 'shipping_fee',
        name: 'Versand',
        quantity: 1,
        unit_price: 2_380,
        tax_rate: 1_900,
        total_amount: 2_380,
        total_tax_amount: 380,
      },
    ],
    ...extra,
  };
}

export async function control(base: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}/_control/klarna${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

export const merchantUrls = {
  success:
    'https://shop.example/klarna/success?sid={{session_id}}&token={{authorization_token}}&order={{order_id}}',
  cancel: 'https://shop.example/klarna/cancel?sid={{session_id}}',
  back: 'https://shop.example/klarna/back?sid={{session_id}}',
  failure: 'https://shop.example/klarna/failure?sid={{session_id}}',
  error: 'https://shop.example/klarna/error?sid={{session_id}}',
};

/** A KP session hosted on the payment page; answers both ids and the page's URL. */
export async function hostedSession(
  base: string,
  purchaseBody: Record<string, unknown> = purchase(),
  hpp: Record<string, unknown> = {},
) {
  const kp = await klarna(base, 'POST', '/payments/v1/sessions', purchaseBody);
  const created = await klarna(base, 'POST', '/hpp/v1/sessions', {
    payment_session_url: `https://api.playground.klarna.com/payments/v1/sessions/${kp.body.session_id}`,
    merchant_urls: merchantUrls,
    ...hpp,
  });
  return { kpSessionId: kp.body.session_id as string, hpp: created.body, status: created.status };
}

/** The shopper presses a button on the hosted page; answers the redirect. */
export async function pressOnPage(redirectUrl: string, action: string, category = 'pay_later') {
  const response = await fetch(redirectUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action, category }).toString(),
    redirect: 'manual',
  });
  return {
    status: response.status,
    location: response.headers.get('location') ?? '',
    text: await response.text(),
  };
}

/** Session, page, Pay: the authorization token a shopper brings back. */
export async function authorizedToken(base: string, purchaseBody: Record<string, unknown> = purchase()) {
  const { hpp, kpSessionId } = await hostedSession(base, purchaseBody);
  await fetch(hpp.redirect_url);
  const paid = await pressOnPage(hpp.redirect_url, 'pay');
  return {
    token: new URL(paid.location).searchParams.get('token') as string,
    kpSessionId,
    hppSessionId: hpp.session_id as string,
  };
}

/** An order placed from a fresh authorization. */
export async function placedOrder(base: string, purchaseBody: Record<string, unknown> = purchase()) {
  const { token } = await authorizedToken(base, purchaseBody);
  const placed = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchaseBody);
  return placed.body as { order_id: string; fraud_status: string };
}

export const waitFor = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 150 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
};

/** A merchant endpoint that records what Klarna posts to it; `failFirst` answers 500 that many times. */
export async function startReceiver(opts: { failFirst?: number } = {}) {
  const { createServer: createHttpServer } = await import('node:http');
  const received: { path: string; body: any }[] = [];
  let failures = opts.failFirst ?? 0;
  const server = createHttpServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      if (failures > 0) {
        failures -= 1;
        response.writeHead(500).end();
        return;
      }
      received.push({ path: request.url ?? '', body: JSON.parse(text) });
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
