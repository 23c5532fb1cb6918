-- Trieste schema, version 1: settings, issuer keys, issued-credential records, status lists.
-- PostgreSQL 15 features only (the embedded PGlite is PostgreSQL 18; servers may be 15).
-- Times are NumericDates, seconds since the epoch as double precision, as the core's Clock gives them.
-- No table holds a claim value. Later tables (transparency log, registry) come in later migrations.

CREATE TABLE settings (
  name text PRIMARY KEY,
  value text NOT NULL,
  updated_at double precision NOT NULL
);

-- Private keys are sealed with AES-256-GCM under a key derived from the master key (AAD = kid);
-- the ciphertext column is the encrypted private JWK followed by the 16-byte GCM tag.
CREATE TABLE issuer_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg IN ('ES256', 'EdDSA')),
  public_jwk jsonb NOT NULL CHECK (NOT public_jwk ? 'd'),
  private_key_ciphertext bytea NOT NULL,
  private_key_nonce bytea NOT NULL CHECK (octet_length(private_key_nonce) = 12),
  state text NOT NULL CHECK (state IN ('pending', 'active', 'retired')),
  created_at double precision NOT NULL,
  retired_at double precision,
  CHECK (state = 'retired' OR retired_at IS NULL)
);

-- At most one active key, whatever the application does.
CREATE UNIQUE INDEX issuer_keys_one_active ON issuer_keys (state) WHERE state = 'active';

CREATE TABLE status_lists (
  id text PRIMARY KEY,
  bits smallint NOT NULL CHECK (bits IN (1, 2, 4, 8)),
  size integer NOT NULL CHECK (size > 0),
  allocated integer NOT NULL DEFAULT 0 CHECK (allocated >= 0 AND allocated <= size),
  -- Incremented by every status change; a published version names the revision it reflects.
  revision bigint NOT NULL DEFAULT 0 CHECK (revision >= 0),
  -- The number of the latest saved version: incremented in the same statement that claims it.
  last_version integer NOT NULL DEFAULT 0 CHECK (last_version >= 0),
  created_at double precision NOT NULL
);

CREATE INDEX status_lists_open ON status_lists (bits, size, created_at, id);

-- One row per allocated entry: an index without a row was never handed out.
CREATE TABLE status_entries (
  list_id text NOT NULL REFERENCES status_lists (id),
  idx integer NOT NULL CHECK (idx >= 0),
  status smallint NOT NULL DEFAULT 0 CHECK (status >= 0 AND status <= 255),
  PRIMARY KEY (list_id, idx)
);

-- Snapshots read only the entries that are not VALID (0).
CREATE INDEX status_entries_not_valid ON status_entries (list_id, idx) WHERE status <> 0;

CREATE TABLE credentials (
  id text PRIMARY KEY,
  vct text NOT NULL,
  issuer_kid text NOT NULL,
  holder_key_thumbprint text,
  status_list_id text NOT NULL,
  status_index integer NOT NULL,
  issued_at double precision NOT NULL,
  expires_at double precision,
  UNIQUE (status_list_id, status_index),
  -- A credential points at an allocated status entry.
  FOREIGN KEY (status_list_id, status_index) REFERENCES status_entries (list_id, idx)
);

CREATE INDEX credentials_issued ON credentials (issued_at, id);

CREATE TABLE status_list_versions (
  list_id text NOT NULL REFERENCES status_lists (id),
  version integer NOT NULL CHECK (version > 0),
  revision bigint NOT NULL CHECK (revision >= 0),
  token text NOT NULL,
  issued_at double precision NOT NULL,
  expires_at double precision NOT NULL,
  PRIMARY KEY (list_id, version)
);

-- Append-only tables refuse UPDATE and DELETE, so a bug cannot rewrite what was published.
CREATE FUNCTION trieste_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER status_list_versions_append_only
  BEFORE UPDATE OR DELETE ON status_list_versions
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();
