import type { FastifyReply } from 'fastify';
import type { FieldAssets } from './assets.js';
import type { FrameConfig } from './protocol.js';

/**
 * A registered origin as it may appear in `frame-ancestors`: scheme, host and port, nothing
 * that could close the directive or add a source the merchant did not register.
 */
export function isSerializedOrigin(origin: string): boolean {
  if (!/^https?:\/\/[a-z0-9.[\]:-]+$/i.test(origin)) return false;
  try {
    return new URL(origin).origin === origin;
  } catch {
    return false;
  }
}

/**
 * The frame page's policy: nothing loads but the hashed inline script and style, the only
 * connection is same-origin (`/v1/tokens`), and only the merchant's registered origins may
 * frame it (PCI DSS 4.0 req. 6.4.3 and 11.6.1: the payment page's scripts are authorised and
 * their integrity assured).
 */
export function frameSecurityHeaders(assets: FieldAssets, frameAncestors: string[]): Record<string, string> {
  const ancestors = frameAncestors.filter(isSerializedOrigin);
  const csp = [
    "default-src 'none'",
    `script-src ${assets.frameScriptSource}`,
    `style-src ${assets.frameStyleSource}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // The page carries the merchant's key and origin: build it fresh for every frame.
    'cache-control': 'no-store',
  };
}

/** `</script>` and friends cannot close the JSON data block the frame reads its config from. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A frame of one field is named after it; a frame of several, after the card. */
function frameTitle({ fields, messages }: FrameConfig): string {
  const [only] = fields;
  return fields.length === 1 && only ? messages.label[only] : messages.cardTitle;
}

/** The frame page: the field is built by the hashed inline script from the JSON config block. */
export function framePage(assets: FieldAssets, config: FrameConfig): string {
  return `<!doctype html><html lang="${escapeHtml(config.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(frameTitle(config))}</title><style>${assets.frameStyle}</style></head><body><script type="application/json" id="payin-config">${jsonForScript(config)}</script><script>${assets.frameScript}</script></body></html>`;
}

/** What a refused frame request shows: no script, framed by nobody. */
export function refusalPage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Card field unavailable</title></head><body><p>This card field cannot be shown: ${escapeHtml(reason)}.</p></body></html>`;
}

export const refusalHeaders: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Answers a refused page request (the vault's browser pages): the HTML under `refusalHeaders`. */
export function sendRefusal(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).headers(refusalHeaders).type('text/html; charset=utf-8').send(html);
}
