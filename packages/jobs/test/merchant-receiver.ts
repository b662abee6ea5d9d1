import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@payin/core';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The signature checked out and its timestamp was fresh. */
  verified: boolean;
  /** The `t` of the signature, when it parsed. */
  timestamp: number | null;
  statusSent: number;
}

export interface MerchantReceiver {
  url: string;
  port: number;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

const toleranceSeconds = 5 * 60;

/**
 * Checks a Payin-Signature header the way a merchant's server would: recompute the HMAC over
 * "<t>.<raw body>" with the endpoint secret, compare in constant time, refuse an old t.
 */
export function verifyPayinSignature(
  header: string | undefined,
  rawBody: string,
  secret: string,
  nowSeconds: number,
): { ok: boolean; timestamp: number | null } {
  if (!header) return { ok: false, timestamp: null };
  const parts = header.split(',').map((p) => p.split('=', 2) as [string, string | undefined]);
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t)) return { ok: false, timestamp: null };
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const matches = parts
    .filter(([k]) => k === 'v1')
    .some(([, v]) => {
      const given = Buffer.from(v ?? '', 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return { ok: matches && nowSeconds - t <= toleranceSeconds, timestamp: t };
}

/**
 * A merchant's webhook endpoint on a random port. Valid deliveries get `respond(n)` (n counts
 * the valid ones from 0); invalid ones get 400, as a merchant following the docs would answer.
 */
export async function startMerchantReceiver(opts: {
  secret: () => string;
  clock: Clock;
  respond?: (n: number) => { status: number; body?: string };
}): Promise<MerchantReceiver> {
  const received: ReceivedWebhook[] = [];
  let valid = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['payin-signature'];
      const check = verifyPayinSignature(
        typeof header === 'string' ? header : undefined,
        rawBody,
        opts.secret(),
        Math.floor(opts.clock.now().getTime() / 1000),
      );
      const answer = check.ok
        ? (opts.respond?.(valid++) ?? { status: 200, body: 'ok' })
        : { status: 400, body: 'bad signature' };
      received.push({
        headers: req.headers,
        rawBody,
        verified: check.ok,
        timestamp: check.timestamp,
        statusSent: answer.status,
      });
      res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/payin/webhooks`,
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
