-- Attempts a provider took and will settle later (`processing`: a bank transfer executing, a
-- payment under review) are asked about again like those whose outcome was lost (`unknown`):
-- the recovery job reads both, so the index of attempts to ask about covers both.
DROP INDEX IF EXISTS payment_attempts_unresolved;
CREATE INDEX payment_attempts_unresolved ON payment_attempts (status, next_inquiry_at)
  WHERE status IN ('pending', 'unknown', 'processing');
