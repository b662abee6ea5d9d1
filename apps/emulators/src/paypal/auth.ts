import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PayPalError } from './errors.js';
import { type PayPalState, timestamp } from './state.js';

export interface PayPalClient {
  clientId: string;
  clientSecret: string;
}

/** The scopes a REST app with the Checkout and Payments features gets. */
const SCOPE = [
  'https://uri.paypal.com/services/payments/payment/authcapture',
  'https://uri.paypal.com/services/payments/refund',
  'https://uri.paypal.com/services/payments/orders/client_credentials',
  'https://uri.paypal.com/services/applications/webhooks',
  'openid',
].join(' ');

/** PayPal's token: 9 hours (https://developer.paypal.com/api/rest/authentication/). */
export const DEFAULT_TOKEN_TTL_SECONDS = 32_400;

const invalidClient = { error: 'invalid_client', error_description: 'Client Authentication failed' };

/**
 * POST /v1/oauth2/token (https://developer.paypal.com/api/rest/authentication/): HTTP Basic with
 * the REST app's client id and secret, form body `grant_type=client_credentials`. Wrong
 * credentials answer OAuth's 401 `invalid_client`, another grant type 400 `unsupported_grant_type`.
 */
export function issueToken(
  state: PayPalState,
  clients: PayPalClient[],
  ttlSeconds: number,
  now: Date,
  request: FastifyRequest<{ Body: Record<string, string> | undefined }>,
  reply: FastifyReply,
): FastifyReply {
  const header = request.headers.authorization ?? '';
  const [scheme, encoded = ''] = header.split(' ');
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  const client = clients.find(
    (c) =>
      scheme?.toLowerCase() === 'basic' &&
      separator > 0 &&
      c.clientId === decoded.slice(0, separator) &&
      c.clientSecret === decoded.slice(separator + 1),
  );
  if (!client) return reply.code(401).type('application/json').send(invalidClient);
  if (request.body?.grant_type !== 'client_credentials') {
    return reply
      .code(400)
      .type('application/json')
      .send({ error: 'unsupported_grant_type', error_description: 'unsupported grant_type' });
  }
  const accessToken = `A21AA${randomBytes(48).toString('base64url')}`;
  state.tokens.set(accessToken, { clientId: client.clientId, expiresAt: now.getTime() + ttlSeconds * 1000 });
  return reply.type('application/json').send({
    scope: SCOPE,
    access_token: accessToken,
    token_type: 'Bearer',
    app_id: `APP-${client.clientId.slice(0, 17).toUpperCase()}`,
    expires_in: ttlSeconds,
    nonce: `${timestamp(now)}${randomBytes(20).toString('base64url')}`,
  });
}

/**
 * The REST app a call's `Authorization: Bearer` token belongs to; a missing, unknown or expired
 * token is 401 AUTHENTICATION_FAILURE (the specs' error_401).
 */
export function clientOf(state: PayPalState, request: FastifyRequest, now: Date): string {
  const header = request.headers.authorization ?? '';
  const token = /^Bearer (.+)$/i.exec(header)?.[1];
  const known = token ? state.tokens.get(token) : undefined;
  if (!known || known.expiresAt <= now.getTime()) {
    if (token && known) state.tokens.delete(token);
    throw new PayPalError(401, 'orders');
  }
  return known.clientId;
}
