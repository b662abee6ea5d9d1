import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '@payin/core';
import { bearerOf, STORABLE_TEXT } from '@payin/http';
import { Type } from 'typebox';
import type { TokenizationLimit } from '../http/tokenization-limit.js';
import type { MerchantResolver } from '../merchants.js';
import { checkCard } from '../tokens/card-input.js';
import type { TokenService } from '../tokens/service.js';

const TokenId = Type.String({ pattern: '^tok_[A-Za-z0-9]{1,64}$' });
const MerchantScope = {
  merchant: Type.String({ pattern: '^mer_[A-Za-z0-9]{1,64}$' }),
  livemode: Type.Boolean(),
};

const CreateToken = Type.Object(
  {
    card: Type.Object(
      {
        // Digits as typed: spaces, dashes and full-width digits are normalised, then checked.
        number: Type.String({ minLength: 1, maxLength: 40 }),
        exp_month: Type.Integer({ minimum: 1, maximum: 12 }),
        exp_year: Type.Integer({ minimum: 0, maximum: 9999 }),
        cvc: Type.Optional(Type.String({ maxLength: 8 })),
        holder_name: Type.Optional(Type.String({ maxLength: 100, pattern: STORABLE_TEXT })),
        brand: Type.Optional(Type.String({ maxLength: 32 })),
      },
      { additionalProperties: false },
    ),
    /** The page hosting the fields, as the frame learnt it from the handshake's event.origin. */
    parent_origin: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
);

export interface TokenRouteDeps {
  tokens: TokenService;
  merchants: MerchantResolver;
  /** The vault's own origin: the hosted fields call from it. */
  vaultOrigin: string;
  limit: TokenizationLimit;
}

export const tokenRoutes: FastifyPluginAsyncTypebox<TokenRouteDeps> = async (app, deps) => {
  /**
   * Tokenization, from the hosted fields with the merchant's publishable key. The browser
   * names the calling page (Origin): it must be the vault's own frames (the page hosting them
   * named in parent_origin) or a page the merchant registered; then that page's origin must be
   * one the merchant registered (POST /v1/allowed_origins on the api).
   */
  app.post(
    '/v1/tokens',
    { config: { access: 'publishable' }, schema: { body: CreateToken } },
    async (request, reply) => {
      const key = bearerOf(request.headers.authorization);
      if (!key) throw errors.missingKey();
      if (!key.startsWith('pk_')) throw errors.wrongKeyKind('publishable');
      await deps.limit.take(request.ip);
      const merchant = await deps.merchants.resolve(key);
      if (!merchant) throw errors.invalidKey();
      const origin = request.headers.origin;
      const page = origin === deps.vaultOrigin ? request.body.parent_origin : origin;
      if (!page || !merchant.allowedOrigins.includes(page)) throw errors.originNotAllowed();

      const card = checkCard(request.body.card, new Date());
      const token = await deps.tokens.tokenize(
        merchant.merchantId,
        merchant.livemode,
        card,
        `merchant:${merchant.merchantId}`,
      );
      return reply.code(201).send(token);
    },
  );

  /** The masked card behind a token, for the api (PCI DSS 3.4: never the number itself). */
  app.get(
    '/v1/tokens/:id',
    {
      config: { access: 'service' },
      schema: { params: Type.Object({ id: TokenId }), querystring: Type.Object(MerchantScope) },
    },
    async (request) =>
      deps.tokens.describe(
        request.query.merchant,
        request.query.livemode,
        request.params.id,
        `service:${request.service}`,
      ),
  );

  /** Keeps a token past its expiry: the card was saved to pay again. */
  app.post(
    '/v1/tokens/:id/retain',
    {
      config: { access: 'service' },
      schema: {
        params: Type.Object({ id: TokenId }),
        body: Type.Object(MerchantScope, { additionalProperties: false }),
      },
    },
    async (request) =>
      deps.tokens.retain(
        request.body.merchant,
        request.body.livemode,
        request.params.id,
        `service:${request.service}`,
      ),
  );
};
