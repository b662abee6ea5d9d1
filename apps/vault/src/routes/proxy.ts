import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CardProxy } from '../proxy/forward.js';

const ProxyRequest = Type.Object(
  {
    merchant: Type.String({ pattern: '^mer_[A-Za-z0-9]{1,64}$' }),
    livemode: Type.Boolean(),
    request: Type.Object(
      {
        url: Type.String({ minLength: 1, maxLength: 2048 }),
        method: Type.Union(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => Type.Literal(m))),
        headers: Type.Record(Type.String({ maxLength: 256 }), Type.String({ maxLength: 8192 })),
        body: Type.Optional(Type.String({ maxLength: 512 * 1024 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/proxy`: the api's provider request, sent with the card filled in (proxy/forward.ts). */
export const proxyRoutes: FastifyPluginAsyncTypebox<{ proxy: CardProxy }> = async (app, { proxy }) => {
  app.post('/v1/proxy', { config: { access: 'service' }, schema: { body: ProxyRequest } }, async (request) =>
    proxy.forward(request.body, `service:${request.service}`),
  );
};
