import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FieldAssets } from './assets.js';
import { catalogues, resolveLocale } from './messages/index.js';
import { framePage, frameSecurityHeaders, refusalPage, sendRefusal } from './page.js';
import { type FrameConfig, parseFieldGroup } from './protocol.js';

export interface FieldsMerchant {
  merchantId: string;
  livemode: boolean;
  /** Origins of the merchant's pages allowed to embed the fields (`https://shop.example`). */
  allowedOrigins: string[];
}

export interface FieldsRoutesOptions {
  resolveMerchant(publishableKey: string): Promise<FieldsMerchant | null>;
  assets: FieldAssets;
}

interface FrameQuery {
  fields: string;
  key: string;
  origin: string;
  session: string;
  locale?: string;
}

const frameQuerySchema = {
  type: 'object',
  required: ['fields', 'key', 'origin', 'session'],
  properties: {
    fields: { type: 'string', maxLength: 40 },
    key: { type: 'string', pattern: '^pk_[A-Za-z0-9_]{1,200}$' },
    origin: { type: 'string', maxLength: 300 },
    session: { type: 'string', pattern: '^[A-Za-z0-9_-]{16,128}$' },
    locale: { type: 'string', maxLength: 35 },
  },
} as const;

function refuse(reply: FastifyReply, status: number, reason: string) {
  return sendRefusal(reply, status, refusalPage(reason));
}

/**
 * The hosted fields' routes: the frame pages (a field each, or the card) and payin-fields.js, the
 * library merchants load. A frame is only rendered for a known publishable key and for a
 * parent origin the merchant registered; that origin is both the frame's `frame-ancestors`
 * and the only target of its messages.
 */
export function fieldsRoutes({ resolveMerchant, assets }: FieldsRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: FrameQuery }>(
      '/fields/v1/frame',
      { schema: { querystring: frameQuerySchema }, attachValidation: true },
      async (request, reply) => {
        const fields = parseFieldGroup(request.query.fields ?? '');
        if (request.validationError || !fields) return refuse(reply, 400, 'malformed request');
        const { key, origin, session } = request.query;
        const merchant = await resolveMerchant(key);
        if (!merchant) return refuse(reply, 401, 'unknown publishable key');
        if (!merchant.allowedOrigins.includes(origin)) {
          return refuse(reply, 403, 'this page origin is not registered for the key');
        }
        const locale = resolveLocale(request.query.locale);
        const config: FrameConfig = {
          fields,
          publishableKey: key,
          parentOrigin: origin,
          session,
          locale,
          messages: catalogues[locale],
        };
        return reply
          .headers(frameSecurityHeaders(assets, merchant.allowedOrigins))
          .type('text/html; charset=utf-8')
          .send(framePage(assets, config));
      },
    );

    const etag = `"${assets.parentVersion}"`;
    const sendScript = (reply: FastifyReply, cacheControl: string) =>
      reply
        .headers({
          'cache-control': cacheControl,
          etag,
          'x-content-type-options': 'nosniff',
          // A page pinning the script with `integrity` loads it in CORS mode.
          'access-control-allow-origin': '*',
          'cross-origin-resource-policy': 'cross-origin',
        })
        .type('text/javascript; charset=utf-8')
        .send(assets.parentScript);

    app.get('/fields/v1/payin-fields.js', async (request, reply) => {
      if (request.headers['if-none-match'] === etag) return reply.code(304).header('etag', etag).send();
      // A day, revalidated by ETag: a fix reaches every shop within a day.
      return sendScript(reply, 'public, max-age=86400');
    });

    // The same bytes under a name that changes with them: cacheable for good, pinnable by SRI.
    app.get<{ Params: { version: string } }>(
      '/fields/v1/:version/payin-fields.js',
      async (request, reply) => {
        if (request.params.version !== assets.parentVersion) return reply.code(404).send();
        return sendScript(reply, 'public, max-age=31536000, immutable');
      },
    );

    app.get('/fields/v1/manifest.json', async (_request, reply) =>
      reply
        .header('cache-control', 'no-cache')
        .header('access-control-allow-origin', '*')
        .send({
          script: `/fields/v1/${assets.parentVersion}/payin-fields.js`,
          integrity: assets.parentIntegrity,
          version: assets.parentVersion,
        }),
    );
  };
}
