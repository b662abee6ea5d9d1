import { createHash } from 'node:crypto';
import { type CoreDeps, completeAction, errors, type PaymentRecord } from '@payin/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml } from './html.js';

// The one script the page runs, allowed by its hash: post the form as soon as it is parsed.
const SUBMIT = 'document.forms[0].submit()';
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}' +
  'button{font:inherit;padding:.75rem 1.25rem;border-radius:.5rem;border:2px solid #1a1a1a;cursor:pointer}' +
  'button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}';
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
const PAGE_CSP = `default-src 'none'; style-src 'sha256-${sha256(STYLE)}'; base-uri 'none'; frame-ancestors 'none'`;
const CSP = `default-src 'none'; script-src 'sha256-${sha256(SUBMIT)}'; style-src 'sha256-${sha256(STYLE)}'; form-action https: http:; base-uri 'none'; frame-ancestors 'none'`;

/**
 * payin's end of a redirect: where providers send the shopper back (`/return/<attempt>`, or
 * the account's one return URL for providers that take only URLs registered in advance), and,
 * for a provider that wants a form posted rather than a link followed, the page that posts it.
 */
export async function redirectRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
  const hide = { config: { auth: 'none' as const }, schema: { hide: true } };
  const queryOf = (query: unknown) =>
    Object.fromEntries(
      Object.entries(query as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
    ) as Record<string, string>;

  /** The shopper back from the provider: the attempt is completed, then they go on to the shop. */
  const backFrom = async (reply: FastifyReply, attemptId: string, params: Record<string, string>) => {
    const payment = await completeAction(core, attemptId, params);
    if (!payment) return reply.code(404).type('text/plain').send('Unknown payment.');
    if (payment.returnUrl) return reply.redirect(merchantReturn(payment), 303);
    const failed = payment.status === 'requires_payment_method';
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>Payment</title><style>${STYLE}</style></head><body><main><h1>${failed ? 'The payment did not go through' : 'Thank you'}</h1>` +
      `<p>You can close this window.</p></main></body></html>`;
    return reply.header('Content-Security-Policy', PAGE_CSP).type('text/html; charset=utf-8').send(html);
  };

  app.get('/return/:attempt', hide, async (request, reply) => {
    const { attempt } = request.params as { attempt: string };
    return backFrom(reply, attempt, queryOf(request.query));
  });

  app.get('/return/accounts/:account', hide, async (request, reply) => {
    const { account } = request.params as { account: string };
    const params = queryOf(request.query);
    const found = await core.store.getConnectorAccount(account);
    const connector =
      found && (await core.connectors.forAttempt({ connector: found.connector, connectorAccount: found.id }));
    if (!connector?.attemptOfReturn) return reply.code(404).type('text/plain').send('Unknown payment.');
    const attempt = await connector.attemptOfReturn(params).catch(() => undefined);
    if (attempt) return backFrom(reply, attempt, params);
    // The provider could not say which payment this is just now: the shopper may have paid, so
    // they are not told it failed. The same URL asks again; the payment settles anyway by webhook.
    const html =
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>Payment</title><style>${STYLE}</style></head><body><main><h1>We could not confirm your payment yet</h1>` +
      `<p>If you paid, nothing more is needed: the shop will be told. You can also try again.</p>` +
      `<p><a href="${escapeHtml(request.url)}">Try again</a></p></main></body></html>`;
    return reply
      .code(503)
      .header('Retry-After', '5')
      .header('Content-Security-Policy', PAGE_CSP)
      .type('text/html; charset=utf-8')
      .send(html);
  });

  postRedirectRoute(app, core);
}

/** The merchant's return_url with what its page needs to show the result. */
function merchantReturn(payment: PaymentRecord): string {
  const url = new URL(payment.returnUrl as string);
  url.searchParams.set('payment', payment.id);
  // Paid (or authorised) and on its way are said as such; anything else, a refusal, a cancel,
  // or a payment still waiting on another attempt, is not paid: the shop goes back to its checkout.
  const status: Record<string, string> = {
    succeeded: 'succeeded',
    requires_capture: 'succeeded',
    processing: 'processing',
  };
  url.searchParams.set('redirect_status', status[payment.status] ?? 'failed');
  return url.toString();
}

/**
 * Where `next_action.redirect_to_url.url` points when the provider wants the shopper's browser
 * to POST a form rather than follow a link (Adyen's Bizum): the API still gives one URL, and
 * this page posts the provider's fields on. Without script, its button does the same.
 */
function postRedirectRoute(app: FastifyInstance, core: CoreDeps) {
  app.get(
    '/redirect/:attempt',
    { config: { auth: 'none' }, schema: { hide: true } },
    async (request, reply) => {
      const { attempt: id } = request.params as { attempt: string };
      const attempt = await core.store.getAttempt(id);
      const action = attempt?.status === 'requires_action' ? attempt.action : null;
      if (action?.type !== 'redirect_to_url') throw errors.notFound('redirect', id);
      if (action.method !== 'POST') return reply.redirect(action.url, 303);
      const fields = Object.entries(action.data ?? {})
        .map(
          ([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
        )
        .join('');
      const html =
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<meta name="referrer" content="no-referrer"><title>Continuing to your payment</title><style>${STYLE}</style></head>` +
        `<body><main><form method="post" action="${escapeHtml(action.url)}">${fields}` +
        `<p>Taking you to your payment…</p><button type="submit">Continue</button></form></main>` +
        `<script>${SUBMIT}</script></body></html>`;
      return reply
        .header('Content-Security-Policy', CSP)
        .header('Cache-Control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(html);
    },
  );
}
