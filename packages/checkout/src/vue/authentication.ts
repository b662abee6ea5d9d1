/// <reference lib="dom" />
/**
 * How the shopper reaches their bank's 3-D Secure page. Today: the top window goes there (a
 * full-page redirect); the payment's `return_url` brings the shopper back, and the checkout
 * reads the payment's status from the API when the page loads again. This is the one place an
 * in-page challenge (a vault-origin container holding the bank's page) would replace.
 */
export function startAuthentication(actionUrl: string): void {
  const url = new URL(actionUrl, window.location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  // Setting href is allowed on another origin's Location (assign() is not): a framed checkout works.
  (window.top ?? window).location.href = url.href;
}
