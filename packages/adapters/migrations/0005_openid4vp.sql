-- Trieste schema, version 5: the verifier's OpenID4VP presentation requests. PostgreSQL 15 only.
--
-- A request row holds what the verifier needs to check one wallet response: the nonce and state
-- it issued, the DCQL query (claim paths, never a holder's values), and two sealed secrets: the
-- ephemeral ECDH-ES private key of a direct_post.jwt request and the verified result. Both are
-- AES-256-GCM under a key derived from the master key, with the request id as additional data, so
-- a row copied onto another id does not open. Rows are deleted when `delete_at` passes: results
-- are kept only as long as the relying party needs to collect them.
CREATE TABLE presentation_requests (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  -- Unique, so a nonce or state is never valid for two requests.
  nonce text NOT NULL UNIQUE CHECK (length(nonce) BETWEEN 16 AND 128),
  state text NOT NULL UNIQUE CHECK (length(state) BETWEEN 16 AND 128),
  api_key_id text NOT NULL,
  query jsonb NOT NULL CHECK (jsonb_typeof(query) = 'object'),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
  response_mode text NOT NULL CHECK (response_mode IN ('direct_post', 'direct_post.jwt')),
  trusted_issuers jsonb NOT NULL CHECK (jsonb_typeof(trusted_issuers) = 'array'),
  webhook_url text,
  status text NOT NULL CHECK (status IN ('pending', 'verified', 'failed')),
  reason text,
  encryption_key_ciphertext bytea,
  encryption_key_nonce bytea CHECK (octet_length(encryption_key_nonce) = 12),
  result_ciphertext bytea,
  result_nonce bytea CHECK (octet_length(result_nonce) = 12),
  created_at double precision NOT NULL,
  expires_at double precision NOT NULL,
  answered_at double precision,
  delete_at double precision NOT NULL,
  CHECK ((status = 'pending') = (answered_at IS NULL))
);

-- The retention job deletes by time.
CREATE INDEX presentation_requests_delete_at ON presentation_requests (delete_at);

-- The verifier's request-signing key (JAR, RFC 9101): one per installation, sealed at rest like
-- the log key. Its public key is the verifier's client identifier (did:jwk).
CREATE TABLE verifier_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg = 'ES256'),
  public_jwk jsonb NOT NULL CHECK (NOT public_jwk ? 'd'),
  private_key_ciphertext bytea NOT NULL,
  private_key_nonce bytea NOT NULL CHECK (octet_length(private_key_nonce) = 12),
  created_at double precision NOT NULL
);

CREATE UNIQUE INDEX verifier_keys_one ON verifier_keys ((true));
