import { type Static, Type } from '@fastify/type-provider-typebox';
import { allowedOriginView, type CoreDeps, checkOrigin, createAllowedOrigin, errors } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { respondIdempotently } from '../plugins/idempotency.js';
import { errorResponses, IdempotencyHeaders, IdParams, ListOf, ListQuery, Text } from '../schemas/common.js';
import { listReply, pageOf } from './lists.js';

const AllowedOrigin = Type.Object(
  {
    id: Type.String(),
    object: Type.Literal('allowed_origin'),
    origin: Type.String(),
    created: Type.Integer(),
    livemode: Type.Boolean(),
  },
  { $id: 'AllowedOrigin' },
);

const CreateBody = Type.Object(
  { origin: Text({ minLength: 1, maxLength: 300 }) },
  { additionalProperties: false },
);

/**
 * The pages allowed to host the merchant's card fields: the vault frames only inside them
 * (CSP frame-ancestors) and tokenizes only for them. Adyen keeps the same list per API
 * credential ("allowed origins").
 */
export async function allowedOriginRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Allowed origins'];
  const secret = { auth: 'secret' as const };

  app.post(
    '/v1/allowed_origins',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Register an origin that may host card fields',
        description: 'Scheme, host and port, e.g. `https://shop.example`. Live mode takes https only.',
        headers: IdempotencyHeaders,
        body: CreateBody,
        response: { 200: AllowedOrigin, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBody>;
      const scope = scopeOf(request);
      const origin = checkOrigin(body.origin, scope.livemode);
      return respondIdempotently(core, request, reply, (progress) =>
        createAllowedOrigin(core, scope, origin, progress),
      );
    },
  );

  app.get(
    '/v1/allowed_origins',
    {
      config: secret,
      schema: {
        tags,
        summary: 'List allowed origins',
        querystring: Type.Object(ListQuery, { additionalProperties: false }),
        response: { 200: ListOf(AllowedOrigin, 'AllowedOriginList'), ...errorResponses },
      },
    },
    async (request) => {
      const result = await core.store.listAllowedOrigins(scopeOf(request), pageOf(request.query as object));
      return listReply('/v1/allowed_origins', result, allowedOriginView);
    },
  );

  app.delete(
    '/v1/allowed_origins/:id',
    {
      config: secret,
      schema: {
        tags,
        summary: 'Remove an allowed origin',
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            object: Type.Literal('allowed_origin'),
            deleted: Type.Literal(true),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const deleted = await core.store.transaction((tx) => tx.deleteAllowedOrigin(scopeOf(request), id));
      if (!deleted) throw errors.notFound('allowed_origin', id);
      return { id, object: 'allowed_origin' as const, deleted: true as const };
    },
  );
}
