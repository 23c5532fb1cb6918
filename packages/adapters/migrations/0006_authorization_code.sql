-- Trieste schema, version 6: the OpenID4VCI authorization code grant with PKCE. PostgreSQL 15 only.
--
-- An offer with this grant has no pre-authorized code: the holder logs in (the demo login is a
-- username, stored as SHA-256, and a salted scrypt password hash) and receives a single-use
-- authorization code, stored as SHA-256 beside what it is bound to (the S256 code challenge, the
-- client id and the redirect URI) and its short expiry. Redemption clears all of it.
ALTER TABLE credential_offers ALTER COLUMN pre_authorized_code_sha256 DROP NOT NULL;
ALTER TABLE credential_offers DROP CONSTRAINT credential_offers_state_check;
ALTER TABLE credential_offers ADD CONSTRAINT credential_offers_state_check
  CHECK (state IN ('offered', 'authorized', 'redeemed', 'issued', 'locked'));
ALTER TABLE credential_offers
  ADD COLUMN login_username_sha256 bytea CHECK (octet_length(login_username_sha256) = 32),
  ADD COLUMN login_password_hash text CHECK (length(login_password_hash) BETWEEN 1 AND 300),
  ADD COLUMN authorization_code_sha256 bytea UNIQUE CHECK (octet_length(authorization_code_sha256) = 32),
  ADD COLUMN authorization_code_challenge text CHECK (authorization_code_challenge ~ '^[A-Za-z0-9_-]{43}$'),
  ADD COLUMN authorization_client_id text CHECK (length(authorization_client_id) BETWEEN 1 AND 200),
  ADD COLUMN authorization_redirect_uri text CHECK (length(authorization_redirect_uri) BETWEEN 1 AND 2000),
  ADD COLUMN authorization_code_expires_at double precision,
  ADD CONSTRAINT credential_offers_login_check
    CHECK ((login_username_sha256 IS NULL) = (login_password_hash IS NULL)),
  ADD CONSTRAINT credential_offers_grant_check
    CHECK ((pre_authorized_code_sha256 IS NULL) <> (login_username_sha256 IS NULL)),
  ADD CONSTRAINT credential_offers_authorization_code_check
    CHECK ((authorization_code_sha256 IS NULL) = (authorization_code_expires_at IS NULL));
