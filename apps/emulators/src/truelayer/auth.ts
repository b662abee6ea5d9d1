import { randomBytes } from 'node:crypto';
import type { TokenError, TokenResponse } from '@payin/provider-wire/truelayer';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TrueLayerEmulatorOptions } from './index.js';

/** Payments access tokens last an hour (https://docs.truelayer.com/docs/generate-a-payments-access-token). */
const TOKEN_LIFETIME_S = 3600;

const refuse = (reply: FastifyReply, status: number, error: TokenError) =>
  reply.code(status).header('Cache-Control', 'no-store').send(error);

/**
 * The auth server (https://auth.truelayer-sandbox.com): `POST /connect/token` with the client
 * credentials grant, form-encoded as TrueLayer documents it (JSON is accepted too). Errors follow
 * RFC 6749 §5.2; unknown credentials are `invalid_client` with 401.
 */
export async function authRoutes(
  app: FastifyInstance,
  { emulator }: TrueLayerEmulatorOptions,
): Promise<void> {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  app.post<{ Body: Record<string, unknown> | undefined }>('/connect/token', async (request, reply) => {
    if (emulator.faults.latencyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, emulator.faults.latencyMs));
    const fault = emulator.faults.take('token');
    if (fault === 'error_500') return reply.code(500).send({ error: 'server_error' });
    if (fault === 'timeout' || fault === 'drop_answer') {
      // A token call changes nothing worth keeping: the client just never hears back.
      reply.hijack();
      const socket = request.raw.socket;
      if (fault === 'drop_answer') socket.destroy();
      else setTimeout(() => socket.destroy(), 120_000).unref();
      return reply;
    }
    const body = request.body ?? {};
    const { grant_type: grantType, client_id: clientId, client_secret: clientSecret, scope } = body;
    if (typeof grantType !== 'string' || typeof clientId !== 'string' || typeof clientSecret !== 'string') {
      return refuse(reply, 400, {
        error: 'invalid_request',
        error_description: 'grant_type, client_id and client_secret are required.',
      });
    }
    const client = emulator.state.clients.get(clientId);
    if (!client || client.clientSecret !== clientSecret)
      return refuse(reply, 401, { error: 'invalid_client' });
    if (grantType !== 'client_credentials') return refuse(reply, 400, { error: 'unsupported_grant_type' });
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
    if (!scopes.includes('payments')) {
      return refuse(reply, 400, {
        error: 'invalid_scope',
        error_description: 'The payments scope is required.',
      });
    }
    const accessToken = randomBytes(32).toString('base64url');
    emulator.state.tokens.set(accessToken, {
      clientId,
      expiresAt: emulator.clock.now().getTime() + TOKEN_LIFETIME_S * 1000,
    });
    const answer: TokenResponse = {
      access_token: accessToken,
      expires_in: TOKEN_LIFETIME_S,
      token_type: 'Bearer',
      scope: scopes.join(' '),
    };
    return reply.header('Cache-Control', 'no-store').send(answer);
  });
}
