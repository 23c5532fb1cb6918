import {
  base64urlDecode,
  decodeCompactJws,
  isTriesteError,
  jwkThumbprint,
  type PublicJwk,
  parsePublicJwk,
  utf8Decode,
  verifyJwsSignature,
} from '@trieste/core';
import { walletCrypto } from './holder-key';
import { exchange, type Fetch, httpUrl } from './http';
import type { RequestLink } from './parse-link';
import type { DcqlQuery } from './plan-consent';
import { readTransactionData, type TransactionData } from './transaction-data';
import { walletClock } from './wallet-db';
import { WalletError } from './wallet-error';

/** OpenID4VP 1.0 §5.9.3: the client identifier prefix of a DID; we resolve did:jwk only. */
const DID_PREFIX = 'decentralized_identifier:';
const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
const CLOCK_SKEW = 60;

export type ResponseMode = 'direct_post' | 'direct_post.jwt';

/** A verified presentation request: everything here was signed by the key in the client_id. */
export interface PresentationRequest {
  /** The client_id with its prefix: the KB-JWT audience (OpenID4VP 1.0 §B.3.6). */
  clientId: string;
  /** RFC 7638 thumbprint of the verifier key, to tell verifiers apart when names collide. */
  verifierKeyThumbprint: string;
  /** `client_metadata.client_name`: the name the verifier's installation gives this relying party. */
  clientName?: string;
  responseUri: string;
  responseMode: ResponseMode;
  nonce: string;
  state?: string;
  query: DcqlQuery;
  /** OpenID4VP 1.0 §5.1: what the holder is asked to agree to, bound into the KB-JWT by its hash. */
  transactionData: TransactionData[];
  /** direct_post.jwt: the verifier's ephemeral ECDH-ES key and the content encryption to use. */
  encryption?: { jwk: PublicJwk; kid?: string; enc: 'A128GCM' | 'A256GCM' };
  expiresAt?: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The public key of a did:jwk (the DID method specification): base64url JSON in the identifier. */
export function didJwkKey(clientId: string): { did: string; key: PublicJwk } {
  if (!clientId.startsWith(DID_PREFIX))
    throw new WalletError(
      'REQUEST_UNSUPPORTED',
      'this wallet answers verifiers identified by a did:jwk only',
    );
  const did = clientId.slice(DID_PREFIX.length);
  const match = /^did:jwk:([A-Za-z0-9_-]{1,2000})$/.exec(did);
  if (!match) throw new WalletError('REQUEST_UNSUPPORTED', 'the client identifier is not a did:jwk');
  try {
    return { did, key: parsePublicJwk(JSON.parse(utf8Decode(base64urlDecode(match[1]!))), 'did:jwk key') };
  } catch (cause) {
    throw new WalletError('REQUEST_INVALID', 'the did:jwk does not hold a usable public key', { cause });
  }
}

/**
 * Fetches and verifies a presentation request by reference (OpenID4VP 1.0 §5, RFC 9101): the
 * request object must be a JWS of `typ` oauth-authz-req+jwt signed by the key the did:jwk
 * client_id holds (so it is checked offline, without web PKI), name that same client_id, be
 * fresh, and ask for what this wallet answers (vp_token, direct_post or direct_post.jwt, DCQL).
 * Everything in it is then the verifier's signed word, including its name and purpose; before
 * the signature checks out, nothing from the answer is used.
 */
export async function resolveRequest(link: RequestLink, fetchImpl?: Fetch): Promise<PresentationRequest> {
  const { did, key } = didJwkKey(link.clientId);
  if (link.requestUriMethod !== undefined && link.requestUriMethod !== 'get')
    throw new WalletError('REQUEST_UNSUPPORTED', 'only request_uri_method get is supported');
  const answer = await exchange(
    link.requestUri,
    { method: 'GET', headers: { accept: `application/${REQUEST_OBJECT_TYP}` } },
    fetchImpl,
  );
  if (answer.status !== 200) {
    const code = /\((REQUEST_[A-Z]+|NOT_FOUND)\)/.exec(answer.text)?.[1];
    throw new WalletError(
      code || answer.status === 404 || answer.status === 409 ? 'REQUEST_EXPIRED' : 'REQUEST_INVALID',
      `the request object could not be fetched: HTTP ${answer.status}`,
    );
  }
  let decoded: ReturnType<typeof decodeCompactJws>;
  try {
    decoded = decodeCompactJws(answer.text.trim(), 'request object');
    if (decoded.header['typ'] !== REQUEST_OBJECT_TYP)
      throw new WalletError('REQUEST_INVALID', 'the request object has the wrong typ');
    const kid = decoded.header['kid'];
    if (kid !== undefined && (typeof kid !== 'string' || kid.split('#')[0] !== did))
      throw new WalletError(
        'REQUEST_INVALID',
        'the request object is signed by another key than the client_id',
      );
    await verifyJwsSignature(decoded, key, walletCrypto);
  } catch (error) {
    if (error instanceof WalletError) throw error;
    if (isTriesteError(error))
      throw new WalletError('REQUEST_INVALID', `the request object does not verify: ${error.code}`, {
        cause: error,
      });
    throw error;
  }
  return readRequest(decoded.payload, link.clientId, key);
}

function readRequest(payload: Json, clientId: string, key: PublicJwk): PresentationRequest {
  const invalid = (why: string) => new WalletError('REQUEST_INVALID', why);
  if (payload['client_id'] !== clientId) throw invalid('the request object names another client_id');
  if (payload['response_type'] !== 'vp_token')
    throw new WalletError('REQUEST_UNSUPPORTED', 'only response_type vp_token is supported');
  const mode = payload['response_mode'];
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt')
    throw new WalletError('REQUEST_UNSUPPORTED', 'only direct_post and direct_post.jwt are supported');
  const now = walletClock.now();
  const exp = payload['exp'];
  if (exp !== undefined && (typeof exp !== 'number' || exp <= now - CLOCK_SKEW))
    throw new WalletError('REQUEST_EXPIRED', 'the request has expired');
  const iat = payload['iat'];
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + CLOCK_SKEW))
    throw invalid('the request is issued in the future');
  const nonce = payload['nonce'];
  if (typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 512)
    throw invalid('the request has no nonce');
  const state = payload['state'];
  if (state !== undefined && (typeof state !== 'string' || state.length > 512))
    throw invalid('the state is not a string');
  let responseUri: string;
  try {
    responseUri = httpUrl(payload['response_uri'], 'response_uri');
  } catch {
    throw invalid('the request has no usable response_uri');
  }
  const query = readDcql(payload['dcql_query']);
  const transactionData = readTransactionData(
    payload['transaction_data'],
    new Set(query.credentials.map((q) => q.id)),
  );
  const metadata = isObject(payload['client_metadata']) ? payload['client_metadata'] : {};
  const name = metadata['client_name'];
  const request: PresentationRequest = {
    clientId,
    verifierKeyThumbprint: jwkThumbprint(key, walletCrypto),
    ...(typeof name === 'string' && name.trim() !== '' ? { clientName: name.trim().slice(0, 200) } : {}),
    responseUri,
    responseMode: mode,
    nonce,
    ...(typeof state === 'string' ? { state } : {}),
    query,
    transactionData,
    ...(typeof exp === 'number' ? { expiresAt: exp } : {}),
  };
  if (mode === 'direct_post.jwt') request.encryption = readEncryption(metadata);
  return request;
}

/** §8.3: the verifier's ECDH-ES key (use enc, P-256) in client_metadata.jwks, and an enc we do. */
function readEncryption(metadata: Json): NonNullable<PresentationRequest['encryption']> {
  const jwks =
    isObject(metadata['jwks']) && Array.isArray(metadata['jwks']['keys']) ? metadata['jwks']['keys'] : [];
  const candidate = jwks.find(
    (k): k is Json =>
      isObject(k) &&
      k['kty'] === 'EC' &&
      k['crv'] === 'P-256' &&
      (k['use'] === undefined || k['use'] === 'enc') &&
      (k['alg'] === undefined || k['alg'] === 'ECDH-ES'),
  );
  if (!candidate)
    throw new WalletError('REQUEST_UNSUPPORTED', 'the request offers no P-256 ECDH-ES encryption key');
  const offered = metadata['encrypted_response_enc_values_supported'];
  // OpenID4VP 1.0 §11.1: A128GCM is the default when the verifier names none.
  const list = Array.isArray(offered) ? offered : ['A128GCM'];
  const enc = list.includes('A128GCM') ? 'A128GCM' : list.includes('A256GCM') ? 'A256GCM' : undefined;
  if (!enc)
    throw new WalletError('REQUEST_UNSUPPORTED', 'the request asks for a content encryption we do not do');
  let jwk: PublicJwk;
  try {
    jwk = parsePublicJwk(candidate, 'encryption key');
  } catch (cause) {
    throw new WalletError('REQUEST_INVALID', 'the encryption key is not a P-256 public key', { cause });
  }
  return { jwk, ...(typeof candidate['kid'] === 'string' ? { kid: candidate['kid'] } : {}), enc };
}

function readDcql(value: unknown): DcqlQuery {
  const invalid = (why: string) => new WalletError('REQUEST_INVALID', `dcql_query: ${why}`);
  if (!isObject(value) || !Array.isArray(value['credentials']) || value['credentials'].length === 0)
    throw invalid('no credential queries');
  if (value['credentials'].length > 20) throw invalid('too many credential queries');
  const credentials = value['credentials'].map((q) => {
    if (!isObject(q) || typeof q['id'] !== 'string' || typeof q['format'] !== 'string')
      throw invalid('a credential query is malformed');
    const claims = q['claims'];
    if (claims !== undefined && (!Array.isArray(claims) || claims.length > 100))
      throw invalid('claims is not a list');
    for (const claim of (claims ?? []) as unknown[]) {
      if (
        !isObject(claim) ||
        !Array.isArray(claim['path']) ||
        claim['path'].length === 0 ||
        claim['path'].length > 32
      )
        throw invalid('a claim has no path');
      for (const step of claim['path'])
        if (
          !(
            typeof step === 'string' ||
            step === null ||
            (typeof step === 'number' && Number.isInteger(step) && step >= 0)
          )
        )
          throw invalid('a claim path has a step of the wrong type');
      if (claim['values'] !== undefined && !Array.isArray(claim['values']))
        throw invalid('values is not a list');
    }
    return q as unknown as DcqlQuery['credentials'][number];
  });
  const sets = value['credential_sets'];
  if (sets !== undefined) {
    if (!Array.isArray(sets)) throw invalid('credential_sets is not a list');
    for (const set of sets)
      if (
        !isObject(set) ||
        !Array.isArray(set['options']) ||
        !set['options'].every((o) => Array.isArray(o) && o.every((id) => typeof id === 'string'))
      )
        throw invalid('a credential set is malformed');
  }
  return {
    credentials,
    ...(sets === undefined ? {} : { credential_sets: sets as DcqlQuery['credential_sets'] }),
  };
}
