-- Trieste schema, version 2: the transparency log (RFC 9162 Merkle tree; C2SP tlog-checkpoint,
-- tlog-tiles, tlog-cosignature). PostgreSQL 15 features only.
--
-- Entries are queued in log_pending by the transaction that makes the change they record, so a
-- change and its entry commit (or roll back) together; the sequencer then moves them, in one
-- transaction, into log_entries with consecutive indices, stores every completed subtree hash in
-- log_nodes and advances log_state. What is sequenced is append-only: triggers refuse to rewrite it.

-- Entries are at most 65535 bytes: a tlog-tiles entry bundle gives each entry a 2-byte length.
CREATE TABLE log_pending (
  id bigserial PRIMARY KEY,
  data bytea NOT NULL CHECK (octet_length(data) <= 65535),
  queued_at double precision NOT NULL
);

CREATE TABLE log_entries (
  idx bigint PRIMARY KEY CHECK (idx >= 0),
  data bytea NOT NULL CHECK (octet_length(data) <= 65535),
  -- SHA-256(0x00 || data), RFC 9162 §2.1.1.
  leaf_hash bytea NOT NULL CHECK (octet_length(leaf_hash) = 32)
);

-- Every complete subtree: (level, idx) covers leaves [idx·2^level, (idx+1)·2^level); level 0 holds
-- the leaf hashes. Inclusion and consistency proofs and hash tiles are primary-key reads.
CREATE TABLE log_nodes (
  level smallint NOT NULL CHECK (level >= 0 AND level < 63),
  idx bigint NOT NULL CHECK (idx >= 0),
  hash bytea NOT NULL CHECK (octet_length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- The one row the sequencer locks (FOR UPDATE): two sequencers never assign the same index.
CREATE TABLE log_state (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  size bigint NOT NULL CHECK (size >= 0),
  root_hash bytea NOT NULL CHECK (octet_length(root_hash) = 32)
);

-- The empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).
INSERT INTO log_state (singleton, size, root_hash)
VALUES (true, 0, '\xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

-- Signed checkpoints (C2SP tlog-checkpoint), as published: one per size, sizes only grow.
CREATE TABLE log_checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  note text NOT NULL,
  created_at double precision NOT NULL
);

-- The log's Ed25519 key, sealed with AES-256-GCM under a key derived from the master key with its
-- own HKDF label (AAD = kid), like issuer_keys. One key: a log's key is its identity.
CREATE TABLE log_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL CHECK (alg = 'EdDSA'),
  public_jwk jsonb NOT NULL CHECK (NOT public_jwk ? 'd'),
  private_key_ciphertext bytea NOT NULL,
  private_key_nonce bytea NOT NULL CHECK (octet_length(private_key_nonce) = 12),
  created_at double precision NOT NULL
);

CREATE UNIQUE INDEX log_keys_one ON log_keys ((true));

-- Witnesses whose cosignatures the log collects: C2SP verifier keys (name+hash+base64). A
-- witness's key is not replaced in place: a new key is a trust change, made under a new name.
CREATE TABLE log_witnesses (
  name text PRIMARY KEY,
  vkey text NOT NULL
);

-- Cosignature lines (C2SP tlog-cosignature), verified by the caller before they are stored.
CREATE TABLE log_cosignatures (
  size bigint NOT NULL REFERENCES log_checkpoints (size),
  witness text NOT NULL REFERENCES log_witnesses (name),
  line text NOT NULL,
  PRIMARY KEY (size, witness)
);

CREATE TRIGGER log_entries_append_only
  BEFORE UPDATE OR DELETE ON log_entries
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();

CREATE TRIGGER log_nodes_append_only
  BEFORE UPDATE OR DELETE ON log_nodes
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();

CREATE TRIGGER log_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();

CREATE TRIGGER log_cosignatures_append_only
  BEFORE UPDATE OR DELETE ON log_cosignatures
  FOR EACH ROW EXECUTE FUNCTION trieste_refuse_rewrite();
