import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { connect, type Server } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { createServer } from '@payin/http';
import { createLogger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import type { PayPalFaults } from '../src/paypal/faults.js';
import { createPayPalParts, type PayPalCall, paypalEmulator } from '../src/paypal/index.js';
import type { PayPalState } from '../src/paypal/state.js';
import type { PayPalWebhookSender } from '../src/paypal/webhooks.js';

export const CLIENT_ID = 'payin-sandbox-client';
export const CLIENT_SECRET = 'payin-sandbox-secret';

export interface RunningPayPal {
  app: FastifyInstance;
  url: string;
  state: PayPalState;
  faults: PayPalFaults;
  webhooks: PayPalWebhookSender;
  close(): Promise<void>;
}

/** The PayPal emulator alone on a random port, silent, registered as the emulators' server will. */
export async function startPayPal(
  opts: { pendingCaptureMs?: number; observe?: (call: PayPalCall) => void } = {},
): Promise<RunningPayPal> {
  const app = createServer({ logger: createLogger('silent', 'payin-emulators') });
  let url = '';
  const publicUrl = () => url;
  const parts = createPayPalParts({ publicUrl, webhookRetryMs: 20 });
  await app.register(paypalEmulator, {
    ...parts,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    publicUrl,
    pendingCaptureMs: opts.pendingCaptureMs,
    observe: opts.observe,
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    url,
    ...parts,
    close: async () => {
      parts.webhooks.close();
      await app.close();
    },
  };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export async function accessToken(base: string): Promise<string> {
  const response = await fetch(`${base}/paypal/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One call to the emulator's PayPal API under /paypal, as a connector makes it. */
export async function paypal(
  base: string,
  token: string | null,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  opts: { requestId?: string; prefer?: 'return=minimal' | 'return=representation'; raw?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (method === 'POST') headers['Content-Type'] = 'application/json';
  if (opts.requestId) headers['PayPal-Request-Id'] = opts.requestId;
  if (opts.prefer) headers.Prefer = opts.prefer;
  const response = await fetch(`${base}/paypal${path}`, {
    method,
    headers,
    body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** An order as a shop creates it: PayPal wallet with experience_context, one purchase unit. */
export function orderRequest(unit: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    intent: 'CAPTURE',
    purchase_units: [
      {
        reference_id: 'default',
        amount: { currency_code: 'EUR', value: '49.90' },
        custom_id: `pay_${Math.random().toString(36).slice(2)}`,
        invoice_id: `inv_${Math.random().toString(36).slice(2)}`,
        ...unit,
      },
    ],
    payment_source: {
      paypal: {
        experience_context: {
          return_url: 'https://shop.example/paypal/return',
          cancel_url: 'https://shop.example/paypal/cancel',
          brand_name: 'Shop Example',
        },
      },
    },
    ...extra,
  };
}

/** The approval link of an order answer (`payer-action`, or `approve` for the older flow). */
export const approvalLink = (order: { links: { rel: string; href: string }[] }) =>
  order.links.find((l) => l.rel === 'payer-action' || l.rel === 'approve')?.href as string;

/**
 * What the buyer's browser does on the approval page: loads it, then submits its form with the
 * chosen button (and test payer). Answers the form's response, redirects not followed.
 */
export async function submitApproval(
  approvalUrl: string,
  action: 'pay' | 'cancel',
  payer?: 'approve' | 'declined' | 'pending',
): Promise<Response> {
  const page = await (await fetch(approvalUrl)).text();
  const formAction = /<form method="post" action="([^"]+)"/.exec(page)?.[1]?.replace(/&#38;/g, '&');
  if (!formAction) throw new Error('no form on the approval page');
  const selected = /<option value="(\w+)" selected>/.exec(page)?.[1] ?? 'approve';
  const form = new URLSearchParams({ payer: payer ?? selected, action });
  return fetch(new URL(formAction, approvalUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
}

/** Creates an order and has the buyer approve it; answers the order id and the redirect. */
export async function approvedOrder(
  base: string,
  token: string,
  payer: 'approve' | 'declined' | 'pending' = 'approve',
  unit: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) {
  const created = await paypal(base, token, 'POST', '/v2/checkout/orders', orderRequest(unit, extra));
  if (created.status !== 201) throw new Error(`order not created: ${JSON.stringify(created.body)}`);
  const approval = await submitApproval(approvalLink(created.body), 'pay', payer);
  return { id: created.body.id as string, created, approval };
}

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), 'fixtures/paypal');

/**
 * A TLS front for the emulator, as a load balancer would be: it presents a test certificate for
 * api-m.sandbox.paypal.com and passes the decrypted bytes to the emulator's HTTP port, so a
 * client pinned to that certificate reaches the emulator at PayPal's own host name.
 */
export async function startSandboxTls(
  targetPort: number,
): Promise<{ port: number; ca: string; close(): Promise<void> }> {
  const ca = readFileSync(resolve(FIXTURES, 'sandbox-tls.crt'), 'utf8');
  const server: Server = createTlsServer(
    { key: readFileSync(resolve(FIXTURES, 'sandbox-tls.key'), 'utf8'), cert: ca },
    (socket) => {
      const upstream = connect(targetPort, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    },
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    ca,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
