-- Merchant webhook endpoints and every delivery attempt made to them.

CREATE TABLE webhook_endpoints (
  seq             bigserial UNIQUE,
  id              text PRIMARY KEY,
  merchant_id     text NOT NULL REFERENCES merchants(id),
  livemode        boolean NOT NULL,
  url             text NOT NULL,
  enabled_events  jsonb NOT NULL,
  description     text,
  secret          text NOT NULL,
  created_at      timestamptz NOT NULL,
  deleted_at      timestamptz
);
CREATE INDEX webhook_endpoints_scope ON webhook_endpoints (merchant_id, livemode, seq DESC) WHERE deleted_at IS NULL;

CREATE TABLE webhook_deliveries (
  seq              bigserial UNIQUE,
  id               text PRIMARY KEY,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints(id),
  event_id         text NOT NULL REFERENCES events(id),
  merchant_id      text NOT NULL,
  livemode         boolean NOT NULL,
  status           text NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq DESC);

CREATE TABLE webhook_delivery_attempts (
  seq            bigserial PRIMARY KEY,
  delivery_id    text NOT NULL REFERENCES webhook_deliveries(id),
  attempted_at   timestamptz NOT NULL,
  status_code    integer,
  error          text,
  duration_ms    integer NOT NULL,
  response_body  text
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, seq);
