-- The key rows are found by their key alone: an index on `key`, no longer the primary key
-- (key, person_id). A bulk import batch looks up some 150,000 key hashes in one index scan that
-- reads the index from end to end at a registry of 100,000 people, and a row enrolled writes ~14
-- index entries; with the person's 22-character id in every entry the index was two and a half
-- times the size, and each insert checked uniqueness too (docs/registry.md, "Bulk import speed").
-- Nothing is lost: the store writes a person's distinct key hashes once (a new person, or after
-- deleting the old ones), so (key, person_id) stays unique without a constraint to say so, and a
-- delete finds a key's rows by the key and keeps those of the person.
ALTER TABLE registry_blocking_keys DROP CONSTRAINT registry_blocking_keys_pkey;
CREATE INDEX registry_blocking_keys_key ON registry_blocking_keys (key);
