import type { Db } from '@payin/db';
import type { Logger } from './logger.js';
import type { ReadinessCheck } from './routes/health.js';

export interface BackgroundJobs {
  brokerCheck?: ReadinessCheck;
  stop(): Promise<void>;
}

/** The worker's jobs, run inside the api in embedded mode. */
export async function startBackgroundJobs(opts: {
  db: Db;
  logger: Logger;
  amqpUrl: string | undefined;
  recover: () => Promise<unknown>;
}): Promise<BackgroundJobs> {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = opts
      .recover()
      .catch((err: unknown) => opts.logger.error({ err }, 'recovery failed'))
      .finally(() => {
        running = undefined;
      });
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
