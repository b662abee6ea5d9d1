import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from '@payin/http';
import { createLogger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { sign } from 'truelayer-signing';
import { TrueLayerEmulator, type TrueLayerSettings, truelayerEmulator } from '../src/truelayer/index.js';

export const CLIENT_ID = 'sandbox-payin-test';
export const CLIENT_SECRET = 'truelayer_test_secret';
export const KID = 'payin-test-kid';
export const MERCHANT_EUR = '5b7adbdf-9e5b-4a0d-9d8b-6a8c2c7d3f01';
export const MERCHANT_GBP = '5b7adbdf-9e5b-4a0d-9d8b-6a8c2c7d3f02';

/** Where the emulator sends shoppers back to and posts webhooks: a small shop server. */
export interface Shop {
  url: string;
  returnUri: string;
  webhooks: { headers: IncomingHttpHeaders; path: string; body: string }[];
  /** Answers 500 to the next N webhooks (to see retries). */
  refuseNext: number;
  close(): Promise<void>;
}

export interface TrueLayerTestbed {
  url: string;
  app: FastifyInstance;
  emulator: TrueLayerEmulator;
  shop: Shop;
  privateKeyPem: string;
  close(): Promise<void>;
}

async function startShop(): Promise<Shop> {
  const shop = { webhooks: [], refuseNext: 0 } as unknown as Shop;
  const server: Server = createHttpServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (request.method === 'POST' && request.url?.startsWith('/webhooks')) {
        if (shop.refuseNext > 0) {
          shop.refuseNext -= 1;
          response.writeHead(500).end();
          return;
        }
        shop.webhooks.push({ headers: request.headers, path: request.url, body });
        response.writeHead(200).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/plain' }).end(`back at ${request.url}`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  shop.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  shop.returnUri = `${shop.url}/checkout/return`;
  shop.close = () => new Promise((done) => server.close(() => done()));
  return shop;
}

/** The TrueLayer emulator on a random port, with one client, its signing key and a shop. */
export async function startTrueLayer(settings: Partial<TrueLayerSettings> = {}): Promise<TrueLayerTestbed> {
  const shop = await startShop();
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const privateKeyPem = keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicKeyPem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  let url = '';
  const emulator = new TrueLayerEmulator({
    publicUrl: () => url,
    clients: [
      {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        returnUris: [shop.returnUri],
        signingKeys: [{ kid: KID, publicKeyPem }],
        merchantAccounts: [
          { id: MERCHANT_EUR, currency: 'EUR' },
          { id: MERCHANT_GBP, currency: 'GBP' },
        ],
        webhookUrl: `${shop.url}/webhooks/truelayer`,
      },
    ],
    timings: { executeDelayMs: 50, settleDelayMs: 50, authorizationExpiryMs: 60_000, refundStepMs: 30 },
    webhookRetryMs: 20,
    paymentAuthorizedWebhook: true,
    ...settings,
  });
  const app = createServer({ logger: createLogger('silent', 'payin-emulators') });
  await app.register(truelayerEmulator, { emulator });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  url = address;
  return {
    url,
    app,
    emulator,
    shop,
    privateKeyPem,
    close: async () => {
      emulator.close();
      await app.close();
      await shop.close();
    },
  };
}

export async function accessToken(bed: TrueLayerTestbed): Promise<string> {
  const response = await fetch(`${bed.url}/truelayer/auth/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'payments',
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/**
 * A Payments API call as a TrueLayer client makes it: bearer token, and on POST an
 * Idempotency-Key and a Tl-Signature over the method, path, that header and the body.
 */
export async function tlApi(
  bed: TrueLayerTestbed,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { idempotencyKey?: string | null; signature?: string | null; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  const text = opts.raw ?? (body === undefined ? '' : JSON.stringify(body));
  if (method === 'POST') {
    headers['Content-Type'] = 'application/json';
    const key = opts.idempotencyKey === undefined ? randomUUID() : opts.idempotencyKey;
    if (key !== null) headers['Idempotency-Key'] = key;
    const signature =
      opts.signature === undefined
        ? sign({
            kid: KID,
            privateKeyPem: bed.privateKeyPem,
            path,
            headers: key === null ? {} : { 'Idempotency-Key': key },
            body: text,
          })
        : opts.signature;
    if (signature !== null) headers['Tl-Signature'] = signature;
  }
  const response = await fetch(`${bed.url}/truelayer/api${path}`, {
    method,
    headers,
    ...(method === 'POST' ? { body: text } : {}),
  });
  const answer = await response.text();
  return {
    status: response.status,
    body: answer ? JSON.parse(answer) : undefined,
    headers: response.headers,
  };
}

export function paymentRequest(extra: Record<string, unknown> = {}) {
  return {
    amount_in_minor: 4990,
    currency: 'EUR',
    payment_method: {
      type: 'bank_transfer',
      provider_selection: { type: 'user_selected', filter: { countries: ['FR', 'ES'] } },
      beneficiary: { type: 'merchant_account', merchant_account_id: MERCHANT_EUR },
    },
    user: { name: 'Jeanne Martin', email: 'jeanne@example.fr', phone: '+33612345678' },
    metadata: { order_id: `order-${randomUUID()}` },
    ...extra,
  };
}

/** Waits until `check` holds (webhooks and timers run on their own). */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  what: string,
): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((done) => setTimeout(done, 20));
  }
  throw new Error(`${what} did not happen`);
}

/** A browser's form submission, read from the page: the form's action and its fields. */
export function formOf(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no form on the page');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = (match[2] as string).replace(/&#(\d+);/g, (_, c) =>
      String.fromCharCode(Number(c)),
    );
  }
  return { action: action.replace(/&#(\d+);/g, (_, c) => String.fromCharCode(Number(c))), fields };
}

/** Submits the page's form with one more field (the button pressed, the bank chosen), following redirects. */
export async function submit(base: string, html: string, extra: Record<string, string>): Promise<Response> {
  const form = formOf(html);
  return fetch(new URL(form.action, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...form.fields, ...extra }),
  });
}
