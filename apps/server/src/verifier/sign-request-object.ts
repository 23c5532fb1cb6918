import { type PresentationRequestRecord, signCompactJws, toPublicJwk } from '@trieste/core';
import { didSigner } from './client-identifier.js';
import { absoluteUrl, responsePath, type VerifierContext } from './verifier-context.js';

/** RFC 9101 §4 / OpenID4VP 1.0 §5: the media type and `typ` of a signed request object. */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
export const REQUEST_OBJECT_MEDIA_TYPE = `application/${REQUEST_OBJECT_TYP}`;

/** The `enc` values a wallet may encrypt a direct_post.jwt response with (§8.3, HAIP: A128GCM, A256GCM). */
export const RESPONSE_ENC_VALUES = ['A128GCM', 'A256GCM'] as const;

/**
 * The signed request object (JAR) of a pending request, OpenID4VP 1.0 §5: client_id with its
 * prefix, response_uri, response_mode, nonce, state, the DCQL query, any transaction data and the client metadata the
 * wallet needs (§11.1: vp_formats_supported; for direct_post.jwt the ephemeral encryption key and
 * the enc values). `aud` is the static self-issued value (§5.8): the verifier does not know the
 * wallet. Signed by the verifier key, whose did:jwk is the client identifier.
 */
export async function signRequestObject(
  record: PresentationRequestRecord,
  ctx: VerifierContext,
): Promise<string> {
  const { signer, identifier } = didSigner(await ctx.stores.presentationRequests.signer());
  // The relying party's name as this installation's administrator registered it (its API key's
  // name): the wallet shows who asks. The did:jwk identifies the installation's verifier key.
  const relyingParty = (await ctx.stores.apiKeys.find(record.apiKeyId))?.record.name;
  const clientMetadata: Record<string, unknown> = {
    ...(relyingParty ? { client_name: relyingParty } : {}),
    vp_formats_supported: {
      'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256', 'EdDSA'], 'kb-jwt_alg_values': ['ES256', 'EdDSA'] },
    },
  };
  if (record.responseMode === 'direct_post.jwt') {
    const key = await ctx.stores.presentationRequests.encryptionKey(record.id);
    if (!key) throw new TypeError('a direct_post.jwt request has an encryption key');
    clientMetadata['jwks'] = {
      keys: [{ ...toPublicJwk(key), use: 'enc', alg: 'ECDH-ES', kid: `${record.id}-enc` }],
    };
    clientMetadata['encrypted_response_enc_values_supported'] = [...RESPONSE_ENC_VALUES];
  }
  const payload = {
    aud: 'https://self-issued.me/v2',
    client_id: identifier.clientId,
    response_type: 'vp_token',
    response_mode: record.responseMode,
    response_uri: absoluteUrl(ctx, responsePath(record.id)),
    nonce: record.nonce,
    state: record.state,
    dcql_query: record.query,
    // §5.1: each entry base64url(JSON), exactly as stored, so the wallet hashes the same bytes.
    ...(record.transactionData === undefined ? {} : { transaction_data: record.transactionData }),
    client_metadata: clientMetadata,
    iat: Math.floor(ctx.clock.now()),
    exp: record.expiresAt,
  };
  return signCompactJws({ typ: REQUEST_OBJECT_TYP }, payload, signer);
}
