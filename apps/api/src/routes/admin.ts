import { type Static, Type } from '@fastify/type-provider-typebox';
import {
  type CoreDeps,
  createMerchant,
  errors,
  issueApiKeys,
  type MerchantRecord,
  unixSeconds,
} from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { Country, errorResponses, IdParams, Text } from '../schemas/common.js';

/**
 * Operators' endpoints (PAYIN_ADMIN_TOKEN). Keys are returned once and stored only as hashes;
 * for that reason these answers are not kept for Idempotency-Key replays, which are a
 * merchant-scoped feature.
 */
const MerchantBody = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 255 }),
    country: Country,
    rate_limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Requests per second.' }),
    ),
  },
  { additionalProperties: false },
);

const UpdateMerchantBody = Type.Object(
  {
    name: Type.Optional(Text({ minLength: 1, maxLength: 255 })),
    rate_limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

const Merchant = Type.Object({
  id: Type.String(),
  object: Type.Literal('merchant'),
  name: Type.String(),
  country: Type.String(),
  rate_limit: Type.Integer(),
  created: Type.Integer(),
  livemode: Type.Boolean(),
  secret_key: Type.Optional(Type.String()),
  publishable_key: Type.Optional(Type.String()),
});

const Keys = Type.Object({
  object: Type.Literal('api_keys'),
  merchant: Type.String(),
  livemode: Type.Boolean(),
  secret_key: Type.String(),
  publishable_key: Type.String(),
});

const merchantView = (m: MerchantRecord) => ({
  id: m.id,
  object: 'merchant' as const,
  name: m.name,
  country: m.country,
  rate_limit: m.rateLimit,
  created: unixSeconds(m.createdAt),
  livemode: false,
});

export async function adminRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const tags = ['Admin'];
  const admin = { auth: 'admin' as const };

  app.post(
    '/admin/v1/merchants',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create a merchant with test keys',
        body: MerchantBody,
        response: { 201: Merchant, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<typeof MerchantBody>;
      const { merchant, keys } = await createMerchant(core.store, core.clock, {
        name: body.name,
        country: body.country,
        ...(body.rate_limit ? { rateLimit: body.rate_limit } : {}),
      });
      return reply.code(201).send({
        ...merchantView(merchant),
        secret_key: keys.secretKey,
        publishable_key: keys.publishableKey,
      });
    },
  );

  app.get(
    '/admin/v1/merchants/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Retrieve a merchant',
        params: IdParams,
        response: { 200: Merchant, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const merchant = await core.store.getMerchant(id);
      if (!merchant) throw errors.notFound('merchant', id);
      return merchantView(merchant);
    },
  );

  app.post(
    '/admin/v1/merchants/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: "Update a merchant's name or rate limit",
        params: IdParams,
        body: UpdateMerchantBody,
        response: { 200: Merchant, ...errorResponses },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const body = request.body as Static<typeof UpdateMerchantBody>;
      return core.store.transaction(async (tx) => {
        const merchant = await tx.getMerchant(id);
        if (!merchant) throw errors.notFound('merchant', id);
        const next = {
          ...merchant,
          name: body.name ?? merchant.name,
          rateLimit: body.rate_limit ?? merchant.rateLimit,
        };
        await tx.updateMerchant(next);
        return merchantView(next);
      });
    },
  );

  app.post(
    '/admin/v1/merchants/:id/api_keys',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Issue a new key pair (test or live)',
        params: IdParams,
        body: Type.Object({ livemode: Type.Boolean() }, { additionalProperties: false }),
        response: { 201: Keys, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { livemode } = request.body as { livemode: boolean };
      const keys = await core.store.transaction(async (tx) => {
        if (!(await tx.getMerchant(id))) throw errors.notFound('merchant', id);
        return issueApiKeys(tx, id, livemode, core.clock);
      });
      return reply.code(201).send({
        object: 'api_keys' as const,
        merchant: id,
        livemode,
        secret_key: keys.secretKey,
        publishable_key: keys.publishableKey,
      });
    },
  );
}
