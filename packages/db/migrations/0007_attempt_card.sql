-- The masked card an attempt was made with (brand and last four, from the vault's token): what
-- a connector may need after the fact (the sandbox picks its test behaviour by it). Never more.
ALTER TABLE payment_attempts ADD COLUMN card jsonb;
