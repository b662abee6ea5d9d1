import type { ProviderFact } from '@payin/core';
import type { TrueLayerWebhook } from '@payin/provider-wire/truelayer';
import { extractJku, extractKid, type HttpMethod, verify } from 'truelayer-signing';
import type { ConnectorDeps, OpenedConnectorAccount, WebhookDelivery, WebhookReading } from '../provider.js';
import { jwksHostsOf, TRUELAYER_HOSTS } from './account.js';
import { METADATA, paymentError } from './transformers.js';

/**
 * TrueLayer's webhooks (docs.truelayer.com/docs/verify-the-signature-of-a-payment-webhook): a
 * detached ES512 JWS in `Tl-Signature` over `POST`, the path of payin's webhook URL, the
 * `X-TL-Webhook-Timestamp` header and the body, by a key TrueLayer publishes at the signature's
 * `jku`. The `jku` is the sender's to write: only TrueLayer's own JWKS URL (and hosts the account
 * names, the emulator's) are fetched, else anyone could sign with a key of their own.
 */

const JWKS_PATH = '/.well-known/jwks';

/** The host part of a `jwks_hosts` entry, given as a host (`localhost:4100`) or a URL. */
function hostOf(entry: string): string {
  try {
    return entry.includes('://') ? new URL(entry).host : entry.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Whether a `jku` may be fetched: TrueLayer's JWKS URL of the account's mode over https (a live
 * account trusts no sandbox key), or any URL on a host the account allows besides.
 */
export function jkuAllowed(jku: string, opts: { livemode: boolean; jwksHosts: readonly string[] }): boolean {
  let url: URL;
  try {
    url = new URL(jku);
  } catch {
    return false;
  }
  if (url.username || url.password || (url.protocol !== 'https:' && url.protocol !== 'http:')) return false;
  const truelayer = (opts.livemode ? TRUELAYER_HOSTS.live : TRUELAYER_HOSTS.test).webhooks;
  if (url.protocol === 'https:' && url.host === truelayer && url.pathname === JWKS_PATH && !url.search) {
    return true;
  }
  return opts.jwksHosts.some((entry) => hostOf(entry) === url.host);
}

/** How long fetched keys are trusted before they are fetched again. */
const JWKS_TTL_MS = 15 * 60_000;
/** A signature by a key not in the cached set refetches it (a rotation), at most this often. */
const JWKS_REFETCH_MS = 60_000;

interface CachedJwks {
  text: Promise<string | undefined>;
  at: number;
}

/** Fetched key sets by URL, shared by every account: the keys are TrueLayer's, not the merchant's. */
const jwksCache = new Map<string, CachedJwks>();

/** Forgets the cached key sets (tests). */
export function clearJwksCache(): void {
  jwksCache.clear();
}

async function fetchJwks(
  url: string,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const response = await fetchImpl(url, {
      headers: { Accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const text = await response.text();
    const keys = (JSON.parse(text) as { keys?: unknown }).keys;
    return Array.isArray(keys) ? text : undefined;
  } catch {
    return undefined;
  }
}

const hasKid = (jwks: string, kid: string) =>
  ((JSON.parse(jwks) as { keys: { kid?: string }[] }).keys ?? []).some((key) => key.kid === kid);

/** The key set at `url` holding `kid`: from the cache, else fetched (once at a time per URL). */
async function jwksFor(url: string, kid: string, deps: ConnectorDeps): Promise<string | undefined> {
  const now = Date.now();
  const load = () => {
    const entry = { text: fetchJwks(url, deps.fetch ?? fetch, deps.timeoutMs ?? 10_000), at: now };
    jwksCache.set(url, entry);
    // A failed fetch is not kept: the next delivery tries again.
    void entry.text.then((text) => {
      if (text === undefined && jwksCache.get(url) === entry) jwksCache.delete(url);
    });
    return entry.text;
  };
  const cached = jwksCache.get(url);
  if (!cached || now - cached.at > JWKS_TTL_MS) return load();
  const text = await cached.text;
  if (text !== undefined && hasKid(text, kid)) return text;
  return now - cached.at > JWKS_REFETCH_MS ? load() : text;
}

/**
 * The path TrueLayer signed: that of payin's webhook URL for the account, as Console holds it
 * (`/webhooks/truelayer/<account>` unless payin is served under a prefix).
 */
export function webhookPath(account: Pick<OpenedConnectorAccount, 'id'>, deps: ConnectorDeps): string {
  if (deps.webhookUrl) return new URL(deps.webhookUrl).pathname;
  return `/webhooks/truelayer/${encodeURIComponent(account.id)}`;
}

const refuse = (code: string, message: string, detail?: string): WebhookReading => ({
  ok: false,
  status: 401,
  code,
  message,
  ...(detail ? { detail } : {}),
});

/** Checks a delivery's signature and reads its event; nothing of a delivery that fails is kept. */
export async function readTrueLayerWebhook(
  account: Pick<OpenedConnectorAccount, 'id' | 'livemode' | 'settings'>,
  delivery: WebhookDelivery,
  deps: ConnectorDeps,
): Promise<WebhookReading> {
  const signature = delivery.headers['tl-signature'];
  if (!signature) return refuse('signature_missing', 'The Tl-Signature header is missing.');
  let jku: string | undefined;
  let kid: string;
  try {
    jku = extractJku(signature);
    kid = extractKid(signature);
  } catch (error) {
    return refuse(
      'signature_invalid',
      'The Tl-Signature header is not a TrueLayer signature.',
      String(error),
    );
  }
  const jwksHosts = jwksHostsOf(account.livemode, account.settings);
  if (!jku || !jkuAllowed(jku, { livemode: account.livemode, jwksHosts })) {
    return refuse(
      'signature_invalid',
      "The signature's key is not published by TrueLayer.",
      `jku not allowed: ${jku ?? 'none'}`,
    );
  }
  const jwks = await jwksFor(jku, kid, deps);
  if (!jwks) {
    // Not the sender's fault, but unverified: refused, and TrueLayer delivers it again later.
    return refuse('signature_invalid', 'The signing keys could not be fetched to verify the signature.', jku);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(delivery.headers))
    if (value !== undefined) headers[name] = value;
  try {
    verify({
      jwks,
      signature,
      method: 'POST' as HttpMethod,
      path: webhookPath(account, deps),
      body: delivery.rawBody,
      headers,
      requiredHeaders: ['X-TL-Webhook-Timestamp'],
    });
  } catch (error) {
    return refuse(
      'signature_invalid',
      'The webhook is not signed by TrueLayer for this URL.',
      `${(error as Error).message} (kid ${kid})`,
    );
  }
  let event: Partial<TrueLayerWebhook> | undefined;
  try {
    event = JSON.parse(delivery.rawBody) as Partial<TrueLayerWebhook>;
  } catch {
    event = undefined;
  }
  if (typeof event?.type !== 'string' || typeof event.event_id !== 'string' || event.event_id === '') {
    return { ok: false, status: 400, code: 'parameter_invalid', message: 'Not a TrueLayer webhook event.' };
  }
  // The event id alone: TrueLayer stamps each retry of an event anew (X-TL-Webhook-Timestamp), and
  // its docs say to deduplicate on event_id.
  return { ok: true, notifications: [{ eventKey: event.event_id, payload: event }] };
}

/**
 * A stored event as payin's fact. payin writes its attempt id in a payment's metadata and its
 * refund id in a refund's, and TrueLayer echoes them: an event without them is about a payment
 * made some other way (another integration on the same TrueLayer client).
 */
export function truelayerFact(payload: unknown): ProviderFact | undefined {
  const event = payload as TrueLayerWebhook | undefined;
  if (typeof event?.type !== 'string' || typeof event.event_id !== 'string') return undefined;
  const metadata = event.metadata ?? {};
  switch (event.type) {
    case 'payment_executed':
    case 'payment_settled':
    case 'payment_failed': {
      if (typeof event.payment_id !== 'string') return undefined;
      const attemptId = metadata[METADATA.attempt];
      if (!attemptId)
        return { kind: 'ignored', description: `${event.type} of a payment payin did not make` };
      if (event.type !== 'payment_failed') {
        // Executed: the payer's bank accepted the transfer; settled repeats it once the money is in.
        return { kind: 'authorization', attemptId, providerReference: event.payment_id, succeeded: true };
      }
      return {
        kind: 'authorization',
        attemptId,
        providerReference: event.payment_id,
        succeeded: false,
        error: paymentError(event.failure_reason),
      };
    }
    case 'refund_executed':
    case 'refund_failed': {
      if (typeof event.refund_id !== 'string') return undefined;
      const refundId = metadata[METADATA.refund];
      if (!refundId) return { kind: 'ignored', description: `${event.type} of a refund payin did not make` };
      return event.type === 'refund_executed'
        ? { kind: 'refund', refundId, providerReference: event.refund_id, succeeded: true }
        : {
            kind: 'refund',
            refundId,
            providerReference: event.refund_id,
            succeeded: false,
            reason: event.failure_reason || 'refund_failed',
          };
    }
    default:
      // payment_authorized among others: the bank may still refuse to execute.
      return { kind: 'ignored', description: `${event.type} is not acted on` };
  }
}
