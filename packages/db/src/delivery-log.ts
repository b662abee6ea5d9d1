import type { ListResult, Page, Scope } from '@payin/core';
import type { Db } from './connect.js';
import { inScope } from './queries/context.js';

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  endpointId: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  tries: { attemptedAt: Date; statusCode: number | null; error: string | null; durationMs: number }[];
}

/** Deliveries of one endpoint with every attempt made, newest first (merchant-visible log). */
export async function listWebhookDeliveries(
  db: Db,
  scope: Scope,
  endpointId: string,
  page: Page,
): Promise<ListResult<DeliveryLogEntry>> {
  let q = db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('endpointId', '=', endpointId)
    .where(inScope(scope));
  if (page.startingAfter) {
    const cursor = await db
      .selectFrom('webhookDeliveries')
      .select('seq')
      .where('id', '=', page.startingAfter)
      .where('endpointId', '=', endpointId)
      .executeTakeFirst();
    q = q.where('seq', '<', cursor?.seq ?? 0);
  }
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(page.limit + 1)
    .execute();
  const shown = rows.slice(0, page.limit);
  const tries = shown.length
    ? await db
        .selectFrom('webhookDeliveryAttempts')
        .selectAll()
        .where(
          'deliveryId',
          'in',
          shown.map((r) => r.id),
        )
        .orderBy('seq', 'asc')
        .execute()
    : [];
  return {
    hasMore: rows.length > page.limit,
    data: shown.map((r) => ({
      id: r.id,
      eventId: r.eventId,
      endpointId: r.endpointId,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.nextAttemptAt ? new Date(r.nextAttemptAt) : null,
      createdAt: new Date(r.createdAt),
      tries: tries
        .filter((t) => t.deliveryId === r.id)
        .map((t) => ({
          attemptedAt: new Date(t.attemptedAt),
          statusCode: t.statusCode,
          error: t.error,
          durationMs: t.durationMs,
        })),
    })),
  };
}
