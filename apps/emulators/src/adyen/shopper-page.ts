import type { FastifyInstance, FastifyReply } from 'fastify';

import { escapeHtml } from '../html.js';

/**
 * Pages a shopper's browser reaches (the issuer's challenge, a bank or wallet app's confirmation,
 * a konbini voucher) post plain HTML forms: their bodies are read as form fields.
 */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
}

/**
 * Sends a shopper-facing page: no script at all, so the policy allows nothing but the page's own
 * forms (which post to the emulator, then redirect to the merchant's returnUrl).
 */
export function sendPage(
  reply: FastifyReply,
  page: { lang: string; title: string; body: string },
): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', "default-src 'none'; form-action *")
    .send(`<!doctype html>
<html lang="${escapeHtml(page.lang)}">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title></head>
<body>
${page.body}
</body>
</html>`);
}
