import { formatAmount } from '@payin/checkout';
import { type Market, markets, type Product, products } from './catalogue.js';
import type { PricedLine } from './orders.js';
import { strings } from './strings.js';

/**
 * The shop's pages, rendered on the server as plain HTML: no framework, no inline style, no
 * inline script without the page's nonce. Every value from elsewhere goes through `escape`.
 */
export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export interface PageContext {
  market: Market;
  cartCount: number;
  nonce: string;
}

/**
 * `designSystem: false` for a page whose own stylesheet already carries the design system's
 * (the checkout's drop-in): the same rules twice are parsed and matched twice.
 */
function layout(ctx: PageContext, title: string, body: string, head = '', designSystem = true): string {
  const s = strings[ctx.market.locale];
  const options = Object.values(markets)
    .map(
      (m) =>
        `<option value="${m.id}"${m.id === ctx.market.id ? ' selected' : ''}>${escapeHtml(m.name)} (${m.currency})</option>`,
    )
    .join('');
  // The empty icon: without one the browser asks for /favicon.ico, a 404 in every page's console.
  return `<!doctype html>
<html lang="${ctx.market.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(s.tagline)}">
<title>${escapeHtml(title)} · ${escapeHtml(s.title)}</title>
<link rel="icon" href="data:,">
${designSystem ? '<link rel="stylesheet" href="/assets/design-system.css">\n' : ''}<link rel="stylesheet" href="/assets/shop.css">
${head}
</head>
<body>
<header class="shop-header">
  <a class="shop-brand" href="/">${escapeHtml(s.title)}</a>
  <form class="shop-market" method="post" action="/market">
    <label for="market">${escapeHtml(s.market)}</label>
    <select id="market" name="market" class="payin-select__input">${options}</select>
    <button type="submit" class="payin-button payin-button--secondary">OK</button>
  </form>
  <a class="shop-cart-link" href="/cart">${escapeHtml(s.cart)} <span class="shop-badge">${ctx.cartCount}</span></a>
</header>
<main id="main" class="shop-main">
${body}
</main>
</body>
</html>`;
}

const price = (amount: number, market: Market) =>
  escapeHtml(formatAmount(amount, market.currency, market.locale));

export function productsPage(ctx: PageContext): string {
  const s = strings[ctx.market.locale];
  const cards = products
    .map(
      (p: Product) => `<li class="shop-product">
  <h2 class="shop-product-name">${escapeHtml(p.name)}</h2>
  <p class="shop-grade">${escapeHtml(s.grades[p.grade])}</p>
  <p class="shop-price">${price(p.prices[ctx.market.currency], ctx.market)}</p>
  <form method="post" action="/cart">
    <input type="hidden" name="sku" value="${escapeHtml(p.sku)}">
    <button type="submit" class="payin-button payin-button--primary">${escapeHtml(s.addToCart)}<span class="shop-visually-hidden">: ${escapeHtml(p.name)}</span></button>
  </form>
</li>`,
    )
    .join('\n');
  return layout(
    ctx,
    s.title,
    `<h1>${escapeHtml(s.title)}</h1><p class="shop-tagline">${escapeHtml(s.tagline)}</p><ul class="shop-products">${cards}</ul>`,
  );
}

export function cartPage(ctx: PageContext, lines: PricedLine[], total: number): string {
  const s = strings[ctx.market.locale];
  if (lines.length === 0) {
    return layout(
      ctx,
      s.cart,
      `<h1>${escapeHtml(s.cart)}</h1><p>${escapeHtml(s.cartEmpty)}</p><p><a href="/">${escapeHtml(s.backToShop)}</a></p>`,
    );
  }
  const rows = lines
    .map(
      (l) => `<li class="shop-line">
  <span class="shop-line-name">${escapeHtml(l.product.name)}</span>
  <form method="post" action="/cart/update" class="shop-line-form">
    <input type="hidden" name="sku" value="${escapeHtml(l.product.sku)}">
    <label for="qty-${escapeHtml(l.product.sku)}">${escapeHtml(s.quantity)}</label>
    <input id="qty-${escapeHtml(l.product.sku)}" class="payin-field__input shop-qty" type="number" name="quantity" min="0" max="5" value="${l.quantity}" inputmode="numeric">
    <button type="submit" class="payin-button payin-button--secondary">${escapeHtml(s.update)}</button>
  </form>
  <span class="shop-line-amount">${price(l.amount, ctx.market)}</span>
</li>`,
    )
    .join('\n');
  return layout(
    ctx,
    s.cart,
    `<h1>${escapeHtml(s.cart)}</h1>
<ul class="shop-lines">${rows}</ul>
<p class="shop-total">${escapeHtml(s.total)}: <strong>${price(total, ctx.market)}</strong></p>
<form method="post" action="/checkout"><button type="submit" class="payin-button payin-button--primary">${escapeHtml(s.checkout)}</button></form>
<p><a href="/">${escapeHtml(s.backToShop)}</a></p>`,
  );
}

/** What the checkout page needs to run payin's drop-in, given to it as JSON data, not as script. */
export interface CheckoutBoot {
  apiUrl: string;
  vaultUrl: string;
  publishableKey: string;
  paymentId: string;
  clientSecret: string;
  locale: string;
  returnUrl: string;
}

export interface CheckoutAssets {
  fields?: { src: string; integrity: string };
  checkout?: {
    js: string;
    jsIntegrity: string;
    css: string;
    cssIntegrity: string;
    /** Imported by the drop-in when the shopper chooses another method than a card. */
    chunks?: { src: string; integrity: string }[];
  };
}

export function checkoutPage(
  ctx: PageContext,
  lines: PricedLine[],
  total: number,
  boot: CheckoutBoot,
  assets: CheckoutAssets,
): string {
  const s = strings[ctx.market.locale];
  const summary = lines
    .map(
      (l) =>
        `<li>${escapeHtml(l.product.name)} × ${l.quantity} <span>${price(l.amount, ctx.market)}</span></li>`,
    )
    .join('');
  const ready = assets.fields && assets.checkout;
  // JSON in a data block: `<` escaped so no value can close the script element.
  const data = JSON.stringify(boot).replace(/</g, '\\u003c');
  // Connections to the api and the vault opened while the page parses: the drop-in's first call
  // (the payment) and payin-fields.js are CORS requests without credentials, the card frames are
  // navigations, and each kind has its own connection.
  const origin = (url: string) => escapeHtml(new URL(url).origin);
  // The drop-in's chunks are imported by the drop-in itself, with no integrity attribute to
  // give: the import map pins them (Chromium 127+; others load them unpinned, same origin). It
  // comes before any module is fetched, or the browser ignores it.
  const chunks = assets.checkout?.chunks ?? [];
  const importMap = JSON.stringify({
    imports: {},
    integrity: Object.fromEntries(chunks.map((c) => [c.src, c.integrity])),
  }).replace(/</g, '\\u003c');
  const head = ready
    ? `${chunks.length > 0 ? `<script type="importmap" nonce="${ctx.nonce}">${importMap}</script>\n` : ''}<link rel="preconnect" href="${origin(boot.apiUrl)}" crossorigin>
<link rel="preconnect" href="${origin(boot.vaultUrl)}" crossorigin>
<link rel="preconnect" href="${origin(boot.vaultUrl)}">
<link rel="stylesheet" href="${escapeHtml(assets.checkout?.css ?? '')}" integrity="${escapeHtml(assets.checkout?.cssIntegrity ?? '')}">
<link rel="modulepreload" href="${escapeHtml(assets.checkout?.js ?? '')}" integrity="${escapeHtml(assets.checkout?.jsIntegrity ?? '')}">`
    : '';
  const scripts = ready
    ? `<script type="application/json" id="payin-checkout-options">${data}</script>
<script defer src="${escapeHtml(assets.fields?.src ?? '')}" integrity="${escapeHtml(assets.fields?.integrity ?? '')}" crossorigin="anonymous" nonce="${ctx.nonce}"></script>
<script type="module" src="/assets/checkout-page.js" nonce="${ctx.nonce}"></script>`
    : `<p class="payin-alert payin-alert--error" role="alert">${escapeHtml(s.checkoutUnavailable)}</p>`;
  return layout(
    ctx,
    s.checkoutTitle,
    `<h1>${escapeHtml(s.checkoutTitle)}</h1>
<section class="shop-summary" aria-labelledby="summary-title">
  <h2 id="summary-title">${escapeHtml(s.orderSummary)}</h2>
  <ul>${summary}</ul>
  <p class="shop-total">${escapeHtml(s.total)}: <strong>${price(total, ctx.market)}</strong></p>
</section>
<section class="shop-checkout" id="payin-checkout" aria-label="${escapeHtml(s.checkoutTitle)}"></section>
${scripts}
<p><a href="/cart">${escapeHtml(s.backToCart)}</a></p>`,
    head,
    // payin-checkout.v1.css holds the design system's stylesheet, after shop.css as before.
    !ready,
  );
}

export function orderPage(
  ctx: PageContext,
  order: { id: string; status: string; amount: number; currency: string } | undefined,
): string {
  const s = strings[ctx.market.locale];
  const outcome = !order
    ? s.orderFailed
    : order.status === 'succeeded' || order.status === 'requires_capture'
      ? s.orderPaid
      : order.status === 'processing' || order.status === 'requires_action'
        ? s.orderProcessing
        : s.orderFailed;
  const paid = order && (order.status === 'succeeded' || order.status === 'requires_capture');
  return layout(
    ctx,
    s.checkoutTitle,
    `<h1>${escapeHtml(outcome)}</h1>
${order ? `<p>${escapeHtml(s.orderNumber)}: <code>${escapeHtml(order.id)}</code></p><p>${escapeHtml(s.total)}: <strong>${escapeHtml(formatAmount(order.amount, order.currency, ctx.market.locale))}</strong></p>` : ''}
${paid ? '' : `<p><a href="/cart">${escapeHtml(s.backToCart)}</a></p>`}
<p><a href="/">${escapeHtml(s.backToShop)}</a></p>`,
  );
}

export function notFoundPage(ctx: PageContext): string {
  const s = strings[ctx.market.locale];
  return layout(ctx, '404', `<h1>404</h1><p><a href="/">${escapeHtml(s.backToShop)}</a></p>`);
}
