import { errors, type MerchantRecord } from '@payin/core';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';

/**
 * Request budgets: per merchant per second (the limit set on the merchant) and failed
 * authentications per client address per minute. Counted in Redis when REDIS_URL is set, so
 * every api replica shares one budget; otherwise in this process's memory. If Redis stops
 * answering, counting falls back to memory rather than refusing payments.
 */
export interface RateLimits {
  merchantRequest(merchant: MerchantRecord): Promise<void>;
  checkAuthFailures(ip: string): Promise<void>;
  authFailure(ip: string): Promise<void>;
}

export function createRateLimits(opts: {
  redis?: Redis | undefined;
  /** Namespace of the counters in Redis, so several environments can share one server. */
  keyPrefix: string;
  authFailuresPerMinute: number;
}): RateLimits {
  const perMerchant = new Map<number, RateLimiterAbstract>();
  const make = (points: number, duration: number, keyPrefix: string): RateLimiterAbstract => {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    return opts.redis
      ? new RateLimiterRedis({
          storeClient: opts.redis,
          points,
          duration,
          keyPrefix,
          insuranceLimiter: memory,
        })
      : memory;
  };
  const merchantLimiter = (points: number) => {
    let limiter = perMerchant.get(points);
    if (!limiter) {
      limiter = make(points, 1, `${opts.keyPrefix}:rl:merchant:${points}`);
      perMerchant.set(points, limiter);
    }
    return limiter;
  };
  const authFailures = make(opts.authFailuresPerMinute, 60, `${opts.keyPrefix}:rl:authfail`);

  const retryAfter = (res: unknown) =>
    res instanceof RateLimiterRes ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 1;

  return {
    async merchantRequest(merchant) {
      try {
        await merchantLimiter(merchant.rateLimit).consume(merchant.id);
      } catch (res) {
        if (res instanceof RateLimiterRes) throw errors.rateLimited(retryAfter(res));
        throw res;
      }
    },
    async checkAuthFailures(ip) {
      const res = await authFailures.get(ip);
      if (res && res.consumedPoints >= opts.authFailuresPerMinute) {
        throw errors.rateLimited(
          retryAfter(res),
          'Too many failed authentication attempts from this address. Retry later.',
        );
      }
    },
    async authFailure(ip) {
      await authFailures.penalty(ip, 1).catch(() => undefined);
    },
  };
}
