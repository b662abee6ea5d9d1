const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * Wait before the next attempt, indexed by the number of attempts already made (the first
 * entry follows attempt 1). The first retry comes quickly because most failures are a deploy or
 * a blip; the tail keeps trying daily so that a merchant who fixes an endpoint within three days
 * still receives every event (API.md, "Events and webhooks").
 */
export const webhookRetryDelaysMs: readonly number[] = [
  30 * second,
  2 * minute,
  10 * minute,
  30 * minute,
  1 * hour,
  2 * hour,
  4 * hour,
  8 * hour,
  16 * hour,
  24 * hour,
  24 * hour,
  24 * hour,
];

/** The first attempt plus one per retry delay; after the last the delivery is failed. */
export const maxWebhookAttempts = webhookRetryDelaysMs.length + 1;

/** Delay before the next attempt once `attemptsMade` attempts failed; null when none is left. */
export function nextWebhookRetryDelayMs(attemptsMade: number): number | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) throw new RangeError(`attemptsMade must be >= 1`);
  return webhookRetryDelaysMs[attemptsMade - 1] ?? null;
}

/** When every attempt happens if each one fails, starting at `firstAttemptAt`. */
export function webhookRetrySchedule(firstAttemptAt: Date): Date[] {
  const times = [firstAttemptAt];
  let at = firstAttemptAt.getTime();
  for (const delay of webhookRetryDelaysMs) {
    at += delay;
    times.push(new Date(at));
  }
  return times;
}
