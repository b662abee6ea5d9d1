import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The simulated 3-D Secure challenge. The challenge page signs the shopper's choice so the
 * return leg cannot be forged by editing the URL, as a real ACS signs its result. The key is
 * fixed: the sandbox moves no money and only exists in test mode.
 */
const CHALLENGE_KEY = 'payin-sandbox-3ds';

export type ChallengeResult = 'pass' | 'fail';

export function signChallengeResult(attemptId: string, result: ChallengeResult): string {
  const mac = createHmac('sha256', CHALLENGE_KEY).update(`${attemptId}.${result}`).digest('hex');
  return `${result}.${mac}`;
}

export function verifyChallengeResult(
  attemptId: string,
  token: string | undefined,
): ChallengeResult | undefined {
  if (!token) return undefined;
  const [result] = token.split('.', 1);
  if (result !== 'pass' && result !== 'fail') return undefined;
  const expected = Buffer.from(signChallengeResult(attemptId, result));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? result : undefined;
}

export function challengeUrl(publicUrl: string, attemptId: string, returnUrl: string): string {
  return `${publicUrl}/sandbox/3ds/${attemptId}?return_url=${encodeURIComponent(returnUrl)}`;
}
