import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export interface LoadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:4000 */
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  /** Whether a 2xx answer is the one we wanted (e.g. the payment really succeeded). */
  isExpected: (body: string) => boolean;
  /** Send a fresh Idempotency-Key with every request, as an order service would. */
  idempotencyKeys?: boolean;
}

export interface LoadResult {
  durationSeconds: number;
  /** 2xx answers whose body was the expected one: the payments that went through. */
  succeeded: number;
  /** 2xx answers with some other body. */
  unexpected: number;
  non2xx: number;
  /** Socket errors, timeouts excluded. */
  socketErrors: number;
  timeouts: number;
  /** Latency percentiles over all answers, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Number of answers per HTTP status, to explain errors. */
  statusCounts: Record<string, number>;
  /** The first few distinct unexpected answers (status and body), to explain errors. */
  sampleBodies: string[];
}

const MAX_SAMPLE_BODIES = 3;

/**
 * Sends the same POST from `connections` keep-alive connections, each waiting for its answer before the
 * next request (closed loop), for `durationSeconds`. `signal` stops it early (Ctrl-C, a crashed child).
 */
export function runLoad(options: LoadOptions, signal?: AbortSignal): Promise<LoadResult> {
  let succeeded = 0;
  let unexpected = 0;
  const sampleBodies: string[] = [];
  const remember = (status: number, body: string): void => {
    const sample = `${status} ${body.slice(0, 300)}`;
    if (sampleBodies.length < MAX_SAMPLE_BODIES && !sampleBodies.includes(sample)) sampleBodies.push(sample);
  };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        requests: [
          {
            method: 'POST',
            path: options.path,
            headers: options.headers,
            body: options.body,
            ...(options.idempotencyKeys
              ? {
                  setupRequest: (request: autocannon.Request) => ({
                    ...request,
                    headers: { ...request.headers, 'idempotency-key': randomUUID() },
                  }),
                }
              : {}),
            // autocannon only compares bodies for equality; checking the payment's status needs the body.
            onResponse: (status, body) => {
              if (status < 200 || status >= 300) {
                remember(status, body);
              } else if (options.isExpected(body)) {
                succeeded++;
              } else {
                unexpected++;
                remember(status, body);
              }
            },
          },
        ],
      },
      (error, result) => {
        signal?.removeEventListener('abort', stop);
        if (error) return reject(error);
        resolve({
          durationSeconds: result.duration,
          succeeded,
          unexpected,
          non2xx: result.non2xx,
          socketErrors: result.errors - result.timeouts,
          timeouts: result.timeouts,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          statusCounts: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
          ),
          sampleBodies,
        });
      },
    );
    const stop = (): void => instance.stop();
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Everything that is not a payment going through: non-2xx, wrong 2xx bodies, socket errors, timeouts. */
export function errorCount(result: LoadResult): number {
  return result.non2xx + result.unexpected + result.socketErrors + result.timeouts;
}

export function paymentsPerSecond(result: LoadResult): number {
  return result.durationSeconds > 0 ? result.succeeded / result.durationSeconds : 0;
}
