import { newId } from '@payin/core';
import type { JobDeps } from './deps.js';

export interface RelayOptions {
  /** Events taken per call. */
  limit: number;
  /**
   * True when a broker publisher runs: it sets `published_at` after the broker confirms. False
   * means there is no broker, and the relay marks events published itself so the column keeps
   * meaning "nothing left to do".
   */
  brokerConfigured: boolean;
}

/**
 * Fans the outbox out to webhook deliveries: for each event not relayed yet (oldest first), one
 * pending delivery per live endpoint of the same merchant and mode that subscribes to its type,
 * then marks the event relayed. All in one transaction, so a crash leaves either everything or
 * nothing; the unique (endpoint_id, event_id) makes a second run after a partial failure a no-op.
 * Returns the number of events relayed.
 */
export async function relayEvents(deps: JobDeps, opts: RelayOptions): Promise<number> {
  return deps.db.transaction().execute(async (tx) => {
    // SKIP LOCKED: several workers share the outbox, each takes rows no other holds.
    const events = await tx
      .selectFrom('events')
      .select(['id', 'seq'])
      .where('relayedAt', 'is', null)
      .orderBy('seq')
      .limit(opts.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (events.length === 0) return 0;
    const eventIds = events.map((e) => e.id);
    const now = deps.clock.now();

    const targets = await tx
      .selectFrom('events as e')
      .innerJoin('webhookEndpoints as w', (join) =>
        join
          .onRef('w.merchantId', '=', 'e.merchantId')
          .onRef('w.livemode', '=', 'e.livemode')
          // An endpoint hears about what happens after it exists, not about the past.
          .onRef('w.createdAt', '<=', 'e.createdAt'),
      )
      .select(['e.id as eventId', 'w.id as endpointId', 'e.merchantId', 'e.livemode'])
      .where('e.id', 'in', eventIds)
      .where('w.deletedAt', 'is', null)
      .where((eb) =>
        eb.or([
          eb('w.enabledEvents', '@>', eb.cast<string[]>(eb.val('["*"]'), 'jsonb')),
          eb('w.enabledEvents', '@>', eb.fn<string[]>('jsonb_build_array', [eb.ref('e.type')])),
        ]),
      )
      .orderBy('e.seq')
      .orderBy('w.seq')
      .execute();

    if (targets.length > 0) {
      await tx
        .insertInto('webhookDeliveries')
        .values(
          targets.map((t) => ({
            id: newId('webhookDelivery'),
            endpointId: t.endpointId,
            eventId: t.eventId,
            merchantId: t.merchantId,
            livemode: t.livemode,
            status: 'pending' as const,
            attempts: 0,
            nextAttemptAt: now,
            createdAt: now,
          })),
        )
        .onConflict((oc) => oc.columns(['endpointId', 'eventId']).doNothing())
        .execute();
    }

    await tx
      .updateTable('events')
      .set((eb) => ({
        relayedAt: now,
        ...(opts.brokerConfigured ? {} : { publishedAt: eb.fn.coalesce('publishedAt', eb.val(now)) }),
      }))
      .where('id', 'in', eventIds)
      .execute();
    return events.length;
  });
}
