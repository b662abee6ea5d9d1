import { createHash } from 'node:crypto';
import { type CoreDeps, errors } from '@payin/core';
import type { FastifyInstance } from 'fastify';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

// The one script the page runs, allowed by its hash: post the form as soon as it is parsed.
const SUBMIT = 'document.forms[0].submit()';
const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}' +
  'button{font:inherit;padding:.75rem 1.25rem;border-radius:.5rem;border:2px solid #1a1a1a;cursor:pointer}' +
  'button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}';
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64');
const CSP = `default-src 'none'; script-src 'sha256-${sha256(SUBMIT)}'; style-src 'sha256-${sha256(STYLE)}'; form-action https: http:; base-uri 'none'; frame-ancestors 'none'`;

/**
 * Where `next_action.redirect_to_url.url` points when the provider wants the shopper's browser
 * to POST a form rather than follow a link (Adyen's Bizum): the API still gives one URL, and
 * this page posts the provider's fields on. Without script, its button does the same.
 */
export async function redirectRoutes(app: FastifyInstance, { core }: { core: CoreDeps }) {
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
