import type { Db } from '@payin/db';
import { createBrokerPublisher } from './broker-publisher.js';
import type { JobLogger } from './deps.js';
import { startJobs } from './scheduler.js';

export interface RunningWorker {
  /** false while a configured broker cannot be reached (for /readyz). */
  brokerHealthy(): boolean;
  brokerConfigured: boolean;
  stop(): Promise<void>;
}

/**
 * The worker's whole set of jobs with its broker, as both entry points run it: inside the
 * api in embedded mode, and as apps/worker in production.
 */
export function startWorker(opts: {
  db: Db;
  log: JobLogger;
  amqpUrl: string | undefined;
  recover: () => Promise<unknown>;
}): RunningWorker {
  const publisher = opts.amqpUrl ? createBrokerPublisher({ url: opts.amqpUrl, log: opts.log }) : undefined;
  const jobs = startJobs({
    db: opts.db,
    log: opts.log,
    recover: opts.recover,
    ...(publisher ? { publisher } : {}),
  });
  return {
    brokerConfigured: publisher !== undefined,
    brokerHealthy: () => publisher?.isHealthy() ?? true,
    async stop() {
      await jobs.stop();
      await publisher?.close();
    },
  };
}
