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
  isExpected: (body: string, status: number) => boolean;
  /** Send a fresh Idempotency-Key with every request, as an order service would. */
  idempotencyKeys?: boolean;
  /** Headers made anew for every request (a signature that may be used once), beside `headers`. */
  freshHeaders?: () => Record<string, string>;
  /**
   * Percentiles from each answer's own timing (sub-millisecond) rather than autocannon's histogram,
   * which keeps whole milliseconds: for comparing latencies a few milliseconds apart.
   */
  exactLatency?: boolean;
}

export interface LoadResult {
  durationSeconds: number;
  /** 2xx answers whose body was the expected one: the payments that went through, the tokens made. */
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

  const freshHeaders =
    options.freshHeaders ??
    (options.idempotencyKeys ? () => ({ 'idempotency-key': randomUUID() }) : undefined);
  /** Latencies of the 2xx answers in ms, as autocannon's histogram counts them; only with exactLatency. */
  const latencies: number[] = [];

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
            ...(freshHeaders
              ? {
                  setupRequest: (request: autocannon.Request) => ({
                    ...request,
                    headers: { ...request.headers, ...freshHeaders() },
                  }),
                }
              : {}),
            // autocannon only compares bodies for equality; checking the payment's status needs the body.
            onResponse: (status, body) => {
              if (status < 200 || status >= 300) {
                remember(status, body);
              } else if (options.isExpected(body, status)) {
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
          p50Ms: options.exactLatency ? percentile(latencies, 50) : result.latency.p50,
          p99Ms: options.exactLatency ? percentile(latencies, 99) : result.latency.p99,
          statusCounts: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]),
          ),
          sampleBodies,
        });
      },
    );
    if (options.exactLatency) {
      instance.on('response', (_client: unknown, status: number | string, _bytes: number, ms: number) => {
        if (Math.floor(Number(status) / 100) === 2) latencies.push(ms);
      });
    }
    const stop = (): void => instance.stop();
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
  });
}

/** Everything that is not an expected answer: non-2xx, wrong 2xx bodies, socket errors, timeouts. */
export function errorCount(result: LoadResult): number {
  return result.non2xx + result.unexpected + result.socketErrors + result.timeouts;
}

/** The expected answers (payments that went through, tokens made) per second. */
export function succeededPerSecond(result: LoadResult): number {
  return result.durationSeconds > 0 ? result.succeeded / result.durationSeconds : 0;
}

/** The nearest-rank percentile (as HdrHistogram reports it) of samples in any order; 0 when empty. */
function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}
