import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How payin's processes prove to each other who is calling (the api to the vault, the vault to
 * the api): each request carries
 *
 *   Payin-Service-Signature: t=<unix seconds>,n=<nonce>,s=<caller>,v1=<hex HMAC-SHA256>
 *
 * over `t.n.s.METHOD.path?query.sha256(body)`, keyed with the secret both share
 * (`PAYIN_SERVICE_SECRET`). A stolen signed request is good for five minutes at most and, on the
 * receiver that remembers nonces, once. The header is ready to sit beside mTLS when the processes
 * run on separate hosts; it does not replace TLS on the wire.
 */
export const SERVICE_SIGNATURE_HEADER = 'payin-service-signature';
const TOLERANCE_SECONDS = 300;
export const MIN_SECRET_LENGTH = 32;

export interface SignedRequest {
  method: string;
  /** Path with query string, as the receiver sees it (`/v1/proxy`). */
  path: string;
  body: string;
}

export function signServiceRequest(
  secret: string,
  caller: string,
  request: SignedRequest,
  now = Date.now(),
): string {
  const t = Math.floor(now / 1000);
  const n = randomBytes(12).toString('base64url');
  return `t=${t},n=${n},s=${caller},v1=${mac(secret, t, n, caller, request)}`;
}

export type VerifyResult = { ok: true; caller: string; nonce: string } | { ok: false; reason: string };

export function verifyServiceRequest(
  secret: string,
  header: string | undefined,
  request: SignedRequest,
  now = Date.now(),
): VerifyResult {
  if (!header) return { ok: false, reason: 'missing signature' };
  const parts = new Map<string, string>();
  for (const item of header.split(',')) {
    const at = item.indexOf('=');
    if (at > 0) parts.set(item.slice(0, at).trim(), item.slice(at + 1).trim());
  }
  const t = Number(parts.get('t'));
  const n = parts.get('n');
  const s = parts.get('s');
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !n || !s || !v1) return { ok: false, reason: 'malformed signature' };
  if (Math.abs(now / 1000 - t) > TOLERANCE_SECONDS)
    return { ok: false, reason: 'signature timestamp out of tolerance' };
  const expected = Buffer.from(mac(secret, t, n, s, request), 'hex');
  const given = Buffer.from(v1, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'signature mismatch' };
  }
  return { ok: true, caller: s, nonce: n };
}

/**
 * Nonces seen within the tolerance window: a replayed request is refused by this process. (With
 * several receivers behind a balancer a replay could land elsewhere within five minutes; what it
 * could do there is bounded by the request itself, whose provider call carries an idempotency key.)
 */
export class NonceMemory {
  /** Nonce → when it may be forgotten; insertion order is expiry order (one fixed window). */
  private readonly seen = new Map<string, number>();

  /** true the first time a nonce is presented. */
  remember(nonce: string, now = Date.now()): boolean {
    this.forgetExpired(now);
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, now + TOLERANCE_SECONDS * 2000);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Drops expired nonces from the oldest end and stops at the first live one: O(expired). */
  private forgetExpired(now: number): void {
    for (const [nonce, until] of this.seen) {
      if (until >= now) return;
      this.seen.delete(nonce);
    }
  }
}

function mac(secret: string, t: number, n: string, caller: string, request: SignedRequest): string {
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  return createHmac('sha256', secret)
    .update(`${t}.${n}.${caller}.${request.method.toUpperCase()}.${request.path}.${bodyHash}`)
    .digest('hex');
}
