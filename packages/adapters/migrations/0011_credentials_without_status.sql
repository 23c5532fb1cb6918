-- A credential may be issued without a status entry (a single-use, short-lived proof of age whose
-- revocation is its expiry, docs/age-assurance.md): its status columns are both NULL. The foreign
-- key (MATCH SIMPLE) and the UNIQUE constraint do not apply to NULLs; a half-filled entry is refused.
ALTER TABLE credentials ALTER COLUMN status_list_id DROP NOT NULL;
ALTER TABLE credentials ALTER COLUMN status_index DROP NOT NULL;
ALTER TABLE credentials
  ADD CONSTRAINT credentials_status_entry_whole
  CHECK ((status_list_id IS NULL) = (status_index IS NULL));
