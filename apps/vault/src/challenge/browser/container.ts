/// <reference lib="dom" />
import { CHALLENGE_COMPLETE, type ChallengeCompleteMessage, isChallengeComplete } from '../protocol.js';

/**
 * The container page's script. It relays the completion page's message to the checkout, and
 * nothing else: only from its own origin and from the bank's frame it holds (the bank's page
 * itself, on another origin, cannot end the challenge early), and only to the page origin the
 * vault checked against the merchant's registered origins (never `"*"`).
 */
const parentOrigin = document.documentElement.dataset.parentOrigin;
const bank = document.getElementById('payin-bank');

if (parentOrigin && bank instanceof HTMLIFrameElement && window.parent !== window) {
  const relay = (event: MessageEvent) => {
    if (event.origin !== location.origin || event.source !== bank.contentWindow) return;
    if (!isChallengeComplete(event.data)) return;
    window.removeEventListener('message', relay);
    const message: ChallengeCompleteMessage = { type: CHALLENGE_COMPLETE };
    window.parent.postMessage(message, parentOrigin);
  };
  window.addEventListener('message', relay);
}
