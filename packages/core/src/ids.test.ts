import { describe, expect, it } from 'vitest';
import { newId, randomToken } from './ids.js';

describe('ids', () => {
  it('prefixes ids with their type', () => {
    expect(newId('payment')).toMatch(/^pay_[0-9A-Za-z]{24}$/);
    expect(newId('refund')).toMatch(/^re_[0-9A-Za-z]{24}$/);
    expect(newId('event')).toMatch(/^evt_[0-9A-Za-z]{24}$/);
  });

  it('never repeats, across many refills of the random pool', () => {
    const seen = new Set(Array.from({ length: 20_000 }, () => randomToken(24)));
    expect(seen.size).toBe(20_000);
  });

  it('uses every base62 character about equally often', () => {
    const counts = new Map<string, number>();
    for (const c of randomToken(62_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // 1,000 expected per character; a biased alphabet would be far off.
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(200);
  });
});
