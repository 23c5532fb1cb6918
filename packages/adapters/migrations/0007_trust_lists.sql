-- Trieste schema, version 7: trust lists (docs/trust-list-profile.md). PostgreSQL 15 only.
--
-- The operator side: the entries of this jurisdiction's list (issuers, recognitions of other
-- jurisdictions), the signed versions it published and the keys it signs them with. Every change
-- locks the one trust_list_state row, changes entries, and inserts version last_sequence + 1 with
-- its transparency log entry, in one transaction. The verifier side: the lists this installation
-- accepted (its own and other jurisdictions'), so it verifies offline after a restart.

-- The row every change locks (FOR UPDATE): versions are numbered 1, 2, 3… without gaps or races.
CREATE TABLE trust_list_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_sequence bigint NOT NULL CHECK (last_sequence >= 0)
);

INSERT INTO trust_list_state (singleton, last_sequence) VALUES (true, 0);

-- Issuer entries, in the form the core's parser accepted (keys as public JWKs with kid and
-- optional x5c; times as NumericDates). Nothing personal: issuers are organisations.
CREATE TABLE trust_list_issuers (
  id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 2048),
  entry jsonb NOT NULL CHECK (jsonb_typeof(entry) = 'object' AND entry ->> 'id' = id),
  status text NOT NULL CHECK (status IN ('granted', 'withdrawn')),
  updated_at double precision NOT NULL
);

CREATE TABLE trust_list_recognitions (
  jurisdiction text PRIMARY KEY CHECK (jurisdiction ~ '^[A-Z]{2}$'),
  recognition jsonb NOT NULL
    CHECK (jsonb_typeof(recognition) = 'object' AND recognition ->> 'jurisdiction' = jurisdiction),
  updated_at double precision NOT NULL
);

-- Published versions: append-only, like status list versions and the log.
CREATE TABLE trust_list_versions (
  sequence_number bigint PRIMARY KEY CHECK (sequence_number >= 1),
  jws text NOT NULL,
  issued_at double precision NOT NULL,
  next_update double precision NOT NULL CHECK (next_update > issued_at),
  signed_by text NOT NULL
);

CREATE TRIGGER trust_list_versions_append_only
  BEFORE UPDATE OR DELETE ON trust_list_versions
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();

-- The operator's signing keys, sealed with AES-256-GCM under their own HKDF subkey of the master
-- key (AAD "trust-list:" + kid). At most one active and one pending key.
CREATE TABLE trust_list_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('ES256', 'EdDSA')),
  public_jwk jsonb NOT NULL CHECK (NOT public_jwk ? 'd'),
  private_key_ciphertext bytea NOT NULL,
  private_key_nonce bytea NOT NULL CHECK (octet_length(private_key_nonce) = 12),
  state text NOT NULL CHECK (state IN ('pending', 'active', 'retired')),
  created_at double precision NOT NULL,
  retired_at double precision,
  CHECK ((state = 'retired') = (retired_at IS NOT NULL))
);

CREATE UNIQUE INDEX trust_list_keys_one_active ON trust_list_keys ((true)) WHERE state = 'active';
CREATE UNIQUE INDEX trust_list_keys_one_pending ON trust_list_keys ((true)) WHERE state = 'pending';

-- The verifier's cache: the newest list accepted per jurisdiction. The update only ever moves a
-- row forward (sequence_number never decreases), a second guard against rollback after the core's.
CREATE TABLE trust_list_cache (
  jurisdiction text PRIMARY KEY CHECK (jurisdiction ~ '^[A-Z]{2}$'),
  jws text NOT NULL,
  sequence_number bigint NOT NULL CHECK (sequence_number >= 1),
  fetched_at double precision NOT NULL
);
