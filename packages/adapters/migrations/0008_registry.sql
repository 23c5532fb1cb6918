-- Trieste schema, version 8: the foundational identity registry. PostgreSQL 15 only.
--
-- A person is one row: the current record as JSON (`data`), its state and UIN, who enrolled it,
-- where and when. Every change keeps the replaced version in registry_person_versions with who,
-- when and why; a merge leaves the merged row as a tombstone (state 'merged', merged_into the
-- survivor), so nothing is lost. Deduplication finds candidates through registry_blocking_keys:
-- one row per (key, person), keys hashed to 64 bits by the store, primary key (key, person_id) so a
-- lookup of the ~100 keys of one enrolment is that many index probes whatever the registry's size.
CREATE TABLE registry_persons (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  uin text UNIQUE CHECK (uin ~ '^[0-9]{6,18}$'),
  state text NOT NULL CHECK (state IN ('pending', 'active', 'deactivated', 'deceased', 'merged')),
  version integer NOT NULL CHECK (version >= 1),
  data jsonb NOT NULL CHECK (jsonb_typeof(data) = 'object'),
  registrar text NOT NULL CHECK (length(registrar) BETWEEN 1 AND 300),
  office text NOT NULL CHECK (length(office) BETWEEN 1 AND 300),
  enrolled_at double precision NOT NULL,
  created_at double precision NOT NULL,
  updated_at double precision NOT NULL,
  merged_into text REFERENCES registry_persons (id),
  date_of_death text CHECK (date_of_death ~ '^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$'),
  date_of_death_estimated boolean NOT NULL DEFAULT false,
  -- The record's rows in registry_blocking_keys (their key hashes), so replacing them deletes by
  -- primary key instead of maintaining a second index on the largest table.
  blocking_keys bigint[] NOT NULL DEFAULT '{}',
  -- A UIN from activation on, kept by every later state; only pending records (and tombstones of
  -- records merged while pending) have none.
  CHECK (uin IS NOT NULL OR state IN ('pending', 'merged')),
  CHECK ((state = 'merged') = (merged_into IS NOT NULL)),
  CHECK ((state = 'deceased') = (date_of_death IS NOT NULL))
);

-- No foreign key and no index but the primary key: this table takes ~13 rows per person and each
-- index on it is paid at every enrolment; rows are only written and deleted with their person.
CREATE TABLE registry_blocking_keys (
  key bigint NOT NULL,
  person_id text NOT NULL,
  PRIMARY KEY (key, person_id)
);

-- Enrolments lock the stripes of their keys (FOR UPDATE, in stripe order, in one statement) so
-- two enrolments that could match each other run one after the other; rows, not advisory locks,
-- so the scheme carries over to Citus and YugabyteDB (ARCHITECTURE.md). Row -1 stands for the
-- whole registry: every enrolment holds it FOR SHARE, a bulk import batch FOR UPDATE (one lock
-- instead of tens of thousands of stripes).
CREATE TABLE registry_key_stripes (
  stripe integer PRIMARY KEY CHECK (stripe BETWEEN -1 AND 65535)
);
INSERT INTO registry_key_stripes (stripe) SELECT generate_series(-1, 65535);

CREATE TABLE registry_person_versions (
  person_id text NOT NULL REFERENCES registry_persons (id),
  version integer NOT NULL CHECK (version >= 1),
  state text NOT NULL,
  uin text,
  data jsonb NOT NULL,
  merged_into text,
  date_of_death text,
  date_of_death_estimated boolean NOT NULL DEFAULT false,
  -- The change that replaced this version.
  replaced_by text NOT NULL CHECK (length(replaced_by) BETWEEN 1 AND 300),
  replaced_at double precision NOT NULL,
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  PRIMARY KEY (person_id, version)
);

-- Guardian links follow the ward's record (data.guardians), for "whose guardian is this person".
CREATE TABLE registry_guardians (
  ward_id text NOT NULL REFERENCES registry_persons (id),
  guardian_id text NOT NULL REFERENCES registry_persons (id),
  relationship text NOT NULL CHECK (relationship IN ('mother', 'father', 'parent', 'legal_guardian')),
  PRIMARY KEY (ward_id, guardian_id)
);
CREATE INDEX registry_guardians_guardian ON registry_guardians (guardian_id);

-- The adjudication queue: a pending case per grey-zone enrolment, decided once by a supervisor.
CREATE TABLE registry_cases (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  subject_id text NOT NULL REFERENCES registry_persons (id),
  -- [{ "personId", "score", "weights" }]: references and scores, no personal data.
  candidates jsonb NOT NULL CHECK (jsonb_typeof(candidates) = 'array'),
  state text NOT NULL CHECK (state IN ('pending', 'decided')),
  created_at double precision NOT NULL,
  outcome text CHECK (outcome IN ('distinct', 'same')),
  survivor_id text REFERENCES registry_persons (id),
  supervisor text CHECK (length(supervisor) BETWEEN 1 AND 300),
  decided_at double precision,
  note text CHECK (length(note) <= 1000),
  CHECK ((state = 'decided') = (outcome IS NOT NULL AND supervisor IS NOT NULL AND decided_at IS NOT NULL)),
  CHECK ((outcome = 'same') = (survivor_id IS NOT NULL))
);
CREATE INDEX registry_cases_pending ON registry_cases (created_at, id) WHERE state = 'pending';
CREATE INDEX registry_cases_decided ON registry_cases (created_at, id) WHERE state = 'decided';

-- Virtual IDs: only an HMAC-SHA-256 of the VID under a key derived from the master key, so this
-- table neither shows VIDs nor lets anyone test a guessed VID against it without that key.
CREATE TABLE registry_vids (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  vid_hmac bytea NOT NULL UNIQUE CHECK (octet_length(vid_hmac) = 32),
  person_id text NOT NULL REFERENCES registry_persons (id),
  service text NOT NULL CHECK (length(service) BETWEEN 1 AND 200),
  created_at double precision NOT NULL,
  expires_at double precision,
  revoked_at double precision
);
CREATE INDEX registry_vids_person ON registry_vids (person_id);

-- The access audit ("who looked at my data"): append-only by use; each row's digest is in the
-- transparency log.
CREATE TABLE registry_accesses (
  id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{16,64}$'),
  person_id text NOT NULL REFERENCES registry_persons (id),
  accessor text NOT NULL CHECK (length(accessor) BETWEEN 1 AND 300),
  purpose text NOT NULL CHECK (length(purpose) BETWEEN 1 AND 300),
  at double precision NOT NULL
);
CREATE INDEX registry_accesses_person ON registry_accesses (person_id, at DESC, id);

-- Credentials issued for a person: what a lifecycle change must suspend, revoke or reinstate.
CREATE TABLE registry_person_credentials (
  person_id text NOT NULL REFERENCES registry_persons (id),
  credential_id text NOT NULL CHECK (length(credential_id) BETWEEN 1 AND 200),
  linked_at double precision NOT NULL,
  PRIMARY KEY (person_id, credential_id)
);

-- Bulk import: what each row came to, so an interrupted import resumes after its last batch.
CREATE TABLE registry_import_rows (
  import_id text NOT NULL CHECK (length(import_id) BETWEEN 1 AND 200),
  row_key text NOT NULL CHECK (length(row_key) BETWEEN 1 AND 200),
  outcome text NOT NULL CHECK (outcome IN ('created', 'duplicate', 'review', 'invalid')),
  person_id text,
  uin text,
  match_id text,
  case_id text,
  errors jsonb,
  imported_at double precision NOT NULL,
  PRIMARY KEY (import_id, row_key)
);
