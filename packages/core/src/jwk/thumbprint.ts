import { sha256Base64url } from '../crypto/sha256-base64url.js';
import type { Hasher } from '../ports.js';
import type { PublicJwk } from './types.js';

/**
 * RFC 7638 JWK thumbprint (SHA-256, base64url): the required members in lexicographic order,
 * no whitespace. Used as every key's `kid`.
 */
export function jwkThumbprint(jwk: PublicJwk, hasher: Hasher): string {
  const canonical =
    jwk.kty === 'EC'
      ? `{"crv":${JSON.stringify(jwk.crv)},"kty":"EC","x":${JSON.stringify(jwk.x)},"y":${JSON.stringify(jwk.y)}}`
      : `{"crv":${JSON.stringify(jwk.crv)},"kty":"OKP","x":${JSON.stringify(jwk.x)}}`;
  return sha256Base64url(hasher, canonical);
}

/** RFC 9278 JWK thumbprint URI. */
export function jwkThumbprintUri(jwk: PublicJwk, hasher: Hasher): string {
  return `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${jwkThumbprint(jwk, hasher)}`;
}
