import type { Selectable } from 'kysely';
import type { EventsTable } from './schema.js';

/**
 * What the background jobs (@payin/jobs) need from the row layer: they query the outbox with
 * their own locking SQL, then read an event row the same way the API does, so a webhook or a
 * broker message carries exactly what GET /v1/events/{id} returns.
 */
export type EventRow = Selectable<EventsTable>;
export { event as eventRecordFromRow } from './rows.js';
