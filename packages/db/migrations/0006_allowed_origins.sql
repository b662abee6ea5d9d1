-- Web origins whose pages may host a merchant's card fields (the vault's frame-ancestors and
-- its tokenization check read them through the api).
CREATE TABLE allowed_origins (
  seq         bigserial UNIQUE,
  id          text PRIMARY KEY,
  merchant_id text NOT NULL REFERENCES merchants(id),
  livemode    boolean NOT NULL,
  origin      text NOT NULL,
  created_at  timestamptz NOT NULL,
  UNIQUE (merchant_id, livemode, origin)
);
CREATE INDEX allowed_origins_scope ON allowed_origins (merchant_id, livemode, seq DESC);
