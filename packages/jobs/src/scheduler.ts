import { type Clock, systemClock } from '@payin/core';
import type { Db } from '@payin/db';
import type { EventPublisher } from './broker-publisher.js';
import type { JobDeps, JobLogger } from './deps.js';
import { expireIdempotencyKeys } from './idempotency-expiry.js';
import { relayEvents } from './outbox-relay.js';
import { type DeliveryOptions, deliverDueWebhooks } from './webhook-delivery.js';

export interface JobIntervals {
  relayMs: number;
  publishMs: number;
  deliveryMs: number;
  recoverMs: number;
  expireMs: number;
}

export interface JobBatchSizes {
  relay: number;
  publish: number;
  delivery: number;
}

export const defaultJobIntervals: JobIntervals = {
  relayMs: 200,
  publishMs: 200,
  deliveryMs: 500,
  recoverMs: 1000,
  expireMs: 60_000,
};
export const defaultJobBatchSizes: JobBatchSizes = { relay: 100, publish: 100, delivery: 20 };

export interface StartJobsOptions {
  db: Db;
  log: JobLogger;
  clock?: Clock;
  /** The broker publisher when AMQP_URL is set; without it the relay marks events published. */
  publisher?: EventPublisher;
  intervals?: Partial<JobIntervals>;
  batch?: Partial<JobBatchSizes>;
  delivery?: Omit<DeliveryOptions, 'limit'>;
  /** Recovery of unknown payment outcomes, supplied by the api (it owns the connectors). */
  recover?: () => Promise<unknown>;
}

export interface JobsHandle {
  /** Runs every job once, in order (relay, publish, deliver, recover), after any run in progress. */
  runOnce(): Promise<void>;
  /** Stops the timers and waits for the runs in progress. */
  stop(): Promise<void>;
}

/**
 * One job on a timer. The next run is scheduled only when the previous one finished, so a job
 * never overlaps with itself (two relays at once would only contend for the same rows); a run
 * that filled its batch is followed at once by another, so a backlog drains at full speed.
 */
class RepeatingJob {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private batchWasFull = false;

  constructor(
    private readonly name: string,
    private readonly everyMs: number,
    /** Returns true when there is probably more work waiting. */
    private readonly work: () => Promise<boolean>,
    private readonly log: JobLogger,
  ) {}

  start() {
    this.schedule(this.everyMs);
  }

  /** Joins the run in progress, or starts one. */
  run(): Promise<void> {
    this.running ??= this.tick().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** A run that starts after this call: what a caller who just wrote rows wants. */
  async runAfterCurrent(): Promise<void> {
    await this.running;
    await this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      this.batchWasFull = await this.work();
    } catch (err) {
      // A failing job (database restarting, broker down) must not take the process with it:
      // it is logged and tried again on the next tick.
      this.batchWasFull = false;
      this.log.error({ err, job: this.name }, `${this.name} failed`);
    }
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      await this.run();
      this.schedule(this.batchWasFull ? 0 : this.everyMs);
    }, ms);
  }
}

/**
 * Runs the background jobs of payin on timers: the outbox relay, the broker publisher, the
 * webhook delivery loop and the api's recovery of unknown outcomes. Used by the worker app, and
 * by the api when it runs everything in one process.
 */
export function startJobs(opts: StartJobsOptions): JobsHandle {
  const deps: JobDeps = { db: opts.db, clock: opts.clock ?? systemClock };
  const intervals = { ...defaultJobIntervals, ...opts.intervals };
  const batch = { ...defaultJobBatchSizes, ...opts.batch };
  const { log, publisher, recover } = opts;

  const jobs: RepeatingJob[] = [
    new RepeatingJob(
      'outbox relay',
      intervals.relayMs,
      async () =>
        (await relayEvents(deps, { limit: batch.relay, brokerConfigured: !!publisher })) >= batch.relay,
      log,
    ),
  ];
  if (publisher) {
    jobs.push(
      new RepeatingJob(
        'event publisher',
        intervals.publishMs,
        async () => (await publisher.publishPending(deps, { limit: batch.publish })) >= batch.publish,
        log,
      ),
    );
  }
  jobs.push(
    new RepeatingJob(
      'webhook delivery',
      intervals.deliveryMs,
      async () => {
        const results = await deliverDueWebhooks(deps, { ...opts.delivery, limit: batch.delivery });
        for (const r of results) {
          if (r.outcome === 'failed') log.warn({ deliveryId: r.deliveryId }, 'webhook delivery given up');
        }
        return results.length >= batch.delivery;
      },
      log,
    ),
  );
  jobs.push(
    new RepeatingJob(
      'idempotency key expiry',
      intervals.expireMs,
      async () => (await expireIdempotencyKeys(deps, { limit: 1000 })) >= 1000,
      log,
    ),
  );
  if (recover) {
    jobs.push(
      new RepeatingJob(
        'outcome recovery',
        intervals.recoverMs,
        async () => {
          await recover();
          return false;
        },
        log,
      ),
    );
  }

  for (const job of jobs) job.start();
  return {
    async runOnce() {
      for (const job of jobs) await job.runAfterCurrent();
    },
    async stop() {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}
