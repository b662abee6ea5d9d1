import { createHash } from 'node:crypto';
import { signChallengeResult } from '@payin/connectors';
import { type CoreDeps, currencyExponent } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { escapeHtml } from './html.js';

/** The amount as a shopper reads it: 1999 EUR → €19.99, 500 JPY → ¥500. */
const displayAmount = (amount: number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(
    amount / 10 ** currencyExponent(currency),
  );

// A strict policy: the pages carry no script at all, only a stylesheet in a <style> block.
const PAGE_CSP =
  "default-src 'none'; style-src 'sha256-STYLEHASH'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors ANCESTORS";

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}' +
  'button{font:inherit;padding:.75rem 1.25rem;margin:.5rem .5rem 0 0;border-radius:.5rem;border:2px solid #1a1a1a;cursor:pointer}' +
  'button.pass{background:#0b6b3a;color:#fff;border-color:#0b6b3a}button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}' +
  '.note{color:#4a4a4a}';

function page(title: string, body: string, styleHash: string, ancestors: readonly string[] = []) {
  return {
    csp: PAGE_CSP.replace('STYLEHASH', styleHash).replace(
      'ANCESTORS',
      ancestors.length > 0 ? ancestors.join(' ') : "'none'",
    ),
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`,
  };
}

/**
 * The sandbox connector's simulated 3-D Secure challenge (test mode only) and payin's return
 * endpoint, where a provider sends the shopper back after a redirect.
 */
export async function sandboxRoutes(
  app: FastifyInstance,
  { core, vaultOrigin }: { core: CoreDeps; vaultOrigin?: string | undefined },
) {
  const styleHash = createHash('sha256').update(STYLE).digest('base64');
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  const hide = { hide: true };
  // Like a bank's page, the challenge may be shown inside the checkout: framed by the vault's
  // 3-D Secure container, itself framed by one of the merchant's pages (every ancestor counts).
  const challengeAncestors = async (merchantId: string): Promise<string[]> =>
    vaultOrigin ? [vaultOrigin, ...(await core.store.allowedOriginsOf({ merchantId, livemode: false }))] : [];

  app.get('/sandbox/3ds/:attempt', { config: { auth: 'none' }, schema: hide }, async (request, reply) => {
    const { attempt } = request.params as { attempt: string };
    const returnUrl = String((request.query as Record<string, string>).return_url ?? '');
    const found = await core.store.getAttempt(attempt);
    if (found?.connector !== 'sandbox' || !returnUrl.startsWith(`${core.publicUrl}/return/`)) {
      return reply.code(404).type('text/plain').send('No such 3-D Secure challenge.');
    }
    const form = (result: 'pass' | 'fail', label: string) =>
      `<form method="post" action="/sandbox/3ds/${escapeHtml(attempt)}"><input type="hidden" name="result" value="${result}"><input type="hidden" name="return_url" value="${escapeHtml(returnUrl)}"><button type="submit" class="${result}">${label}</button></form>`;
    const { html, csp } = page(
      '3-D Secure test challenge',
      `<h1>3-D Secure test challenge</h1><p>Payment of ${escapeHtml(displayAmount(found.amount, found.currency))}.</p><p class="note">This page simulates your bank's authentication in test mode. No money moves.</p>${form('pass', 'Complete authentication')}${form('fail', 'Fail authentication')}`,
      styleHash,
      await challengeAncestors(found.merchantId),
    );
    return reply.header('Content-Security-Policy', csp).type('text/html; charset=utf-8').send(html);
  });

  app.post('/sandbox/3ds/:attempt', { config: { auth: 'none' }, schema: hide }, async (request, reply) => {
    const { attempt } = request.params as { attempt: string };
    const body = (request.body ?? {}) as Record<string, string>;
    const result = body.result === 'pass' ? 'pass' : 'fail';
    const returnUrl = String(body.return_url ?? '');
    if (!returnUrl.startsWith(`${core.publicUrl}/return/${attempt}`)) {
      return reply.code(400).type('text/plain').send('Invalid return URL.');
    }
    const url = new URL(returnUrl);
    url.searchParams.set('sandbox_result', signChallengeResult(attempt, result));
    return reply.redirect(url.toString(), 303);
  });
}
