import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml } from '../html.js';
import { authorize, type PlaceOrderOptions, personaOf, placeOrder } from './authorizations.js';
import { fillPlaceholders, finalStatuses, setHppStatus } from './hpp.js';
import { messagesFor, type PageMessages } from './messages.js';
import { categoriesFor, checkPurchase } from './sessions.js';
import type { CategoryId, HppSession, KlarnaState, PaymentSession } from './state.js';

export interface PageOptions {
  state: KlarnaState;
  publicUrl: () => string;
  authorizationTtlMs: number;
  placeOrder: () => PlaceOrderOptions;
}

const css = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#17120f}
h1{font-size:1.5rem}fieldset{border:1px solid #ccc;border-radius:.5rem;margin:1rem 0;padding:.75rem}
label{display:block;padding:.25rem 0}button{font:inherit;padding:.6rem 1.2rem;margin:.25rem .25rem 0 0;border-radius:.5rem;border:1px solid #17120f;background:#fff;cursor:pointer}
button[value=pay]{background:#ffb3c7;border-color:#ffb3c7}button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.total{font-size:1.25rem;font-weight:600}`;

const badge = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="28" viewBox="0 0 64 28" role="img" aria-label="Klarna"><rect width="64" height="28" rx="6" fill="#ffb3c7"/><text x="32" y="19" font-family="sans-serif" font-size="13" font-weight="700" text-anchor="middle" fill="#17120f">Klarna.</text></svg>`;

/**
 * Strict CSP: no script at all, styles and images from the emulator. Forms may go anywhere: a
 * form's redirects count as its action in Chromium, and the shopper's way back goes through the
 * merchant's URLs and on to wherever they send them.
 */
function csp(): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    'form-action *',
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function page(reply: FastifyReply, status: number, lang: string, title: string, body: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('Content-Security-Policy', csp())
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .send(`<!doctype html>
<html lang="${escapeHtml(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><link rel="stylesheet" href="/klarna/hpp/assets/page.css"></head>
<body>
<main>
${body}
</main>
</body>
</html>`);
}

/** The categories the KP session offers, narrowed by the HPP session's options. */
function offered(hpp: HppSession, kp: PaymentSession, publicUrl: string): CategoryId[] {
  const { market } = checkPurchase(kp.request);
  const all = categoriesFor(kp.request.order_amount, market, publicUrl).map((c) => c.identifier);
  const single = hpp.options.payment_method_category;
  const wanted = hpp.options.payment_method_categories ?? (single ? [single] : undefined);
  return wanted ? all.filter((c) => wanted.includes(c)) : all;
}

/** Minor units shown in the session's locale, with the currency's own number of decimals. */
function formatAmount(minor: number, currency: string, locale: string): string {
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

function payForm(hpp: HppSession, kp: PaymentSession, categories: CategoryId[], m: PageMessages): string {
  const amount = formatAmount(
    kp.request.order_amount,
    kp.request.purchase_currency,
    kp.request.locale ?? 'en-US',
  );
  const lines = kp.request.order_lines
    .map((l) => `<li>${escapeHtml(`${l.quantity} × ${l.name}`)}</li>`)
    .join('');
  const radios = categories
    .map(
      (c, i) =>
        `<label><input type="radio" name="category" value="${c}"${i === 0 ? ' checked' : ''}> ${escapeHtml(m.categories[c])}</label>`,
    )
    .join('\n');
  return `<h1><img src="/klarna/hpp/assets/badge.svg" alt="" width="64" height="28"> ${escapeHtml(m.heading)}</h1>
<ul>${lines}</ul>
<p class="total">${escapeHtml(m.total)}: <span>${escapeHtml(amount)}</span></p>
<form method="post" action="/klarna/hpp/pay/${escapeHtml(hpp.sessionId)}">
<fieldset><legend>${escapeHtml(m.method)}</legend>
${radios}
</fieldset>
<button type="submit" name="action" value="pay">${escapeHtml(m.pay)}</button>
<button type="submit" name="action" value="cancel">${escapeHtml(m.cancel)}</button>
<button type="submit" name="action" value="back">${escapeHtml(m.back)}</button>
<fieldset><legend>${escapeHtml(m.testControls)}</legend>
<button type="submit" name="action" value="refuse">${escapeHtml(m.refuse)}</button>
<button type="submit" name="action" value="error">${escapeHtml(m.error)}</button>
</fieldset>
</form>`;
}

const outcomes = {
  cancel: { status: 'CANCELLED', url: 'cancel' },
  back: { status: 'BACK', url: 'back' },
  refuse: { status: 'FAILED', url: 'failure' },
  error: { status: 'ERROR', url: 'error' },
} as const;

/**
 * Klarna's Hosted Payment Page as the shopper's browser sees it at `redirect_url`: the amount,
 * the categories, Pay / Cancel / Back and test controls. Each answer sets the HPP session's
 * status (with a status callback) and sends the shopper to the matching merchant URL, its
 * placeholders filled; without one, Klarna's own result page is shown.
 */
export async function pageRoutes(app: FastifyInstance, opts: PageOptions): Promise<void> {
  const { state } = opts;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.get('/assets/page.css', (_request, reply) => reply.type('text/css; charset=utf-8').send(css));
  app.get('/assets/badge.svg', (_request, reply) => reply.type('image/svg+xml').send(badge));

  const usable = (id: string) => {
    const hpp = state.hppSessions.get(id);
    const kp = hpp && state.sessions.get(hpp.paymentSessionId);
    if (!hpp || !kp || finalStatuses.includes(hpp.status) || hpp.expiresAt <= state.now()) return undefined;
    return { hpp, kp };
  };
  const gone = (reply: FastifyReply) =>
    page(reply, 404, 'en', 'Klarna', `<h1>Klarna</h1><p>${messagesFor('en').messages.unavailable}</p>`);

  app.get<{ Params: { id: string } }>('/pay/:id', async (request, reply) => {
    const found = usable(request.params.id);
    if (!found) return gone(reply);
    const { hpp, kp } = found;
    if (hpp.status !== 'IN_PROGRESS') setHppStatus(state, hpp, 'IN_PROGRESS');
    const { lang, messages } = messagesFor(kp.request.locale ?? 'en');
    return page(
      reply,
      200,
      lang,
      messages.title,
      payForm(hpp, kp, offered(hpp, kp, opts.publicUrl()), messages),
    );
  });

  app.post<{ Params: { id: string }; Body: { action?: string; category?: string } }>(
    '/pay/:id',
    async (request, reply) => {
      const found = usable(request.params.id);
      if (!found) return gone(reply);
      const { hpp, kp } = found;
      const { lang, messages } = messagesFor(kp.request.locale ?? 'en');
      const action = request.body?.action ?? '';
      const finish = (status: keyof PageMessages['done'], urlKey: keyof HppSession['merchantUrls']) => {
        setHppStatus(state, hpp, status);
        const target = hpp.merchantUrls[urlKey];
        if (target) return reply.redirect(fillPlaceholders(target, hpp), 303);
        return page(
          reply,
          200,
          lang,
          messages.title,
          `<h1>${escapeHtml(messages.title)}</h1><p role="status">${escapeHtml(messages.done[status])}</p>`,
        );
      };
      if (action in outcomes) {
        const outcome = outcomes[action as keyof typeof outcomes];
        return finish(outcome.status, outcome.url);
      }
      const categories = offered(hpp, kp, opts.publicUrl());
      const category = request.body?.category as CategoryId;
      if (action !== 'pay' || !categories.includes(category))
        return page(reply, 400, lang, messages.title, payForm(hpp, kp, categories, messages));
      const persona = personaOf(kp);
      if (persona === 'denied') return finish('FAILED', 'failure');
      const authorization = authorize(state, kp, category, persona, opts.authorizationTtlMs);
      hpp.authorizationToken = authorization.token;
      const mode = hpp.options.place_order_mode ?? 'NONE';
      if (mode !== 'NONE') {
        const order = placeOrder(
          state,
          kp.merchant,
          authorization.token,
          { ...kp.request, auto_capture: mode === 'CAPTURE_ORDER' },
          opts.placeOrder(),
        );
        hpp.orderId = order.order_id;
      }
      return finish('COMPLETED', 'success');
    },
  );

  // The order's `redirect_url`: Klarna sends the shopper on to the merchant's confirmation URL.
  app.get<{ Params: { orderId: string } }>('/confirmation/:orderId', async (request, reply) => {
    const order = state.orders.get(request.params.orderId);
    const target = order?.merchantUrls.confirmation;
    if (!order || !target) return gone(reply);
    return reply.redirect(
      target.replaceAll('{order.id}', order.orderId).replaceAll('{{order_id}}', order.orderId),
      303,
    );
  });
}
