import { verify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { idPrefixes, type ProviderFact } from '@payin/core';
import type { WebhookDelivery } from '../provider.js';
import { DECLINED } from './errors.js';

/**
 * A webhook event as PayPal posts it (notifications_webhooks_v1 `event`): the resource as the
 * Orders or Payments API shows it.
 */
export interface PayPalWebhookEvent {
  id: string;
  event_type: string;
  resource_type?: string;
  create_time?: string;
  resource?: Record<string, unknown>;
}

/** The only algorithm PayPal signs webhooks with. */
export const AUTH_ALGO = 'SHA256withRSA';

/**
 * How old a transmission may be. PayPal retries a delivery for up to three days
 * (https://developer.paypal.com/api/rest/webhooks/rest/), and nothing it documents says a retry
 * is signed anew: a shorter window could refuse a genuine retry for good. A replay inside the
 * window can only repeat an event PayPal did send, and payin stores an event once (its id is the
 * event key); past it, a delivery that leaked (a log, a proxy) is refused.
 */
export const MAX_TRANSMISSION_AGE_MS = 3 * 86_400_000;
/** Clocks disagree a little: a transmission "from the future" is taken this far. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The string PayPal signs: `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body, decimal>`. */
export function signedMessage(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  rawBody: string,
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(Buffer.from(rawBody, 'utf8'))}`;
}

/** PayPal's API hosts, where its signing certificates are published. */
const PAYPAL_CERT_HOSTS = new Set([
  'api.paypal.com',
  'api-m.paypal.com',
  'api.sandbox.paypal.com',
  'api-m.sandbox.paypal.com',
]);
const CERTS_PATH = '/v1/notifications/certs/';

/**
 * Whether a PAYPAL-CERT-URL may be fetched: PayPal's certificate path on one of its API hosts
 * over HTTPS, or on the account's own API base (an emulator, a proxy). Any other URL is refused
 * unread: the header is the sender's to choose, and a certificate from a host they control
 * would verify anything they sign.
 */
export function certUrlAllowed(certUrl: string, endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(certUrl);
  } catch {
    return false;
  }
  if (url.username || url.password || url.search || url.hash) return false;
  if (url.protocol === 'https:' && url.port === '' && PAYPAL_CERT_HOSTS.has(url.hostname)) {
    return url.pathname.startsWith(CERTS_PATH);
  }
  let base: URL;
  try {
    base = new URL(endpoint);
  } catch {
    return false;
  }
  return (
    url.origin === base.origin && url.pathname.startsWith(`${base.pathname.replace(/\/+$/, '')}${CERTS_PATH}`)
  );
}

/**
 * Signing certificates by URL. PayPal publishes each under its own URL and rotates by changing
 * the URL, so one kept is good until it expires; a failed download is not kept.
 */
export class CertificateCache {
  private readonly known = new Map<string, Promise<X509Certificate>>();

  constructor(private readonly max = 32) {}

  get(url: string, fetcher: typeof fetch, timeoutMs: number): Promise<X509Certificate> {
    const cached = this.known.get(url);
    if (cached) return cached;
    const loading = download(url, fetcher, timeoutMs);
    this.known.set(url, loading);
    loading.catch(() => this.known.delete(url));
    // Only allowed URLs get here, so the cache stays small; a bound all the same.
    if (this.known.size > this.max) this.known.delete(this.known.keys().next().value as string);
    return loading;
  }
}

async function download(url: string, fetcher: typeof fetch, timeoutMs: number): Promise<X509Certificate> {
  const response = await fetcher(url, { redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new X509Certificate(text);
}

const certificates = new CertificateCache();

export type Verification =
  | { ok: true; event: PayPalWebhookEvent }
  | { ok: false; status: 400 | 401; code: string; message: string; detail?: string };

const refused = (message: string, detail?: string): Verification => ({
  ok: false,
  status: 401,
  code: 'signature_invalid',
  message,
  ...(detail ? { detail } : {}),
});

/**
 * Verifies a delivery the way PayPal describes for verifying without calling it
 * (https://developer.paypal.com/api/rest/webhooks/rest/#link-selfverificationmethod): the
 * algorithm, a transmission time within the window, a certificate from an allowed URL, valid
 * now, and its key's RSA-SHA256 signature over the signed message made with this account's
 * webhook id and the body's bytes as received.
 */
export async function verifyDelivery(
  account: { endpoint: string; webhookId: string },
  delivery: WebhookDelivery,
  deps: { fetch: typeof fetch; timeoutMs?: number; now?: () => number; certificates?: CertificateCache },
): Promise<Verification> {
  if (!account.webhookId) {
    return refused(
      "This connector account has no webhook_id: set it to the id PayPal shows for payin's webhook URL.",
    );
  }
  const h = delivery.headers;
  const transmissionId = h['paypal-transmission-id'];
  const transmissionTime = h['paypal-transmission-time'];
  const signature = h['paypal-transmission-sig'];
  const certUrl = h['paypal-cert-url'];
  const algo = h['paypal-auth-algo'];
  if (!transmissionId || !transmissionTime || !signature || !certUrl || !algo) {
    return refused(
      'A PayPal webhook carries PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO.',
    );
  }
  if (algo !== AUTH_ALGO) return refused(`PayPal signs webhooks with ${AUTH_ALGO}.`, `auth algo ${algo}`);
  const sentAt = Date.parse(transmissionTime);
  const now = deps.now?.() ?? Date.now();
  if (Number.isNaN(sentAt) || now - sentAt > MAX_TRANSMISSION_AGE_MS || sentAt - now > MAX_CLOCK_SKEW_MS) {
    return refused('The webhook transmission time is out of range.', `transmission time ${transmissionTime}`);
  }
  if (!certUrlAllowed(certUrl, account.endpoint)) {
    return refused("The webhook's certificate URL is not PayPal's.", `cert url ${certUrl}`);
  }
  let certificate: X509Certificate;
  try {
    certificate = await (deps.certificates ?? certificates).get(
      certUrl,
      deps.fetch,
      deps.timeoutMs ?? 10_000,
    );
  } catch (error) {
    return refused(
      "PayPal's signing certificate could not be read.",
      `${certUrl}: ${(error as Error).message}`,
    );
  }
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) {
    return refused("PayPal's signing certificate is not valid now.", `cert url ${certUrl}`);
  }
  const message = signedMessage(transmissionId, transmissionTime, account.webhookId, delivery.rawBody);
  let valid = false;
  try {
    valid = verify(
      'sha256',
      Buffer.from(message, 'utf8'),
      certificate.publicKey,
      Buffer.from(signature, 'base64'),
    );
  } catch {
    valid = false;
  }
  if (!valid) {
    return refused(
      "The webhook is not signed by PayPal for this connector account's webhook_id.",
      `transmission ${transmissionId}`,
    );
  }
  const event = delivery.body as Partial<PayPalWebhookEvent> | null;
  if (typeof event?.id !== 'string' || typeof event.event_type !== 'string') {
    return {
      ok: false,
      status: 400,
      code: 'parameter_invalid',
      message: 'Not a PayPal webhook event: id or event_type is missing.',
    };
  }
  return { ok: true, event: event as PayPalWebhookEvent };
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const isId = (value: string | undefined, kind: keyof typeof idPrefixes): value is string =>
  value?.startsWith(`${idPrefixes[kind]}_`) === true;

/**
 * A stored event as payin's fact. payin's ids come back as PayPal keeps them: the attempt in
 * `custom_id` (every payment of the order carries it), the capture or the refund in
 * `invoice_id` (set on each capture and refund payin asks for; an order's own capture inherits
 * the attempt's). The provider reference is the order, as the attempt records it.
 */
export function paypalFact(payload: unknown): ProviderFact | undefined {
  const event = payload as Partial<PayPalWebhookEvent> | null;
  const resource = event?.resource;
  if (typeof event?.event_type !== 'string' || typeof resource !== 'object' || resource === null)
    return undefined;
  const id = text(resource.id) ?? '';
  const invoice = text(resource.invoice_id);
  const custom = text(resource.custom_id);
  const related = (resource.supplementary_data as { related_ids?: { order_id?: unknown } } | undefined)
    ?.related_ids;
  const orderId = text(related?.order_id) ?? id;
  const status = text(resource.status);
  const reason = text((resource.status_details as { reason?: unknown } | undefined)?.reason);
  const ignored = (why: string): ProviderFact => ({
    kind: 'ignored',
    description: `${event.event_type}: ${why}`,
  });

  switch (event.event_type) {
    case 'PAYMENT.CAPTURE.COMPLETED':
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED': {
      const succeeded = event.event_type === 'PAYMENT.CAPTURE.COMPLETED';
      if (isId(invoice, 'capture')) {
        return {
          kind: 'capture',
          captureId: invoice,
          providerReference: id,
          succeeded,
          ...(succeeded
            ? {}
            : { reason: `PayPal ${status ?? 'declined'} the capture${reason ? ` (${reason})` : ''}` }),
        };
      }
      if (!isId(custom, 'attempt')) return ignored('not a payment of payin');
      return {
        kind: 'authorization',
        attemptId: custom,
        providerReference: orderId,
        succeeded,
        ...(succeeded ? {} : { error: DECLINED }),
      };
    }
    case 'PAYMENT.AUTHORIZATION.CREATED':
      // The order was authorized: settles an authorize whose answer was lost.
      if (!isId(custom, 'attempt')) return ignored('not a payment of payin');
      return { kind: 'authorization', attemptId: custom, providerReference: orderId, succeeded: true };
    case 'PAYMENT.AUTHORIZATION.VOIDED':
      if (!isId(custom, 'attempt')) return ignored('not a payment of payin');
      return { kind: 'cancellation', attemptId: custom, providerReference: orderId, succeeded: true };
    default:
      break;
  }
  // Refund events (PAYMENT.CAPTURE.REFUNDED, and any other whose resource is a refund): payin's
  // refunds carry their id as invoice_id. A reversal PayPal makes on its own names none of them.
  if (event.resource_type === 'refund' || event.event_type === 'PAYMENT.CAPTURE.REFUNDED') {
    if (!isId(invoice, 'refund')) return ignored('not a refund of payin');
    if (status === 'COMPLETED')
      return { kind: 'refund', refundId: invoice, providerReference: id, succeeded: true };
    if (status === 'FAILED' || status === 'CANCELLED') {
      return {
        kind: 'refund',
        refundId: invoice,
        providerReference: id,
        succeeded: false,
        reason: `PayPal answered the refund ${status}${reason ? ` (${reason})` : ''}`,
      };
    }
    return ignored(`refund ${status ?? '(no status)'} is not an outcome yet`);
  }
  return ignored('not acted on');
}
