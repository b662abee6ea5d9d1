/**
 * How every emulator delivers to the merchant (Adyen's and PayPal's webhooks, TrueLayer's,
 * Klarna's notifications): each delivery meets the delivery faults first (dropped, sent twice,
 * held), then is attempted until the receiver accepts it, on the provider's retry schedule.
 * Each provider says how one attempt is sent and accepted (`send`) and when the next comes.
 */
export interface Delivery {
  id: string;
  attempts: number;
  delivered: boolean;
  /** Lost by a fault: never sent, until a resend. */
  dropped?: boolean;
  /** The provider gave up retrying. */
  abandoned?: boolean;
  lastError?: string;
}

export interface DeliveryQueueOptions<D extends Delivery> {
  /** The delivery faults of the control API. */
  faults?: { nextDelivery(): 'drop' | 'duplicate' | 'send'; readonly deliveryDelayMs: number };
  /** One attempt: undefined when the receiver accepted it, else what went wrong. */
  send(delivery: D): Promise<string | undefined>;
  /** The wait before the next attempt of one not accepted; undefined gives it up. */
  nextRetryMs(delivery: D): number | undefined;
}

/** A retry schedule that doubles from `baseMs` up to `maxMs`, for ever. */
export const doublingRetry =
  (baseMs: number, maxMs: number) =>
  (delivery: Delivery): number =>
    Math.min(baseMs * 2 ** Math.max(0, delivery.attempts - 1), maxMs);

export class DeliveryQueue<D extends Delivery> {
  /** Every delivery made, as the control API shows them. */
  readonly deliveries: D[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The next attempt of each delivery waiting for one, by delivery id (a resend brings it forward). */
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly opts: DeliveryQueueOptions<D>) {}

  /** A new delivery, as the faults decide: dropped, sent (after their delay), or sent twice (`copy` makes the twin). */
  enqueue(delivery: D, copy: (delivery: D) => D): void {
    const fate = this.opts.faults?.nextDelivery() ?? 'send';
    if (fate === 'drop') {
      delivery.dropped = true;
      this.deliveries.push(delivery);
      return;
    }
    this.deliveries.push(delivery);
    // After the API answer has gone out, as providers do (later still when a fault delays it).
    const delayMs = this.opts.faults?.deliveryDelayMs ?? 0;
    this.schedule(delivery, delayMs);
    if (fate === 'duplicate') {
      const twin = copy(delivery);
      this.deliveries.push(twin);
      this.schedule(twin, delayMs);
    }
  }

  /**
   * Sends again, now, every delivery dropped or not accepted yet, as a dashboard's resend does.
   * One whose attempt is in flight is left to it (sending it twice at once would be a duplicate no
   * one asked for); one waiting for its retry gets it now. The faults are not applied again: a
   * resend is the merchant's own request. `accepts` narrows which deliveries may be resent.
   */
  resend(accepts: (delivery: D) => boolean = () => true): number {
    let resent = 0;
    for (const delivery of this.deliveries) {
      if (delivery.delivered || !accepts(delivery)) continue;
      const waiting = this.waiting.get(delivery.id);
      if (!delivery.dropped && !waiting) continue;
      if (waiting) {
        clearTimeout(waiting);
        this.timers.delete(waiting);
        this.waiting.delete(delivery.id);
      }
      delete delivery.dropped;
      delete delivery.abandoned;
      this.schedule(delivery, 0);
      resent += 1;
    }
    return resent;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
  }

  private schedule(delivery: D, delayMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.delete(delivery.id);
      void this.attempt(delivery);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
    this.waiting.set(delivery.id, timer);
  }

  private async attempt(delivery: D): Promise<void> {
    delivery.attempts += 1;
    let problem: string | undefined;
    try {
      problem = await this.opts.send(delivery);
    } catch (err) {
      problem = (err as Error).message;
    }
    if (problem === undefined) {
      delivery.delivered = true;
      delete delivery.lastError;
      return;
    }
    delivery.lastError = problem;
    const next = this.opts.nextRetryMs(delivery);
    if (next === undefined) delivery.abandoned = true;
    else this.schedule(delivery, next);
  }
}
