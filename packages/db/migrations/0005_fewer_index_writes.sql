-- Index writes are most of what a payment costs the database (three events, a payment and an
-- attempt per payment). Two kinds were not earning their keep:
--
-- Sequence numbers are unique by construction (bigserial) and only ever read through the
-- per-merchant and per-payment indexes; their own unique indexes were a write per row for
-- nothing.
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_seq_key;
ALTER TABLE payment_attempts DROP CONSTRAINT IF EXISTS payment_attempts_seq_key;
ALTER TABLE events DROP CONSTRAINT IF EXISTS events_seq_key;

-- The outbox relay looks for events not relayed, the broker publisher for events not
-- published; one partial index serves both queries.
DROP INDEX IF EXISTS events_unrelayed;
DROP INDEX IF EXISTS events_unpublished;
CREATE INDEX events_outbox ON events (seq) WHERE relayed_at IS NULL OR published_at IS NULL;
