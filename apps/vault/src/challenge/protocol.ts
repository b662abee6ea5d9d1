/**
 * The one message of the in-page 3-D Secure challenge. The completion page (where the bank's
 * frame lands) posts it to the container, same origin; the container posts it on to the
 * checkout, addressed to the page origin the vault validated. It carries no data at all: the
 * checkout learns the outcome by reading the payment from the api, never from a message that
 * another frame could have forged.
 */
export const CHALLENGE_COMPLETE = 'payin:challenge-complete';

export interface ChallengeCompleteMessage {
  type: typeof CHALLENGE_COMPLETE;
}

export const isChallengeComplete = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as { type?: unknown }).type === CHALLENGE_COMPLETE;
