import type { IssuerKeyRecord } from '@trieste/core';
import type { CredentialConfigurations } from './credential-configurations.js';

/** Where the issuer's endpoints live: all under its identifier (it is its own authorization server). */
export function issuerEndpoints(issuer: string) {
  const base = issuer.replace(/\/+$/, '');
  return {
    authorize: `${base}/authorize`,
    token: `${base}/token`,
    nonce: `${base}/nonce`,
    credential: `${base}/credential`,
    offer: (id: string) => `${base}/credential-offer/${encodeURIComponent(id)}`,
  };
}

/** At most this many key proofs, hence credentials, in one credential request. */
export const BATCH_SIZE = 10;

/**
 * Credential Issuer Metadata (OpenID4VCI 1.0 §12.2): an allowlist built from the validated
 * configuration file; `validity_seconds` and other private settings are not published.
 */
export function credentialIssuerMetadata(issuer: string, configurations: CredentialConfigurations) {
  const endpoints = issuerEndpoints(issuer);
  const supported: Record<string, unknown> = {};
  for (const [id, c] of Object.entries(configurations.credential_configurations)) {
    supported[id] = {
      format: c.format,
      vct: c.vct,
      scope: id,
      cryptographic_binding_methods_supported: c.cryptographic_binding_methods_supported,
      credential_signing_alg_values_supported: c.credential_signing_alg_values_supported,
      proof_types_supported: c.proof_types_supported,
      credential_metadata: c.credential_metadata,
    };
  }
  return {
    credential_issuer: issuer,
    credential_endpoint: endpoints.credential,
    nonce_endpoint: endpoints.nonce,
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    ...(configurations.display ? { display: configurations.display } : {}),
    credential_configurations_supported: supported,
  };
}

/** OAuth 2.0 Authorization Server Metadata (RFC 8414) of the issuer acting as its own AS. */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    authorization_endpoint: issuerEndpoints(issuer).authorize,
    token_endpoint: issuerEndpoints(issuer).token,
    grant_types_supported: ['urn:ietf:params:oauth:grant-type:pre-authorized_code', 'authorization_code'],
    response_types_supported: ['code'],
    // RFC 7636: S256 only; `plain` would hand the verifier to whoever sees the request.
    code_challenge_methods_supported: ['S256'],
    // RFC 9207: the authorization response names its issuer (mix-up defence).
    authorization_response_iss_parameter_supported: true,
    // OpenID4VCI 1.0 §12.3: wallets need no client_id for the pre-authorized code grant.
    'pre-authorized_grant_anonymous_access_supported': true,
    token_endpoint_auth_methods_supported: ['none'],
  };
}

/**
 * JWT VC Issuer Metadata (SD-JWT VC draft §5): the issuer's public keys, so a verifier (or a
 * wallet) can check what it signed. Retired keys stay: they verify credentials still in use.
 */
export function jwtVcIssuerMetadata(issuer: string, keys: IssuerKeyRecord[]) {
  return {
    issuer,
    jwks: { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' })) },
  };
}
