import type { ChallengeAssets } from './assets.js';
import type { ChallengeMessages } from './messages.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const commonHeaders = {
  'x-content-type-options': 'nosniff',
  // The bank's page must not learn the shop's checkout URL, nor the vault's query (key, origin).
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * The container's policy. Nothing loads but its hashed script and style and the frames:
 * - `frame-src`: the bank's origin and `https:` (an issuer's ACS may hop through other https
 *   origins), the vault itself (the completion page) and the api (its `/return/…` page, which
 *   the frame passes through on its way back: CSP checks every redirect hop of a frame);
 * - `frame-ancestors`: the checkout page's origin only, the one the messages are addressed to.
 */
export function containerHeaders(
  assets: ChallengeAssets,
  sources: { bankOrigin: string; apiOrigin: string; parentOrigin: string },
): Record<string, string> {
  const frames = [...new Set([sources.bankOrigin, 'https:', "'self'", sources.apiOrigin])];
  const csp = [
    "default-src 'none'",
    `script-src ${assets.containerScriptSource}`,
    `style-src ${assets.styleSource}`,
    `frame-src ${frames.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${sources.parentOrigin}`,
  ].join('; ');
  return { 'content-security-policy': csp, ...commonHeaders };
}

/**
 * The completion page's policy: framed only by the container (`'self'`) inside the checkout
 * page (`frame-ancestors` is checked against every ancestor, not only the parent).
 */
export function completeHeaders(assets: ChallengeAssets, parentOrigin: string): Record<string, string> {
  const csp = [
    "default-src 'none'",
    `script-src ${assets.completeScriptSource}`,
    `style-src ${assets.styleSource}`,
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors 'self' ${parentOrigin}`,
  ].join('; ');
  return { 'content-security-policy': csp, ...commonHeaders };
}

function htmlDocument(
  lang: string,
  data: Record<string, string>,
  title: string,
  style: string,
  body: string,
  script: string,
) {
  const attributes = Object.entries(data)
    .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
    .join('');
  return `<!doctype html><html lang="${escapeHtml(lang)}"${attributes}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${style}</style></head><body>${body}<script>${script}</script></body></html>`;
}

/** The container: the bank's page in a frame that fills it, and the relay script. */
export function containerPage(
  assets: ChallengeAssets,
  page: { locale: string; messages: ChallengeMessages; bankUrl: string; parentOrigin: string },
): string {
  return htmlDocument(
    page.locale,
    { 'parent-origin': page.parentOrigin },
    page.messages.title,
    assets.style,
    `<iframe id="payin-bank" title="${escapeHtml(page.messages.frameTitle)}" src="${escapeHtml(page.bankUrl)}"></iframe>`,
    assets.containerScript,
  );
}

/** Where the bank's frame ends: a short text, and the script that tells the container. */
export function completePage(
  assets: ChallengeAssets,
  page: { locale: string; messages: ChallengeMessages; back: string | null },
): string {
  return htmlDocument(
    page.locale,
    page.back ? { back: page.back } : {},
    page.messages.returning,
    assets.style,
    `<p>${escapeHtml(page.messages.returning)}</p>`,
    assets.completeScript,
  );
}

/** What a refused request shows: no script, framed by nobody. */
export function challengeRefusalPage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bank page unavailable</title></head><body><p>The bank's page cannot be shown here: ${escapeHtml(reason)}.</p></body></html>`;
}
