import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { resolveLocale } from '../fields/messages/index.js';
import { isSerializedOrigin, sendRefusal } from '../fields/page.js';
import type { FieldsMerchant } from '../fields/routes.js';
import type { ChallengeAssets } from './assets.js';
import { challengeMessages } from './messages.js';
import {
  challengeRefusalPage,
  completeHeaders,
  completePage,
  containerHeaders,
  containerPage,
} from './page.js';

export interface ChallengeRoutesOptions {
  resolveMerchant(publishableKey: string): Promise<FieldsMerchant | null>;
  assets: ChallengeAssets;
  /** The api's origin as browsers reach it: the bank's frame passes through its `/return/…`. */
  apiOrigin: string;
}

interface PageQuery {
  key: string;
  origin: string;
  locale?: string;
}

interface ContainerQuery extends PageQuery {
  url: string;
}

interface CompleteQuery extends PageQuery {
  return_url?: string;
  /** Added by the api's `/return/…` when it sends the frame here. */
  payment?: string;
  redirect_status?: string;
}

// The same key, origin and locale as the hosted fields' frame (`/fields/v1/frame`).
const pageQuery = {
  key: { type: 'string', pattern: '^pk_[A-Za-z0-9_]{1,200}$' },
  origin: { type: 'string', maxLength: 300 },
  locale: { type: 'string', maxLength: 35 },
} as const;

const containerQuerySchema = {
  type: 'object',
  required: ['url', 'key', 'origin'],
  properties: { ...pageQuery, url: { type: 'string', maxLength: 2048 } },
} as const;

const completeQuerySchema = {
  type: 'object',
  required: ['key', 'origin'],
  properties: {
    ...pageQuery,
    return_url: { type: 'string', maxLength: 2048 },
    payment: { type: 'string', pattern: '^pay_[A-Za-z0-9_]{1,200}$' },
    redirect_status: { type: 'string', enum: ['succeeded', 'failed', 'processing'] },
  },
} as const;

function refuse(reply: FastifyReply, status: number, reason: string) {
  return sendRefusal(reply, status, challengeRefusalPage(reason));
}

/** An absolute http(s) URL without credentials, https only for a live key; else null. */
function webUrl(text: string | undefined, livemode: boolean): URL | null {
  if (!text) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const schemes = livemode ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol) || url.username || url.password) return null;
  return url;
}

/**
 * The in-page 3-D Secure challenge (README.md beside this file): the container page that holds
 * the bank's page in a frame on the vault's origin, and the completion page the bank's frame is
 * sent back to (the payment's `return_url`). Both are rendered only for a known publishable key
 * and a page origin the merchant registered, as the hosted fields' frames are.
 */
export function challengeRoutes({
  resolveMerchant,
  assets,
  apiOrigin,
}: ChallengeRoutesOptions): FastifyPluginAsync {
  async function merchantFor(reply: FastifyReply, query: PageQuery) {
    const merchant = await resolveMerchant(query.key);
    if (!merchant) {
      refuse(reply, 401, 'unknown publishable key');
      return null;
    }
    if (!isSerializedOrigin(query.origin) || !merchant.allowedOrigins.includes(query.origin)) {
      refuse(reply, 403, 'this page origin is not registered for the key');
      return null;
    }
    return merchant;
  }

  return async (app) => {
    app.get<{ Querystring: ContainerQuery }>(
      '/v1/challenge',
      { config: { access: 'none' }, schema: { querystring: containerQuerySchema }, attachValidation: true },
      async (request, reply) => {
        if (request.validationError) return refuse(reply, 400, 'malformed request');
        // The page exists to be framed by the checkout; opened any other way it only confuses.
        const dest = request.headers['sec-fetch-dest'];
        if (dest !== undefined && dest !== 'iframe')
          return refuse(reply, 403, 'this page is only shown in a frame');
        const merchant = await merchantFor(reply, request.query);
        if (!merchant) return reply;
        const bank = webUrl(request.query.url, merchant.livemode);
        if (!bank) {
          return refuse(
            reply,
            400,
            merchant.livemode ? 'the bank page must be https' : 'the bank page must be http(s)',
          );
        }
        const locale = resolveLocale(request.query.locale);
        return reply
          .headers(
            containerHeaders(assets, {
              bankOrigin: bank.origin,
              apiOrigin,
              parentOrigin: request.query.origin,
            }),
          )
          .type('text/html; charset=utf-8')
          .send(
            containerPage(assets, {
              locale,
              messages: challengeMessages[locale],
              bankUrl: bank.href,
              parentOrigin: request.query.origin,
            }),
          );
      },
    );

    app.get<{ Querystring: CompleteQuery }>(
      '/v1/challenge/complete',
      { config: { access: 'none' }, schema: { querystring: completeQuerySchema }, attachValidation: true },
      async (request, reply) => {
        if (request.validationError) return refuse(reply, 400, 'malformed request');
        const merchant = await merchantFor(reply, request.query);
        if (!merchant) return reply;
        const { return_url, payment, redirect_status } = request.query;
        // Where a whole window goes on (the full-page fallback): only back to one of the
        // merchant's registered origins, so that this page is nobody's open redirect.
        const candidate = webUrl(return_url, merchant.livemode);
        const back = candidate && merchant.allowedOrigins.includes(candidate.origin) ? candidate : null;
        if (back && payment) back.searchParams.set('payment', payment);
        if (back && redirect_status) back.searchParams.set('redirect_status', redirect_status);
        const locale = resolveLocale(request.query.locale);
        return reply
          .headers(completeHeaders(assets, request.query.origin))
          .type('text/html; charset=utf-8')
          .send(
            completePage(assets, {
              locale,
              messages: challengeMessages[locale],
              back: back?.href ?? null,
            }),
          );
      },
    );
  };
}
