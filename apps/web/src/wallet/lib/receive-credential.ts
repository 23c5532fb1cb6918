import {
  isTriesteError,
  jwkThumbprint,
  type PublicJwk,
  parsePublicJwk,
  signCompactJws,
  verifySdJwtVc,
} from '@trieste/core';
import { isSingleUseVct, MAX_BATCH } from './age-pool';
import { createHolderKey, holderSigner, walletCrypto } from './holder-key';
import { exchange, type Fetch, getJson, httpUrl, jsonObject, oauthError, wellKnownUrl } from './http';
import type { OfferLink } from './parse-link';
import {
  type CredentialDisplay,
  type DisplayName,
  newId,
  type StoredCredential,
  walletClock,
} from './wallet-db';
import { WalletError } from './wallet-error';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const PROOF_TYP = 'openid4vci-proof+jwt';
const SD_JWT_VC_FORMAT = 'dc+sd-jwt';

/** An offer the holder is looking at: who offers what, and what the token request needs. */
export interface ResolvedOffer {
  issuer: string;
  configurationId: string;
  vct: string;
  preAuthorizedCode: string;
  /** OpenID4VCI 1.0 §4.1.1: when present, the holder must type the code the registrar gave. */
  txCode?: { inputMode: 'numeric' | 'text'; length?: number; description?: string };
  tokenEndpoint: string;
  nonceEndpoint: string;
  credentialEndpoint: string;
  display: CredentialDisplay;
  /**
   * A single-use credential (a proof of age): ask for this many, one key each (OpenID4VCI 1.0
   * §8.2 `proofs`, at most the issuer's `batch_credential_issuance.batch_size`, §12.2.4).
   */
  batchSize?: number;
}

type HolderKey = { privateKey: CryptoKey; publicJwk: PublicJwk };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function displayNames(value: unknown): DisplayName[] {
  if (!Array.isArray(value)) return [];
  const out: DisplayName[] = [];
  for (const entry of value.slice(0, 50)) {
    if (!isObject(entry) || typeof entry['name'] !== 'string') continue;
    const name = entry['name'].slice(0, 200);
    out.push(typeof entry['locale'] === 'string' ? { name, locale: entry['locale'] } : { name });
  }
  return out;
}

/** The display part of the issuer metadata for one configuration (OpenID4VCI 1.0 §12.2.4, Appendix B). */
function credentialDisplay(metadata: Json, configuration: Json): CredentialDisplay {
  const credentialMetadata = isObject(configuration['credential_metadata'])
    ? configuration['credential_metadata']
    : configuration;
  const displays = Array.isArray(credentialMetadata['display']) ? credentialMetadata['display'] : [];
  const first = displays.find(isObject);
  const claims: CredentialDisplay['claims'] = [];
  if (Array.isArray(credentialMetadata['claims'])) {
    for (const claim of credentialMetadata['claims'].slice(0, 200)) {
      if (!isObject(claim) || !Array.isArray(claim['path'])) continue;
      const path = claim['path'].filter(
        (p): p is string | number | null => typeof p === 'string' || typeof p === 'number' || p === null,
      );
      if (path.length !== claim['path'].length || path.length === 0) continue;
      claims.push({ path, display: displayNames(claim['display']) });
    }
  }
  const color = (value: unknown) =>
    typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value : undefined;
  const background = color(first?.['background_color']);
  const text = color(first?.['text_color']);
  return {
    issuer: displayNames(metadata['display']),
    credential: displayNames(displays),
    claims,
    ...(background ? { backgroundColor: background } : {}),
    ...(text ? { textColor: text } : {}),
  };
}

/**
 * Resolves a credential offer (OpenID4VCI 1.0 §4.1): the offer itself (fetched by reference), the
 * issuer's metadata (§12.2) and its authorization server's token endpoint (RFC 8414). Every
 * document is untrusted input: shapes are checked, the metadata must name the offer's issuer, and
 * the configuration must be an SD-JWT VC with `jwt` key proofs in ES256 (what this wallet holds).
 */
export async function resolveOffer(link: OfferLink, fetchImpl?: Fetch): Promise<ResolvedOffer> {
  const offer =
    'offerUri' in link ? await getJson(link.offerUri, 'the credential offer', fetchImpl) : link.offer;
  if (!isObject(offer)) throw new WalletError('LINK_INVALID', 'the credential offer is not an object');
  const issuer = httpUrl(offer['credential_issuer'], 'credential_issuer');
  const ids = offer['credential_configuration_ids'];
  if (!Array.isArray(ids) || ids.length === 0 || typeof ids[0] !== 'string')
    throw new WalletError('LINK_INVALID', 'the offer names no credential configuration');
  const configurationId = ids[0];
  const grants = isObject(offer['grants']) ? offer['grants'] : {};
  const grant = grants[PRE_AUTHORIZED_GRANT];
  if (!isObject(grant)) throw new WalletError('GRANT_UNSUPPORTED', 'the offer has no pre-authorized code');
  const code = grant['pre-authorized_code'];
  if (typeof code !== 'string' || code.length === 0 || code.length > 512)
    throw new WalletError('LINK_INVALID', 'the pre-authorized code is missing');
  let txCode: ResolvedOffer['txCode'];
  if (grant['tx_code'] !== undefined) {
    const tx = isObject(grant['tx_code']) ? grant['tx_code'] : {};
    const length = tx['length'];
    const description = tx['description'];
    txCode = {
      inputMode: tx['input_mode'] === 'text' ? 'text' : 'numeric',
      ...(typeof length === 'number' && Number.isInteger(length) && length > 0 && length <= 32
        ? { length }
        : {}),
      ...(typeof description === 'string' ? { description: description.slice(0, 300) } : {}),
    };
  }

  const metadata = await getJson(
    wellKnownUrl(issuer, 'openid-credential-issuer'),
    'the issuer metadata',
    fetchImpl,
  );
  if (metadata['credential_issuer'] !== issuer && `${metadata['credential_issuer']}/` !== issuer)
    throw new WalletError('RESPONSE_INVALID', 'the issuer metadata names another issuer');
  const supported = isObject(metadata['credential_configurations_supported'])
    ? metadata['credential_configurations_supported']
    : {};
  const configuration = Object.hasOwn(supported, configurationId) ? supported[configurationId] : undefined;
  if (!isObject(configuration))
    throw new WalletError('RESPONSE_INVALID', 'the issuer does not describe the offered credential');
  if (configuration['format'] !== SD_JWT_VC_FORMAT || typeof configuration['vct'] !== 'string')
    throw new WalletError('GRANT_UNSUPPORTED', 'the offered credential is not an SD-JWT VC');
  const proofTypes = isObject(configuration['proof_types_supported'])
    ? configuration['proof_types_supported']
    : {};
  const jwtProof = proofTypes['jwt'];
  const algs = isObject(jwtProof) ? jwtProof['proof_signing_alg_values_supported'] : undefined;
  if (Array.isArray(algs) && !algs.includes('ES256'))
    throw new WalletError('GRANT_UNSUPPORTED', 'the issuer takes no ES256 key proof');

  const vct = configuration['vct'];
  let batchSize: number | undefined;
  if (isSingleUseVct(vct)) {
    const batch = isObject(metadata['batch_credential_issuance'])
      ? metadata['batch_credential_issuance']['batch_size']
      : undefined;
    // Without batch issuance the wallet still receives one, single-use credential.
    batchSize =
      typeof batch === 'number' && Number.isInteger(batch) && batch >= 2 ? Math.min(batch, MAX_BATCH) : 1;
  }

  const servers = metadata['authorization_servers'];
  const authorizationServer =
    Array.isArray(servers) && typeof servers[0] === 'string'
      ? httpUrl(servers[0], 'authorization server')
      : issuer;
  const asMetadata = await getJson(
    wellKnownUrl(authorizationServer, 'oauth-authorization-server'),
    'the authorization server metadata',
    fetchImpl,
  );
  return {
    issuer,
    configurationId,
    vct: configuration['vct'],
    preAuthorizedCode: code,
    ...(txCode ? { txCode } : {}),
    tokenEndpoint: httpUrl(asMetadata['token_endpoint'], 'token_endpoint'),
    nonceEndpoint: httpUrl(metadata['nonce_endpoint'], 'nonce_endpoint'),
    credentialEndpoint: httpUrl(metadata['credential_endpoint'], 'credential_endpoint'),
    display: credentialDisplay(metadata, configuration),
    ...(batchSize === undefined ? {} : { batchSize }),
  };
}

/**
 * Redeems the offer (OpenID4VCI 1.0 §6 token with tx_code, §7 nonce, §8 credential with `jwt`
 * key proofs, Appendix F.1) with new non-extractable holder keys — one, or one per credential of
 * a single-use batch — then verifies what came back with the issuer's published keys (SD-JWT VC
 * §5 JWT VC Issuer Metadata) before anything is shown or kept: a credential the wallet cannot
 * verify is refused, not stored. A batch is returned as one pool (same `batchId`, `singleUse`).
 */
export async function receiveCredential(
  offer: ResolvedOffer,
  txCode: string | undefined,
  fetchImpl?: Fetch,
): Promise<StoredCredential[]> {
  const form = new URLSearchParams({
    grant_type: PRE_AUTHORIZED_GRANT,
    'pre-authorized_code': offer.preAuthorizedCode,
  });
  if (offer.txCode) {
    if (!txCode) throw new WalletError('TX_CODE_REFUSED', 'the offer needs its transaction code');
    form.set('tx_code', txCode);
  }
  const token = await exchange(
    offer.tokenEndpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    fetchImpl,
  );
  if (token.status !== 200) {
    const error = oauthError(token);
    throw new WalletError(
      error === 'invalid_grant' ? 'TX_CODE_REFUSED' : 'ISSUANCE_REFUSED',
      `the token endpoint refused: ${error ?? token.status}`,
    );
  }
  const accessToken = jsonObject(token, 'the token response')['access_token'];
  if (typeof accessToken !== 'string' || !/^[\x21-\x7e]{1,2048}$/.test(accessToken))
    throw new WalletError('RESPONSE_INVALID', 'the token response has no access token');

  const nonceAnswer = await exchange(offer.nonceEndpoint, { method: 'POST' }, fetchImpl);
  if (nonceAnswer.status !== 200)
    throw new WalletError('ISSUANCE_REFUSED', `the nonce endpoint refused: ${nonceAnswer.status}`);
  const nonce = jsonObject(nonceAnswer, 'the nonce response')['c_nonce'];
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 512)
    throw new WalletError('RESPONSE_INVALID', 'the nonce response has no c_nonce');

  const holderKeys: HolderKey[] = [];
  const proofs: string[] = [];
  for (let i = 0; i < (offer.batchSize ?? 1); i++) {
    const holderKey = await createHolderKey();
    holderKeys.push(holderKey);
    proofs.push(
      await signCompactJws(
        { typ: PROOF_TYP, jwk: holderKey.publicJwk },
        { aud: offer.issuer, iat: Math.floor(walletClock.now()), nonce },
        await holderSigner(holderKey),
        { includeKid: false },
      ),
    );
  }
  const answer = await exchange(
    offer.credentialEndpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ credential_configuration_id: offer.configurationId, proofs: { jwt: proofs } }),
    },
    fetchImpl,
  );
  if (answer.status !== 200) {
    throw new WalletError(
      'ISSUANCE_REFUSED',
      `the credential endpoint refused: ${oauthError(answer) ?? answer.status}`,
    );
  }
  const body = jsonObject(answer, 'the credential response');
  const list = body['credentials'];
  const issued = (Array.isArray(list) ? list.slice(0, holderKeys.length) : [])
    .map((entry) => (isObject(entry) ? entry['credential'] : undefined))
    .filter((sdJwt): sdJwt is string => typeof sdJwt === 'string');
  if (issued.length === 0) {
    throw new WalletError(
      body['transaction_id'] !== undefined ? 'GRANT_UNSUPPORTED' : 'RESPONSE_INVALID',
      'the credential response holds no credential',
    );
  }
  const verify = verifier(offer, fetchImpl);
  if (offer.batchSize === undefined) return [await verify(issued[0]!, holderKeys)];
  // §8.3: the order of `credentials` need not follow the proofs; each is matched to its key.
  const batchId = newId();
  const received: StoredCredential[] = [];
  const unused = [...holderKeys];
  for (const sdJwt of issued) {
    const credential = await verify(sdJwt, unused);
    unused.splice(unused.indexOf(credential.holderKey), 1);
    received.push({ ...credential, batchId, singleUse: true });
  }
  return received;
}

/** Verifies one issued credential; it must be bound to one of `candidates` (the keys this wallet made). */
function verifier(
  offer: ResolvedOffer,
  fetchImpl?: Fetch,
): (sdJwt: string, candidates: readonly HolderKey[]) => Promise<StoredCredential> {
  let keys: Array<Json> | undefined;
  return (sdJwt, candidates) =>
    verifyReceived(sdJwt, offer, candidates, async () => {
      keys ??= await jwtVcIssuerKeys(offer.issuer, fetchImpl);
      return keys;
    });
}

async function verifyReceived(
  sdJwt: string,
  offer: ResolvedOffer,
  candidates: readonly HolderKey[],
  issuerKeyList: () => Promise<Json[]>,
): Promise<StoredCredential> {
  const issuerKeys = {
    resolve: async (request: { iss: string; kid?: string }) => {
      // Only the offer's issuer is asked: a credential naming another `iss` finds no key.
      if (request.iss !== offer.issuer) return undefined;
      const keys = await issuerKeyList();
      const match = keys.filter((k) => request.kid === undefined || k['kid'] === request.kid);
      if (match.length !== 1) return undefined;
      const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ...jwk } = match[0]!;
      return parsePublicJwk(jwk, 'issuer key');
    },
  };
  try {
    const verified = await verifySdJwtVc(
      sdJwt,
      { expectedVct: offer.vct, checkStatus: false, requireKeyBinding: false },
      { crypto: walletCrypto, issuerKeys, clock: walletClock },
    );
    const bound = verified.holderKey ? jwkThumbprint(verified.holderKey, walletCrypto) : undefined;
    const holderKey = candidates.find((k) => jwkThumbprint(k.publicJwk, walletCrypto) === bound);
    if (!holderKey)
      throw new WalletError('CREDENTIAL_INVALID', 'the credential is not bound to a key this wallet made');
    return {
      id: newId(),
      sdJwt,
      holderKey,
      issuer: verified.issuer,
      vct: verified.vct,
      claims: verified.claims,
      ...(verified.issuedAt === undefined ? {} : { issuedAt: verified.issuedAt }),
      ...(verified.expiresAt === undefined ? {} : { expiresAt: verified.expiresAt }),
      receivedAt: walletClock.now(),
      display: offer.display,
    };
  } catch (error) {
    if (error instanceof WalletError) throw error;
    if (isTriesteError(error))
      throw new WalletError('CREDENTIAL_INVALID', `the credential does not verify: ${error.code}`, {
        cause: error,
      });
    throw error;
  }
}

/** The issuer's keys from its JWT VC Issuer Metadata (SD-JWT VC §5), inline `jwks` or `jwks_uri`. */
async function jwtVcIssuerKeys(issuer: string, fetchImpl?: Fetch): Promise<Json[]> {
  const metadata = await getJson(wellKnownUrl(issuer, 'jwt-vc-issuer'), 'the issuer key metadata', fetchImpl);
  if (metadata['issuer'] !== issuer)
    throw new WalletError('CREDENTIAL_INVALID', 'the key metadata names another issuer');
  let jwks = metadata['jwks'];
  if (jwks === undefined && metadata['jwks_uri'] !== undefined)
    jwks = await getJson(httpUrl(metadata['jwks_uri'], 'jwks_uri'), 'the issuer keys', fetchImpl);
  const keys = isObject(jwks) && Array.isArray(jwks['keys']) ? jwks['keys'] : [];
  return keys.filter(isObject).slice(0, 100);
}
