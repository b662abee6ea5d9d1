import { createHash } from 'node:crypto';
import { errors, PayinError } from '../errors.js';
import type { Scope } from '../records.js';
import type { Store, StoreTx } from '../store.js';
import type { Clock } from './deps.js';

/** What a request answers: stored as-is for replays. */
export interface ApiResponse {
  status: number;
  body: unknown;
}

/**
 * Stripe-style atomic phases. A mutating operation runs as a few transactions; each one also
 * records how far the request got (`reach`), and the last one stores the response (`finish`).
 * A request cut off between phases (crash, kill -9, lost connection) is retried with the same
 * Idempotency-Key and resumes at the last recovery point: work that committed is never done
 * twice, and provider calls in between reuse their own idempotency keys.
 */
export interface Progress {
  readonly point: string;
  readonly data: Readonly<Record<string, string>>;
  reach(tx: StoreTx, point: string, data?: Record<string, string>): Promise<void>;
  finish(tx: StoreTx, response: ApiResponse): Promise<void>;
}

export const noIdempotency: Progress = {
  point: 'started',
  data: {},
  async reach() {},
  async finish() {},
};

export interface IdempotentRequest {
  scope: Scope;
  key: string | undefined;
  method: string;
  path: string;
  /** The parameters as sent; compared on reuse of the key. */
  params: unknown;
}

export interface IdempotencyOptions {
  store: Store;
  clock: Clock;
  /**
   * How long a request holds its key. A request still running after this is presumed dead
   * (its process crashed) and a retry takes the key over and resumes it. Longer than the
   * slowest provider call, so a live request is never resumed twice.
   */
  leaseMs: number;
}

export type IdempotentResult = ApiResponse & { replayed: boolean };

/** Canonical JSON (sorted keys) so that the same parameters hash the same in any order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(method: string, path: string, params: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(params)}`)
    .digest('hex');
}

export async function runIdempotent(
  opts: IdempotencyOptions,
  req: IdempotentRequest,
  operation: (progress: Progress) => Promise<ApiResponse>,
): Promise<IdempotentResult> {
  if (req.key === undefined) {
    return { ...(await operation(noIdempotency)), replayed: false };
  }
  const { store, clock } = opts;
  const key = req.key;
  const hash = requestHash(req.method, req.path, req.params);
  const now = clock.now();

  const record = {
    ...req.scope,
    key,
    requestMethod: req.method,
    requestPath: req.path,
    requestHash: hash,
    lockedAt: now,
    recoveryPoint: 'started',
    recoveryData: {},
    responseStatus: null,
    responseBody: null,
    createdAt: now,
  };
  // A new key, the common case, is claimed in one statement; only a key seen before needs
  // the locked read below.
  const claim: { point: string; data: Record<string, string> } | { replay: ApiResponse } =
    (await store.insertIdempotencyKey(record))
      ? { point: 'started', data: {} }
      : await store.transaction(async (tx) => {
          const existing = await tx.lockIdempotencyKey(req.scope, key);
          // Gone since the insert (expired): it was never used; this request is its first use.
          if (!existing) throw errors.idempotencyInFlight();
          if (existing.requestHash !== hash) throw errors.idempotencyMismatch();
          if (existing.responseStatus !== null) {
            return { replay: { status: existing.responseStatus, body: existing.responseBody } };
          }
          if (existing.lockedAt && now.getTime() - existing.lockedAt.getTime() < opts.leaseMs) {
            throw errors.idempotencyInFlight();
          }
          // The previous holder is gone (crashed or gave up): take the key over and resume.
          await tx.updateIdempotencyKey(req.scope, key, { lockedAt: now });
          return { point: existing.recoveryPoint, data: existing.recoveryData };
        });
  if ('replay' in claim) return { ...claim.replay, replayed: true };
  const resumed = claim;

  let finished = false;
  const progress: Progress = {
    point: resumed.point,
    data: resumed.data,
    async reach(tx, point, data) {
      await tx.updateIdempotencyKey(req.scope, key, {
        recoveryPoint: point,
        recoveryData: { ...resumed.data, ...data },
      });
    },
    async finish(tx, response) {
      finished = true;
      await tx.updateIdempotencyKey(req.scope, key, {
        recoveryPoint: 'finished',
        responseStatus: response.status,
        responseBody: response.body,
        lockedAt: null,
      });
    },
  };

  try {
    const response = await operation(progress);
    if (!finished) await store.transaction((tx) => progress.finish(tx, response));
    return { ...response, replayed: false };
  } catch (err) {
    if (err instanceof PayinError && storesResult(err.status)) {
      // The operation ran and refused: that answer is the request's result, replayed on retry.
      const response = { status: err.status, body: err.toJSON() };
      await store.transaction((tx) => progress.finish(tx, response));
      throw err;
    }
    // Our fault or a transient refusal: release the key (keeping its recovery point) so that a
    // retry resumes at once instead of waiting for the lease to run out.
    await store
      .transaction((tx) => tx.updateIdempotencyKey(req.scope, key, { lockedAt: null }))
      .catch(() => undefined);
    throw err;
  }
}

/** 4xx answers are results; 409 (busy), 429 (slow down) and 5xx are not, and are not stored. */
function storesResult(status: number): boolean {
  return status >= 400 && status < 500 && status !== 409 && status !== 429;
}
