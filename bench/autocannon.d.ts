// autocannon ships no type declarations and @types/autocannon is not a dependency; this declares only
// the part of its programmatic API the bench uses (see node_modules/autocannon/README.md).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  namespace autocannon {
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string | Buffer;
      /** Called with every response of this request, body included (status is a number at run time). */
      onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
      /** Called before each send; returns the request to send (e.g. with a fresh header). */
      setupRequest?: (request: Request, context: Record<string, unknown>) => Request;
    }

    interface Options {
      url: string;
      connections?: number;
      /** Seconds. */
      duration?: number;
      /** Seconds before a request counts as timed out (default 10). */
      timeout?: number;
      pipelining?: number;
      requests?: Request[];
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      p50: number;
      p90: number;
      p99: number;
      p99_9: number;
      total?: number;
    }

    interface Result {
      /** Seconds actually run. */
      duration: number;
      /** Socket errors and timeouts together. */
      errors: number;
      timeouts: number;
      non2xx: number;
      '2xx': number;
      statusCodeStats: Record<string, { count: number }>;
      /** Milliseconds. */
      latency: Histogram;
      requests: Histogram & { sent: number };
    }

    interface Instance extends EventEmitter {
      stop(): void;
    }
  }

  function autocannon(
    options: autocannon.Options,
    callback: (error: Error | null, result: autocannon.Result) => void,
  ): autocannon.Instance;

  export default autocannon;
}
