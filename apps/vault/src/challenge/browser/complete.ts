/// <reference lib="dom" />
import { CHALLENGE_COMPLETE, type ChallengeCompleteMessage } from '../protocol.js';

/**
 * The completion page's script. Framed by the container, it tells the container, addressed to
 * the vault's own origin: a page of any other origin framing it hears nothing. Opened as the
 * whole window (the shopper took the full-page fallback, or a provider redirected the window),
 * it goes on to the merchant's return URL, which the vault checked and filled in.
 */
const back = document.documentElement.dataset.back;

if (window.parent !== window) {
  const message: ChallengeCompleteMessage = { type: CHALLENGE_COMPLETE };
  window.parent.postMessage(message, location.origin);
} else if (back) {
  location.replace(back);
}
