import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { Agent, type Dispatcher, request } from 'undici';

/** Connect, headers and body together: a slow endpoint holds one delivery slot at most this long. */
export const webhookTimeoutMs = 10_000;

/** Only the start of a response is kept: enough to debug an endpoint, not a place to store pages. */
export const responseBodyLimitBytes = 1024;

export interface WebhookPost {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Live mode: the checked address the connection must use, whatever DNS says now. */
  pinnedAddress: LookupAddress | null;
  timeoutMs?: number;
}

export interface WebhookResponse {
  statusCode: number;
  /** First bytes of the response body, as text. */
  body: string;
}

/**
 * A `lookup` for net/tls.connect that answers with `address` whatever the host name: the socket
 * goes to the IP the SSRF guard approved, while TLS still verifies the certificate against the
 * URL's host name (undici passes it as servername).
 */
export function pinnedLookup(pinned: LookupAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks for every address (all: true) when it races IPv4 and IPv6 (autoSelectFamily).
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

let testModeAgent: Agent | undefined;

/** Test-mode endpoints share one keep-alive pool; live ones get a pool pinned to their address. */
function dispatcherFor(post: WebhookPost, timeoutMs: number): { dispatcher: Dispatcher; owned: boolean } {
  if (post.pinnedAddress) {
    const agent = new Agent({ connect: { timeout: timeoutMs, lookup: pinnedLookup(post.pinnedAddress) } });
    return { dispatcher: agent, owned: true };
  }
  testModeAgent ??= new Agent({ connect: { timeout: timeoutMs } });
  return { dispatcher: testModeAgent, owned: false };
}

/** POSTs a webhook; resolves with any HTTP answer, rejects on network errors and timeouts. */
export async function postWebhook(post: WebhookPost): Promise<WebhookResponse> {
  const timeoutMs = post.timeoutMs ?? webhookTimeoutMs;
  const { dispatcher, owned } = dispatcherFor(post, timeoutMs);
  try {
    const res = await request(post.url, {
      method: 'POST',
      headers: post.headers,
      body: post.body,
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { statusCode: res.statusCode, body: await readStart(res.body) };
  } finally {
    if (owned) await dispatcher.destroy();
  }
}

async function readStart(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early destroys the stream: the rest of a large body is never downloaded.
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= responseBodyLimitBytes) break;
  }
  // PostgreSQL text cannot hold NUL characters; a binary answer must not make the insert fail.
  return Buffer.concat(chunks).subarray(0, responseBodyLimitBytes).toString('utf8').replaceAll('\u0000', '');
}
