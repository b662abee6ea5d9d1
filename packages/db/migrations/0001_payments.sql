-- Merchants, their API keys, payments and everything that changes their money.
-- Amounts are bigint minor units. Every list is ordered by a bigserial `seq`: creation order,
-- stable within one second, so cursors never skip or repeat.

CREATE TABLE merchants (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  country     text NOT NULL,
  rate_limit  integer NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  merchant_id  text NOT NULL REFERENCES merchants(id),
  kind         text NOT NULL CHECK (kind IN ('secret', 'publishable')),
  livemode     boolean NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  key_hint     text NOT NULL,
  created_at   timestamptz NOT NULL,
  revoked_at   timestamptz
);

CREATE TABLE payments (
  seq                     bigserial UNIQUE,
  id                      text PRIMARY KEY,
  merchant_id             text NOT NULL REFERENCES merchants(id),
  livemode                boolean NOT NULL,
  amount                  bigint NOT NULL CHECK (amount > 0),
  currency                text NOT NULL,
  status                  text NOT NULL,
  capture_method          text NOT NULL,
  amount_capturable       bigint NOT NULL DEFAULT 0 CHECK (amount_capturable >= 0),
  amount_received         bigint NOT NULL DEFAULT 0 CHECK (amount_received >= 0),
  amount_refunded         bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0),
  reference               text,
  description             text,
  customer                text,
  country                 text,
  payment_method          text,
  payment_method_details  jsonb,
  next_action             jsonb,
  last_error              jsonb,
  client_secret           text NOT NULL,
  return_url              text,
  metadata                jsonb NOT NULL DEFAULT '{}',
  cancellation_reason     text,
  canceled_at             timestamptz,
  -- set while a cancellation is being sent to the provider: no capture may start meanwhile
  cancel_requested_at     timestamptz,
  connector               text,
  created_at              timestamptz NOT NULL,
  updated_at              timestamptz NOT NULL DEFAULT now(),
  -- The invariants of money, enforced by the database as a last line of defence.
  CHECK (amount_received <= amount),
  CHECK (amount_refunded <= amount_received),
  CHECK (amount_capturable + amount_received <= amount)
);
CREATE INDEX payments_scope_seq ON payments (merchant_id, livemode, seq DESC);
CREATE INDEX payments_customer ON payments (merchant_id, livemode, customer, seq DESC) WHERE customer IS NOT NULL;
CREATE INDEX payments_reference ON payments (merchant_id, livemode, reference, seq DESC) WHERE reference IS NOT NULL;
CREATE INDEX payments_status ON payments (merchant_id, livemode, status, seq DESC);

CREATE TABLE payment_attempts (
  seq                 bigserial UNIQUE,
  id                  text PRIMARY KEY,
  payment_id          text NOT NULL REFERENCES payments(id),
  merchant_id         text NOT NULL,
  connector           text NOT NULL,
  status              text NOT NULL,
  amount              bigint NOT NULL,
  currency            text NOT NULL,
  capture             boolean NOT NULL,
  payment_method      text NOT NULL,
  provider_reference  text,
  action              jsonb,
  error               jsonb,
  inquiries           integer NOT NULL DEFAULT 0,
  next_inquiry_at     timestamptz,
  created_at          timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX payment_attempts_payment ON payment_attempts (payment_id, seq DESC);
CREATE INDEX payment_attempts_unresolved ON payment_attempts (status, next_inquiry_at)
  WHERE status IN ('pending', 'unknown');

CREATE TABLE captures (
  id          text PRIMARY KEY,
  payment_id  text NOT NULL REFERENCES payments(id),
  attempt_id  text NOT NULL REFERENCES payment_attempts(id),
  amount      bigint NOT NULL CHECK (amount > 0),
  final       boolean NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX captures_payment ON captures (payment_id);

CREATE TABLE refunds (
  seq                 bigserial UNIQUE,
  id                  text PRIMARY KEY,
  merchant_id         text NOT NULL,
  livemode            boolean NOT NULL,
  payment_id          text NOT NULL REFERENCES payments(id),
  attempt_id          text NOT NULL REFERENCES payment_attempts(id),
  amount              bigint NOT NULL CHECK (amount > 0),
  currency            text NOT NULL,
  status              text NOT NULL,
  outcome_unknown     boolean NOT NULL DEFAULT false,
  next_inquiry_at     timestamptz,
  reason              text,
  failure_reason      text,
  metadata            jsonb NOT NULL DEFAULT '{}',
  provider_reference  text,
  created_at          timestamptz NOT NULL
);
CREATE INDEX refunds_scope_seq ON refunds (merchant_id, livemode, seq DESC);
CREATE INDEX refunds_payment ON refunds (payment_id, seq DESC);

-- The outbox: written in the transaction of the change, relayed by the worker.
CREATE TABLE events (
  seq          bigserial UNIQUE,
  id           text PRIMARY KEY,
  merchant_id  text NOT NULL,
  livemode     boolean NOT NULL,
  type         text NOT NULL,
  data         jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  -- webhook fan-out done
  relayed_at   timestamptz,
  -- published to the message broker (set with relayed_at when no broker is configured)
  published_at timestamptz
);
CREATE INDEX events_scope_seq ON events (merchant_id, livemode, seq DESC);
CREATE INDEX events_unrelayed ON events (seq) WHERE relayed_at IS NULL;
CREATE INDEX events_unpublished ON events (seq) WHERE published_at IS NULL;

CREATE TABLE idempotency_keys (
  merchant_id      text NOT NULL,
  livemode         boolean NOT NULL,
  key              text NOT NULL,
  request_method   text NOT NULL,
  request_path     text NOT NULL,
  request_hash     text NOT NULL,
  locked_at        timestamptz,
  recovery_point   text NOT NULL,
  recovery_data    jsonb NOT NULL DEFAULT '{}',
  response_status  integer,
  response_body    jsonb,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (merchant_id, livemode, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
