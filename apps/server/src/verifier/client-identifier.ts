import { base64urlEncode, type PublicJwk, type Signer, utf8Encode } from '@trieste/core';

/**
 * The verifier's client identifier (OpenID4VP 1.0 §5.9.3, prefix `decentralized_identifier`):
 * `decentralized_identifier:did:jwk:<base64url(JSON public JWK)>`. did:jwk is self-certifying: the
 * wallet reads the public key out of the identifier itself and verifies the signed request object
 * with it, with no network access and no web PKI. See ARCHITECTURE.md for why this prefix.
 */
export interface ClientIdentifier {
  /** The `client_id` as sent, with its prefix: also the `aud` the KB-JWT must carry (§B.3.6). */
  clientId: string;
  did: string;
  /** The JWS `kid` of the request object: the DID URL of the key. */
  didUrl: string;
}

export const CLIENT_ID_PREFIX = 'decentralized_identifier';

export function clientIdentifier(publicJwk: PublicJwk): ClientIdentifier {
  // Only the public members, in a fixed order, so the identifier is stable across restarts.
  const members =
    publicJwk.kty === 'EC'
      ? { crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, y: publicJwk.y, use: 'sig' }
      : { crv: publicJwk.crv, kty: publicJwk.kty, x: publicJwk.x, use: 'sig' };
  const did = `did:jwk:${base64urlEncode(utf8Encode(JSON.stringify(members)))}`;
  return { clientId: `${CLIENT_ID_PREFIX}:${did}`, did, didUrl: `${did}#0` };
}

/** The signer with the DID URL as its `kid`, for the request object's and webhook's JWS header. */
export function didSigner(signer: Signer): { signer: Signer; identifier: ClientIdentifier } {
  const identifier = clientIdentifier(signer.publicJwk);
  return {
    identifier,
    signer: {
      alg: signer.alg,
      kid: identifier.didUrl,
      publicJwk: signer.publicJwk,
      sign: (data) => signer.sign(data),
    },
  };
}
