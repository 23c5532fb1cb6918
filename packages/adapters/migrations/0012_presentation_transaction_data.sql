-- OpenID4VP transaction data and relying-party templates (docs/parental-consent.md).
--
-- transaction_data: the request's transaction_data entries (OpenID4VP 1.0 §5.1), each the
-- base64url string exactly as it is put in the signed request object, so the hashes a wallet
-- signs in its KB-JWT (§8.4) are checked against the same bytes. At most five, each bounded.
-- template: the template the request was built from ({"type": "age_over", "age": 16} or
-- {"type": "parental_consent", ...}), which decides the yes/no or consent part of the result.
-- Both are what the relying party sends the wallet in the clear; they go with the row at delete_at.
ALTER TABLE presentation_requests
  ADD COLUMN transaction_data jsonb CHECK (
    transaction_data IS NULL
    OR (jsonb_typeof(transaction_data) = 'array' AND jsonb_array_length(transaction_data) BETWEEN 1 AND 5)
  ),
  ADD COLUMN template jsonb CHECK (template IS NULL OR jsonb_typeof(template) = 'object');
