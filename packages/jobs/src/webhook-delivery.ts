import { unixSeconds } from '@payin/core';
import type { EventRow } from '@payin/db';
import type { JobDeps } from './deps.js';
import { eventPayload } from './event-payload.js';
import { nextWebhookRetryDelayMs } from './retry-schedule.js';
import { type HostResolver, resolveWebhookTarget } from './ssrf-guard.js';
import { postWebhook, type WebhookResponse } from './webhook-request.js';
import { webhookSignatureHeader } from './webhook-signature.js';

export interface DeliveryOptions {
  /** Deliveries claimed per call; they are sent in parallel. */
  limit: number;
  /**
   * How long a claimed delivery stays invisible to other workers. Longer than the HTTP timeout,
   * so that only a worker that died mid-delivery lets another one retry it.
   */
  leaseMs?: number;
  timeoutMs?: number;
  /** DNS for live-mode endpoints; tests replace it. */
  resolve?: HostResolver;
}

export type DeliveryOutcome = 'succeeded' | 'retrying' | 'failed';

export interface DeliveryResult {
  deliveryId: string;
  outcome: DeliveryOutcome;
}

const defaultLeaseMs = 60_000;

interface ClaimedDelivery {
  id: string;
  url: string;
  secret: string;
  livemode: boolean;
  endpointDeleted: boolean;
  event: EventRow;
}

/**
 * Sends the webhooks that are due. The claim is a short transaction that moves each delivery's
 * next_attempt_at forward by a lease; the HTTP calls happen after it commits, because holding
 * row locks (or, on PGlite, the only connection) for as long as a merchant's server takes to
 * answer would stall every other writer.
 */
export async function deliverDueWebhooks(deps: JobDeps, opts: DeliveryOptions): Promise<DeliveryResult[]> {
  const claimed = await claimDueDeliveries(deps, opts.limit, opts.leaseMs ?? defaultLeaseMs);
  return Promise.all(claimed.map((d) => deliverOne(deps, d, opts)));
}

async function claimDueDeliveries(deps: JobDeps, limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (tx) => {
    const due = await tx
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('nextAttemptAt', '<=', now)
      .orderBy('nextAttemptAt')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (due.length === 0) return [];
    const ids = due.map((d) => d.id);
    await tx
      .updateTable('webhookDeliveries')
      .set({ nextAttemptAt: new Date(now.getTime() + leaseMs) })
      .where('id', 'in', ids)
      .execute();
    const rows = await tx
      .selectFrom('webhookDeliveries as d')
      .innerJoin('webhookEndpoints as w', 'w.id', 'd.endpointId')
      .innerJoin('events as e', 'e.id', 'd.eventId')
      .select(['d.id', 'd.livemode', 'w.url', 'w.secret', 'w.deletedAt as endpointDeletedAt'])
      .select([
        'e.seq',
        'e.id as eventId',
        'e.merchantId',
        'e.livemode as eventLivemode',
        'e.type',
        'e.data',
        'e.createdAt',
        'e.relayedAt',
        'e.publishedAt',
      ])
      .where('d.id', 'in', ids)
      .orderBy('d.seq')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      secret: r.secret,
      livemode: r.livemode,
      endpointDeleted: r.endpointDeletedAt !== null,
      event: {
        seq: r.seq,
        id: r.eventId,
        merchantId: r.merchantId,
        livemode: r.eventLivemode,
        type: r.type,
        data: r.data,
        createdAt: r.createdAt,
        relayedAt: r.relayedAt,
        publishedAt: r.publishedAt,
      },
    }));
  });
}

async function deliverOne(deps: JobDeps, d: ClaimedDelivery, opts: DeliveryOptions): Promise<DeliveryResult> {
  if (d.endpointDeleted) {
    // The merchant removed the endpoint: its backlog is dropped, not sent to a URL they gave up.
    await deps.db
      .updateTable('webhookDeliveries')
      .set({ status: 'failed', nextAttemptAt: null })
      .where('id', '=', d.id)
      .where('status', '=', 'pending')
      .execute();
    return { deliveryId: d.id, outcome: 'failed' };
  }

  const attemptedAt = deps.clock.now();
  const started = performance.now();
  let response: WebhookResponse | null = null;
  let error: string | null = null;
  const target = await resolveWebhookTarget(d.url, {
    livemode: d.livemode,
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  });
  if (!target.ok) {
    error = `Not sent: ${target.reason}`;
  } else {
    const body = eventPayload(d.event);
    // The signature's time is the send time, not the event's: a merchant refusing old
    // timestamps must still accept a retry made days after the event.
    const signature = webhookSignatureHeader(d.secret, body, unixSeconds(deps.clock.now()));
    try {
      response = await postWebhook({
        url: d.url,
        body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'payin-webhooks/1',
          'payin-signature': signature,
        },
        pinnedAddress: target.address,
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      });
    } catch (err) {
      error = describeNetworkError(err);
    }
  }
  const durationMs = Math.round(performance.now() - started);
  const succeeded = response !== null && response.statusCode >= 200 && response.statusCode < 300;
  const outcome = await recordAttempt(deps, d.id, {
    attemptedAt,
    statusCode: response?.statusCode ?? null,
    error,
    durationMs,
    responseBody: response?.body ?? null,
    succeeded,
  });
  return { deliveryId: d.id, outcome };
}

interface AttemptRecord {
  attemptedAt: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseBody: string | null;
  succeeded: boolean;
}

/** Stores the attempt and decides what comes next, in one transaction. */
async function recordAttempt(deps: JobDeps, deliveryId: string, a: AttemptRecord): Promise<DeliveryOutcome> {
  return deps.db.transaction().execute(async (tx) => {
    const current = await tx
      .selectFrom('webhookDeliveries')
      .select(['attempts', 'status'])
      .where('id', '=', deliveryId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await tx
      .insertInto('webhookDeliveryAttempts')
      .values({
        deliveryId,
        attemptedAt: a.attemptedAt,
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
        responseBody: a.responseBody,
      })
      .execute();
    const attempts = current.attempts + 1;
    // Another worker whose lease overlapped ours may have finished it already: keep its verdict.
    if (current.status !== 'pending') {
      await tx.updateTable('webhookDeliveries').set({ attempts }).where('id', '=', deliveryId).execute();
      return current.status === 'succeeded' ? 'succeeded' : 'failed';
    }
    const delay = a.succeeded ? null : nextWebhookRetryDelayMs(attempts);
    const outcome: DeliveryOutcome = a.succeeded ? 'succeeded' : delay === null ? 'failed' : 'retrying';
    await tx
      .updateTable('webhookDeliveries')
      .set({
        attempts,
        status: outcome === 'retrying' ? 'pending' : outcome,
        nextAttemptAt: delay === null ? null : new Date(deps.clock.now().getTime() + delay),
      })
      .where('id', '=', deliveryId)
      .execute();
    return outcome;
  });
}

/** A short, secret-free description of why no HTTP answer came back. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return 'Request failed.';
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'Timed out waiting for the endpoint.';
  const code = (err as { code?: unknown }).code;
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${typeof code === 'string' ? `${code} ` : ''}${err.message}${cause}`.slice(0, 500);
}
