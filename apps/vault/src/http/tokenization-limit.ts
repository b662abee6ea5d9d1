import { errors } from '@payin/core';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Card testing — a fraudster trying stolen numbers one after another — goes through
 * tokenization first: each client address may tokenize so many cards a minute (60 by default,
 * far above a shopper retyping a card). Counted per vault process; a 429 says when to retry.
 */
export class TokenizationLimit {
  private readonly limiter: RateLimiterMemory | null;

  constructor(perMinute: number) {
    this.limiter =
      perMinute > 0
        ? new RateLimiterMemory({ points: perMinute, duration: 60, keyPrefix: 'tokenize' })
        : null;
  }

  async take(clientAddress: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(clientAddress);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      throw errors.rateLimited(
        Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)),
        'Too many cards tokenized from this address. Retry later.',
      );
    }
  }
}
