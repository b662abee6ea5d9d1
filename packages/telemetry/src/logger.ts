import { redactSensitive } from '@payin/core';
import pino from 'pino';

/**
 * JSON logs, one object per line. Everything passes through redactSensitive (card numbers,
 * keys, secrets) at the logger, whatever the caller put in.
 */
export function createLogger(level: string, service = 'payin-api', destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (obj) => redactSensitive(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // Messages are strings the caller built: mask them too.
          const masked = args.map((a) => (typeof a === 'string' ? (redactSensitive(a) as string) : a));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export type Logger = ReturnType<typeof createLogger>;
