import { Type } from '@fastify/type-provider-typebox';
import { type CoreDeps, errors, hashApiKey } from '@payin/core';
import type { FastifyInstance } from 'fastify';

/**
 * Calls from payin's other processes, signed with the service secret (auth 'service'), never
 * from merchants. The vault resolves the publishable key of the hosted fields here: which
 * merchant and mode it belongs to and which origins may host the fields.
 */
export async function internalRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  app.get(
    '/internal/v1/publishable_keys/:key',
    {
      config: { auth: 'service' },
      schema: { hide: true, params: Type.Object({ key: Type.String({ maxLength: 255 }) }) },
    },
    async (request) => {
      const { key } = request.params as { key: string };
      const found = key.startsWith('pk_') ? await core.store.findApiKeyByHash(hashApiKey(key)) : undefined;
      if (found?.kind !== 'publishable') throw errors.notFound('publishable_key', key.slice(0, 12));
      const scope = { merchantId: found.merchantId, livemode: found.livemode };
      return {
        merchant: found.merchantId,
        livemode: found.livemode,
        allowed_origins: await core.store.allowedOriginsOf(scope),
      };
    },
  );
}
