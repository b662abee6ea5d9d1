/// <reference lib="dom" />
/**
 * How the shopper reaches their bank's 3-D Secure page.
 *
 * In the page (the default): the checkout confirms with the vault's completion page as the
 * payment's `return_url`, then frames the vault's container (`/v1/challenge`) on the bank's
 * page, where the shopper stays. At the end the bank's frame lands on the completion page,
 * which tells the container, which tells the checkout with `{ type: 'payin:challenge-complete' }`
 * (`apps/vault/src/challenge/README.md`); the checkout then reads the payment. That side is
 * `challenge.ts` and `ChallengeFrame.vue`.
 *
 * By a full-page redirect (the fallback: `authentication: 'redirect'`, no `postMessage`, a
 * page without an http(s) origin, or the shopper's "open your bank's page"): the top window
 * goes to the bank's page, the payment's `return_url` brings the shopper back, and the
 * checkout reads the payment when the page loads again. That is this function.
 */

export function startAuthentication(actionUrl: string): void {
  const url = new URL(actionUrl, window.location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  // Setting href is allowed on another origin's Location (assign() is not): a framed checkout works.
  (window.top ?? window).location.href = url.href;
}
