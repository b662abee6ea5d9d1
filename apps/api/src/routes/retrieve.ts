import type { TSchema } from '@fastify/type-provider-typebox';
import type { Scope } from '@payin/core';
import { errors } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { scopeOf } from '../plugins/auth.js';
import { errorResponses, IdParams } from '../schemas/common.js';

/**
 * `GET /v1/<things>/:id` for the merchant's own objects: anything else (another merchant's,
 * the other mode's, or none) answers the same 404, so ids reveal nothing.
 */
export function retrieveRoute<R>(
  app: FastifyInstance,
  opts: {
    path: string;
    tags: string[];
    kind: string;
    schema: TSchema;
    load: (scope: Scope, id: string) => Promise<R | undefined>;
    view: (record: R) => unknown;
  },
) {
  app.get(
    opts.path,
    {
      config: { auth: 'secret' },
      schema: {
        tags: opts.tags,
        summary: `Retrieve ${/^[aeiou]/.test(opts.kind) ? 'an' : 'a'} ${opts.kind.replace(/_/g, ' ')}`,
        params: IdParams,
        response: { 200: opts.schema, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const record = await opts.load(scopeOf(request), id);
      if (!record) throw errors.notFound(opts.kind, id);
      return opts.view(record);
    },
  );
}
