-- The vault's own database: nothing here is readable without a key-encryption key that lives
-- elsewhere (the key provider). Card data is sealed with AES-256-GCM under a data key; data keys
-- are stored only wrapped by a KEK (PCI DSS 3.5, 3.6).

CREATE TABLE data_keys (
  id text PRIMARY KEY,
  kek_id text NOT NULL,
  wrapped_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- No new encryption after this instant; existing ciphertexts stay readable.
  retired_at timestamptz
);
CREATE INDEX data_keys_kek ON data_keys (kek_id);

-- Secrets of the vault itself (the fingerprint key), sealed like card data.
CREATE TABLE vault_secrets (
  name text PRIMARY KEY,
  data_key_id text NOT NULL REFERENCES data_keys (id),
  sealed text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tokens (
  id text PRIMARY KEY,
  merchant_id text NOT NULL,
  livemode boolean NOT NULL,
  data_key_id text NOT NULL REFERENCES data_keys (id),
  -- PAN, expiry and holder name, sealed with the token id as authenticated data.
  sealed_card text NOT NULL,
  -- What may be shown (PCI DSS 3.4: BIN and last four at most).
  brand text NOT NULL,
  available_brands text[] NOT NULL,
  bin text NOT NULL CHECK (bin ~ '^[0-9]{6}$'),
  last4 text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  exp_month integer NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
  exp_year integer NOT NULL,
  funding text,
  country text,
  fingerprint text NOT NULL,
  has_holder_name boolean NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- A token nobody retained (saved as a payment method) stops working after this.
  expires_at timestamptz
);
CREATE INDEX tokens_fingerprint ON tokens (merchant_id, fingerprint);

-- The CVC, apart: destroyed at first use or after ten minutes (PCI DSS 3.3.1.2 allows keeping
-- it only until authorisation).
CREATE TABLE token_cvcs (
  token_id text PRIMARY KEY REFERENCES tokens (id) ON DELETE CASCADE,
  data_key_id text NOT NULL REFERENCES data_keys (id),
  sealed_cvc text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX token_cvcs_expiry ON token_cvcs (expires_at);

-- Who did what with which token, when, and how it ended. Never card data (PCI DSS 10.2).
CREATE TABLE audit_events (
  seq bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  merchant_id text,
  token_id text,
  outcome text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_token ON audit_events (token_id) WHERE token_id IS NOT NULL;
