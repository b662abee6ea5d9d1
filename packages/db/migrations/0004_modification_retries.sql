-- Captures and refunds whose provider answer was lost are retried with their own idempotency
-- key (the provider answers the first request's result) on a backoff, like attempts.
-- next_inquiry_at is set from the start (the request's lease): one left without an answer by
-- a request that died is picked up too; a provider's "pending" clears it (a webhook follows).
ALTER TABLE refunds ADD COLUMN inquiries integer NOT NULL DEFAULT 0;
CREATE INDEX refunds_unresolved ON refunds (next_inquiry_at) WHERE status = 'pending';

ALTER TABLE captures ADD COLUMN inquiries integer NOT NULL DEFAULT 0;
ALTER TABLE captures ADD COLUMN next_inquiry_at timestamptz;
CREATE INDEX captures_unresolved ON captures (next_inquiry_at) WHERE status IN ('pending', 'unknown');
