-- Trieste schema, version 3: API keys of the services (admin, registrar…). PostgreSQL 15 only.
--
-- A key is `trieste.<id>.<secret>`: `id` is public (it names the key), the 256-bit secret is stored
-- only as its SHA-256, so a copy of this table lets nobody call the API. The server compares
-- hashes in constant time. Keys are revoked, never deleted, so an audit can name who held one.
CREATE TABLE api_keys (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  -- A JSON array of role names.
  roles jsonb NOT NULL CHECK (jsonb_typeof(roles) = 'array'),
  secret_sha256 bytea NOT NULL CHECK (octet_length(secret_sha256) = 32),
  created_at double precision NOT NULL,
  revoked_at double precision
);
