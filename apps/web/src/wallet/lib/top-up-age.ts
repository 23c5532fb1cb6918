import { type Fetch, httpUrl, jsonObject } from './http';
import type { OfferLink } from './parse-link';
import { receiveCredential, resolveOffer } from './receive-credential';
import { proveToRegistry, registryRefusal } from './record-accesses';
import type { StoredCredential } from './wallet-db';
import { WalletError } from './wallet-error';

/** `<issuer>/registry/me/age-credentials`: the endpoint, and the KB-JWT `aud` the registry expects. */
export function ageCredentialsEndpoint(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/registry/me/age-credentials`;
}

/**
 * Asks the registry for a fresh offer of proofs of age (`POST /registry/me/age-credentials`),
 * proving with the national identity credential that the holder is the person of the record
 * (the same proof as "who looked at my record"). The registry answers 201 with a pre-authorized
 * offer without a transaction code: the holder just proved their key.
 */
export async function requestAgeOffer(identity: StoredCredential, fetchImpl?: Fetch): Promise<OfferLink> {
  const answer = await proveToRegistry(identity, ageCredentialsEndpoint(identity.issuer), fetchImpl);
  if (answer.status !== 201 && answer.status !== 200) throw registryRefusal(answer);
  const body = jsonObject(answer, 'the age credential offer');
  const links = body['links'];
  const uri =
    body['credential_offer_uri'] ??
    (links !== null && typeof links === 'object'
      ? (links as Record<string, unknown>)['by_reference']
      : undefined);
  if (typeof uri === 'string' && uri.startsWith('openid-credential-offer:')) {
    const nested = new URL(uri).searchParams.get('credential_offer_uri');
    return { kind: 'offer', offerUri: httpUrl(nested, 'credential_offer_uri') };
  }
  if (typeof uri !== 'string')
    throw new WalletError('RESPONSE_INVALID', 'the age credential answer has no offer');
  return { kind: 'offer', offerUri: httpUrl(uri, 'credential_offer_uri') };
}

/**
 * Top-up: a new batch of single-use proofs of age, through the ordinary OpenID4VCI flow (one new
 * key per proof), verified before it is returned. The caller stores them and drops the used ones.
 */
export async function topUpAgeCredentials(
  identity: StoredCredential,
  fetchImpl?: Fetch,
): Promise<StoredCredential[]> {
  const link = await requestAgeOffer(identity, fetchImpl);
  const offer = await resolveOffer(link, fetchImpl);
  if (offer.issuer.replace(/\/+$/, '') !== identity.issuer.replace(/\/+$/, ''))
    throw new WalletError('RESPONSE_INVALID', 'the age credential offer names another issuer');
  if (offer.batchSize === undefined || offer.txCode)
    throw new WalletError('RESPONSE_INVALID', 'the registry offered something other than proofs of age');
  return receiveCredential(offer, undefined, fetchImpl);
}
