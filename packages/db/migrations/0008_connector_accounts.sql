-- A merchant's account at a provider (its Adyen merchant account and API key, …): which
-- connector takes which payment methods, per mode. Credentials are sealed by the api
-- (AES-256-GCM) before they are written; the database never holds them in clear.
CREATE TABLE connector_accounts (
  seq                   bigserial UNIQUE,
  id                    text PRIMARY KEY,
  merchant_id           text NOT NULL REFERENCES merchants(id),
  livemode              boolean NOT NULL,
  connector             text NOT NULL,
  payment_method_types  jsonb NOT NULL,
  settings              jsonb NOT NULL,
  sealed_credentials    text NOT NULL,
  created_at            timestamptz NOT NULL,
  deleted_at            timestamptz
);
CREATE INDEX connector_accounts_scope ON connector_accounts (merchant_id, livemode, seq DESC) WHERE deleted_at IS NULL;

-- The account an attempt went through: its captures, refunds and webhooks use the same one.
ALTER TABLE payment_attempts ADD COLUMN connector_account text;

-- Notifications from providers (Adyen's webhooks), kept raw as they came once verified, then
-- applied by the worker. The event key makes a duplicate delivery a no-op.
CREATE TABLE provider_notifications (
  seq                bigserial UNIQUE,
  id                 text PRIMARY KEY,
  connector          text NOT NULL,
  connector_account  text NOT NULL REFERENCES connector_accounts(id),
  event_key          text NOT NULL,
  payload            jsonb NOT NULL,
  received_at        timestamptz NOT NULL,
  processed_at       timestamptz,
  attempts           integer NOT NULL DEFAULT 0,
  next_attempt_at    timestamptz,
  outcome            text,
  UNIQUE (connector_account, event_key)
);
CREATE INDEX provider_notifications_due ON provider_notifications (next_attempt_at) WHERE processed_at IS NULL;
