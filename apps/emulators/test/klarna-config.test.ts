import { describe, expect, it } from 'vitest';
import { loadKlarnaConfig } from '../src/klarna/config.js';

describe('Klarna emulator configuration', () => {
  it('defaults to one playground merchant, 60-minute tokens and 28-day orders', () => {
    expect(loadKlarnaConfig({})).toEqual({
      credentials: [{ username: 'PK_test_payin', password: 'klarna_test_password' }],
      authorizationTtlMs: 3_600_000,
      orderLifetimeMs: 28 * 86_400_000,
      fraudReviewMs: 30_000,
      notificationRetryMs: 1_000,
    });
  });

  it('reads comma-separated username:password pairs, a password may hold a colon', () => {
    const config = loadKlarnaConfig({
      EMULATOR_KLARNA_CREDENTIALS: 'PK_a:one, PK_b:tw:o',
      EMULATOR_KLARNA_FRAUD_REVIEW_MS: '50',
    });
    expect(config.credentials).toEqual([
      { username: 'PK_a', password: 'one' },
      { username: 'PK_b', password: 'tw:o' },
    ]);
    expect(config.fraudReviewMs).toBe(50);
  });

  it('refuses credentials without a password separator and negative durations', () => {
    expect(() => loadKlarnaConfig({ EMULATOR_KLARNA_CREDENTIALS: 'PK_a' })).toThrow(/username:password/);
    expect(() => loadKlarnaConfig({ EMULATOR_KLARNA_AUTHORIZATION_TTL_MS: '-1' })).toThrow();
  });
});
