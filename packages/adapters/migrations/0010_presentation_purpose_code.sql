-- The relying party's declared purpose as a code (e.g. age_verification), beside the free text shown
-- to the holder: trust lists recognise another jurisdiction's issuers for named purposes only.
ALTER TABLE presentation_requests
  ADD COLUMN purpose_code text CHECK (purpose_code IS NULL OR purpose_code ~ '^[a-z0-9][a-z0-9_.-]{0,63}$');
