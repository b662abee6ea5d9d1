import type { Clock } from '@payin/core';
import type { Db } from '@payin/db';

/** What every job needs: the database and a clock that tests can move. */
export interface JobDeps {
  db: Db;
  clock: Clock;
}

/** The subset of pino the jobs use, so the api and the worker pass their own logger. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
