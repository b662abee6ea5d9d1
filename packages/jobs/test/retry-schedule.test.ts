import { maxWebhookAttempts, nextWebhookRetryDelayMs, webhookRetrySchedule } from '@payin/jobs';
import { describe, expect, it } from 'vitest';

const day = 24 * 60 * 60 * 1000;

describe('webhook retry schedule', () => {
  const start = new Date('2030-03-01T12:00:00Z');
  const schedule = webhookRetrySchedule(start);

  it('keeps trying for at least three days', () => {
    expect(schedule).toHaveLength(maxWebhookAttempts);
    const last = schedule.at(-1) as Date;
    expect(last.getTime() - start.getTime()).toBeGreaterThanOrEqual(3 * day);
  });

  it('retries the first failure within a minute', () => {
    const firstRetry = schedule[1] as Date;
    expect(firstRetry.getTime() - start.getTime()).toBeLessThan(60_000);
  });

  it('never waits less than before, nor more than a day', () => {
    const gaps = schedule.slice(1).map((t, i) => t.getTime() - (schedule[i] as Date).getTime());
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1] as number);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(day);
  });

  it('has no delay left after the last attempt', () => {
    expect(nextWebhookRetryDelayMs(1)).toBe(30_000);
    expect(nextWebhookRetryDelayMs(maxWebhookAttempts - 1)).toBe(day);
    expect(nextWebhookRetryDelayMs(maxWebhookAttempts)).toBeNull();
    expect(() => nextWebhookRetryDelayMs(0)).toThrow(RangeError);
  });
});
