import { type ApiResponse, type CoreDeps, type Progress, runIdempotent } from '@payin/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { scopeOf } from './auth.js';

/**
 * Runs a mutating operation under the request's Idempotency-Key (API.md, "Idempotency") and
 * shapes the reply: a replay answers the stored status and body with Idempotent-Replayed.
 * Call it only after the request passed validation: a refused request stores nothing.
 */
export async function respondIdempotently(
  core: CoreDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  operation: (progress: Progress) => Promise<ApiResponse>,
) {
  const key = request.headers['idempotency-key'];
  const result = await runIdempotent(
    { store: core.store, clock: core.clock, leaseMs: core.idempotencyLeaseMs },
    {
      scope: scopeOf(request),
      key: typeof key === 'string' ? key : undefined,
      method: request.method,
      path: request.url.split('?')[0] ?? request.url,
      params: request.body ?? {},
    },
    operation,
  );
  if (result.replayed) reply.header('Idempotent-Replayed', 'true');
  return reply.code(result.status).send(result.body);
}
