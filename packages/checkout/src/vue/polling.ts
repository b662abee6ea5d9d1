/**
 * How long and how often the checkout reads a payment whose outcome is on its way (`processing`:
 * a bank or a provider answers later): after 2 s, then each wait half as long again up to 5 s,
 * for 2 minutes in all. Then the shopper keeps the message that they will be told; the merchant
 * learns the outcome from its webhooks anyway.
 */
export const pollingSchedule = { firstMs: 2_000, growth: 1.5, maxMs: 5_000, forMs: 120_000 } as const;

/**
 * Calls `read` on that schedule for as long as `waiting()` holds. A failed read is one more
 * reason to ask again, not an outcome. Returns the function that stops it.
 */
export function pollPayment(read: () => Promise<void>, waiting: () => boolean): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let waited = 0;
  let delay: number = pollingSchedule.firstMs;
  const schedule = () => {
    if (stopped || waited >= pollingSchedule.forMs) return;
    timer = setTimeout(async () => {
      waited += delay;
      delay = Math.min(delay * pollingSchedule.growth, pollingSchedule.maxMs);
      await read().catch(() => undefined);
      if (waiting()) schedule();
    }, delay);
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
