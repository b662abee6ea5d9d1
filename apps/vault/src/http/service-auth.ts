import { errors } from '@payin/core';
import { NonceMemory, SERVICE_SIGNATURE_HEADER, verifyServiceRequest } from '@payin/service-auth';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `service`: a signed call from another payin process; `publishable`: hosted fields; `none`. */
    access?: 'service' | 'publishable' | 'none';
  }
  interface FastifyRequest {
    rawBody?: string;
    /** The verified caller of a service route (`api`). */
    service?: string;
  }
}

/**
 * Service routes check the Payin-Service-Signature over the exact bytes received, so the JSON
 * parser keeps them; a replayed nonce is refused.
 */
export function registerServiceAuth(app: FastifyInstance, secret: string): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    parseJson(request, body as string, done);
  });
  const nonces = new NonceMemory();
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.access !== 'service') return;
    const result = verifyServiceRequest(
      secret,
      request.headers[SERVICE_SIGNATURE_HEADER] as string | undefined,
      {
        method: request.method,
        path: request.url,
        body: request.rawBody ?? '',
      },
    );
    if (!result.ok) throw errors.serviceAuthFailed(result.reason);
    if (!nonces.remember(result.nonce))
      throw errors.serviceAuthFailed('this signed request was already used');
    request.service = result.caller;
  });
}
