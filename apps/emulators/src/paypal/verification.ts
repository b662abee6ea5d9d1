import type { VerifyWebhookSignature } from '@payin/provider-wire/paypal';
import { invalid } from './errors.js';
import type { Outcome } from './idempotency.js';
import { signedMessage, verifyTransmission } from './signature.js';
import type { PayPalWebhookSender } from './webhooks.js';

const required = [
  'auth_algo',
  'cert_url',
  'transmission_id',
  'transmission_sig',
  'transmission_time',
  'webhook_id',
  'webhook_event',
] as const;

/**
 * POST /v1/notifications/verify-webhook-signature
 * (https://developer.paypal.com/docs/api/webhooks/v1/#verify-webhook-signature_post): the
 * delivery's headers and event, answered `verification_status` SUCCESS or FAILURE. As at PayPal
 * the event is re-serialised before its CRC32 is taken, so a receiver must pass it unchanged
 * (same key order, no reformatting) for a genuine delivery to verify. The webhook must be one of
 * this emulator's subscriptions and the cert URL the one it serves.
 */
export function verifySignatureRequest(webhooks: PayPalWebhookSender, body: unknown): Outcome {
  if (typeof body !== 'object' || body === null) throw invalid('webhooks', 'MALFORMED_REQUEST_JSON', '/');
  const request = body as Partial<VerifyWebhookSignature>;
  for (const field of required) {
    if (request[field] === undefined) throw invalid('webhooks', 'MISSING_REQUIRED_PARAMETER', `/${field}`);
  }
  const known = webhooks.endpoints.some((endpoint) => endpoint.id === request.webhook_id);
  const message = signedMessage(
    request.transmission_id as string,
    request.transmission_time as string,
    request.webhook_id as string,
    JSON.stringify(request.webhook_event),
  );
  const verified =
    known &&
    request.auth_algo === 'SHA256withRSA' &&
    request.cert_url === webhooks.certUrl &&
    verifyTransmission(message, String(request.transmission_sig), webhooks.certificate);
  return { status: 200, render: () => ({ verification_status: verified ? 'SUCCESS' : 'FAILURE' }) };
}
