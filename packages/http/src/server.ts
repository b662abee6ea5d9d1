import { randomBytes } from 'node:crypto';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { errors } from '@payin/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { registerErrorHandling, sendError } from './errors.js';

export interface ServerOptions {
  logger: unknown;
  /** Reads the client address from X-Forwarded-For (behind a load balancer). */
  trustProxy?: boolean;
}

/**
 * A Fastify instance as every payin server starts: its own request ids (`Request-Id`), one
 * log line per request written by the server itself, 1 MB bodies, no type coercion, TypeBox
 * schemas, and every error — Fastify's own refusals included — in the contract's shape.
 */
export function createServer(opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // One log line per request is written by the app's own onResponse hook instead.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    // API.md: request bodies up to 1 MB.
    bodyLimit: 1024 * 1024,
    genReqId: () => `req_${randomBytes(9).toString('base64url')}`,
    requestIdHeader: false,
    trustProxy: opts.trustProxy ?? false,
    ajv: { customOptions: { coerceTypes: false } },
    // Ids may be up to 255 characters; longer ones still get the contract's 400, not a 414.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // Refusals Fastify makes before any route runs (bad URL encoding, over-long path
    // parameters) answer in the contract's error shape too.
    frameworkErrors: (err, _request, reply) => {
      sendError(reply, errors.invalidParameter('url', `The request URL is not valid: ${err.message}`));
    },
  });
  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  registerErrorHandling(app);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Request-Id', request.id);
  });
  return app;
}
