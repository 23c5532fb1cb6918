-- Trieste schema, version 4: the issuer's OpenID4VCI 1.0 sessions. PostgreSQL 15 only.
--
-- An offer row holds what the token and credential endpoints need: hashes of the pre-authorized
-- code, the transaction code and the access token (SHA-256; the tx_code hash is bound to the
-- pre-authorized code, so a copy of this table does not let anyone try the few digits offline),
-- and two sealed secrets: the pre-authorized code itself (to serve the offer by reference until it
-- is redeemed) and the prepared claims (personal data). Both are AES-256-GCM under a key derived
-- from the master key, with the offer id as additional data. The code is forgotten on redemption,
-- the claims on issuance, and both when the offer expires.
CREATE TABLE credential_offers (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  credential_configuration_id text NOT NULL CHECK (length(credential_configuration_id) BETWEEN 1 AND 200),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  pre_authorized_code_sha256 bytea NOT NULL UNIQUE CHECK (octet_length(pre_authorized_code_sha256) = 32),
  pre_authorized_code_ciphertext bytea,
  pre_authorized_code_nonce bytea CHECK (octet_length(pre_authorized_code_nonce) = 12),
  tx_code_sha256 bytea CHECK (octet_length(tx_code_sha256) = 32),
  tx_code_length integer CHECK (tx_code_length BETWEEN 1 AND 32),
  tx_code_input_mode text CHECK (tx_code_input_mode IN ('numeric', 'text')),
  tx_code_description text CHECK (length(tx_code_description) <= 300),
  claims_ciphertext bytea,
  claims_nonce bytea CHECK (octet_length(claims_nonce) = 12),
  state text NOT NULL CHECK (state IN ('offered', 'redeemed', 'issued', 'locked')),
  failed_tx_code_attempts integer NOT NULL DEFAULT 0 CHECK (failed_tx_code_attempts >= 0),
  access_token_sha256 bytea UNIQUE CHECK (octet_length(access_token_sha256) = 32),
  access_token_expires_at double precision,
  created_at double precision NOT NULL,
  expires_at double precision NOT NULL,
  created_by text,
  CHECK ((tx_code_sha256 IS NULL) = (tx_code_length IS NULL)),
  CHECK ((claims_ciphertext IS NULL) = (claims_nonce IS NULL)),
  CHECK ((pre_authorized_code_ciphertext IS NULL) = (pre_authorized_code_nonce IS NULL))
);
CREATE INDEX credential_offers_expires_at ON credential_offers (expires_at)
  WHERE claims_ciphertext IS NOT NULL OR pre_authorized_code_ciphertext IS NOT NULL;

-- c_nonces of the nonce endpoint (OpenID4VCI 1.0 §7): a key proof must carry one, once.
CREATE TABLE credential_nonces (
  nonce text PRIMARY KEY CHECK (length(nonce) BETWEEN 16 AND 128),
  expires_at double precision NOT NULL
);
CREATE INDEX credential_nonces_expires_at ON credential_nonces (expires_at);

-- Holder keys (RFC 7638 thumbprints) and the subject they were first bound to: a key bound to one
-- holder's credential is refused for another's.
CREATE TABLE holder_key_bindings (
  thumbprint text PRIMARY KEY CHECK (thumbprint ~ '^[A-Za-z0-9_-]{43}$'),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  created_at double precision NOT NULL
);
