-- The open case of a pending record, by its subject: deduplication scores a pending candidate
-- against the active record its open case names (RegistryStore.caseNamedRecords,
-- docs/registry.md), a lookup per pending candidate, hundreds per import batch.
CREATE INDEX registry_cases_open_subject ON registry_cases (subject_id) WHERE state = 'pending';
