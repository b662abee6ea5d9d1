import { eventView } from '@payin/core';
import { type EventRow, eventRecordFromRow } from '@payin/db';

/**
 * The bytes an event travels as, to the broker and to merchant webhooks alike: the API's view
 * of the event, so a consumer sees the same JSON as GET /v1/events/{id}.
 */
export function eventPayload(row: EventRow): string {
  return JSON.stringify(eventView(eventRecordFromRow(row)));
}
