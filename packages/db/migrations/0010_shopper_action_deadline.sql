-- An attempt waiting for the shopper (a bank's page, a wallet, a voucher to pay) gets a
-- deadline in next_inquiry_at: past it, the recovery job asks the provider what became of it.
-- The index of attempts to ask about covers them too.
DROP INDEX IF EXISTS payment_attempts_unresolved;
CREATE INDEX payment_attempts_unresolved ON payment_attempts (status, next_inquiry_at)
  WHERE status IN ('pending', 'unknown', 'processing', 'requires_action');
