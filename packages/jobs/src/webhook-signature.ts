import { createHmac } from 'node:crypto';

/**
 * `Payin-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, keyed by the
 * endpoint's whole `whsec_…` secret (API.md, "Events and webhooks"). Signing the timestamp with
 * the body lets a merchant refuse replays of an old delivery.
 */
export function webhookSignatureHeader(secret: string, rawBody: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}
