/// <reference lib="dom" />
/**
 * The in-page 3-D Secure challenge's side of the checkout: whether the page can hold it, the
 * vault's URLs it uses, and the size of the bank's window. The vault's side and the protocol:
 * `apps/vault/src/challenge/README.md`.
 */

export type AuthenticationMode = 'frame' | 'redirect';

/** The vault's one message: the bank's frame reached the completion page. It carries nothing else. */
export const CHALLENGE_COMPLETE = 'payin:challenge-complete';

/** Whether this page can hold the challenge: the vault must be able to address it by origin. */
export function canFrameChallenge(mode: AuthenticationMode | undefined): boolean {
  return (
    mode !== 'redirect' &&
    typeof window !== 'undefined' &&
    typeof window.postMessage === 'function' &&
    /^https?:$/.test(window.location.protocol)
  );
}

/**
 * EMV 3-D Secure challenge window sizes (`challengeWindowSize`, EMV 3DS Protocol and Core
 * Functional Specification): 01 = 250×400, 02 = 390×400, 03 = 500×600, 04 = 600×400,
 * 05 = full screen. The checkout takes 03 or 02 when it fits the width it has, and under
 * 390 px, a phone, 05: all the checkout's width, 400 px high (01, 250 px wide, would leave a
 * phone's screen mostly empty beside the bank's page). 04 is never taken: it is wider than 03
 * but lower, and issuers' pages grow downwards.
 */
export type ChallengeWindowSize = '02' | '03' | '05';

export function challengeWindowSize(width: number): ChallengeWindowSize {
  if (width >= 500) return '03';
  if (width >= 390) return '02';
  return '05';
}

export interface ChallengeContext {
  vaultUrl: string;
  publishableKey: string;
  locale: string;
}

const challengeBase = (vaultUrl: string) => `${vaultUrl.replace(/\/$/, '')}/v1/challenge`;

/** The vault's page holding the bank's page, for this page's origin (the only one it will talk to). */
export function challengeContainerUrl(context: ChallengeContext, actionUrl: string): string {
  const query = new URLSearchParams({
    url: actionUrl,
    key: context.publishableKey,
    origin: window.location.origin,
    locale: context.locale,
  });
  return `${challengeBase(context.vaultUrl)}?${query}`;
}

/**
 * The payment's `return_url` for a challenge in the page: the vault's completion page. It
 * carries the merchant's return URL, where the completion page sends a whole window (the
 * shopper who took the full-page fallback after confirming).
 */
export function challengeReturnUrl(context: ChallengeContext, merchantReturnUrl: string): string {
  const query = new URLSearchParams({
    key: context.publishableKey,
    origin: window.location.origin,
    locale: context.locale,
    return_url: merchantReturnUrl,
  });
  return `${challengeBase(context.vaultUrl)}/complete?${query}`;
}

/** Whether a payment's `return_url` leads back to the vault's container (so it may be framed). */
export function returnsToChallenge(vaultUrl: string, returnUrl: string | null | undefined): boolean {
  return returnUrl?.startsWith(`${challengeBase(vaultUrl)}/complete?`) === true;
}
