import { presentCredential, refusalReason } from './answer-request';
import { exchange, type Fetch, type HttpAnswer, jsonObject } from './http';
import type { StoredCredential } from './wallet-db';
import { WalletError } from './wallet-error';

/** The national identity credential: the one credential the registry reads a record from. */
export const NATIONAL_IDENTITY_VCT = 'urn:trieste:xa:national-identity:1';

/** The only claim disclosed to the registry: the identity number that names the record. */
export const IDENTIFIER_POINTER = '/personal_identifier';

/** One official read of the holder's record, as the registry recorded it. */
export interface RecordAccess {
  /** Who read it, as the registry recorded them (e.g. `api-key:<id>`). */
  accessor: string;
  /** The purpose the reader declared. */
  purpose: string;
  /** Seconds since the epoch. */
  at: number;
}

/** At most this many accesses are read from one answer (the registry sends at most 500). */
const MAX_ACCESSES = 1000;
const MAX_TEXT = 1000;

const base = (issuer: string) => issuer.replace(/\/+$/, '');

/** `<issuer>/registry/me/accesses`: the endpoint, and the KB-JWT `aud` the registry expects. */
export function accessesEndpoint(issuer: string): string {
  return `${base(issuer)}/registry/me/accesses`;
}

/** The issuer's nonce endpoint (OpenID4VCI 1.0 §7), under its identifier as the issuer serves it. */
export function nonceEndpoint(issuer: string): string {
  return `${base(issuer)}/nonce`;
}

/** The holder's identity number in a credential, when it has one to disclose. */
export function identityNumber(credential: StoredCredential): string | undefined {
  const value = credential.claims['personal_identifier'];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Whether the registry of this page can be asked "who looked at my record" with this credential:
 * a national identity credential with an identity number, issued by the server the wallet is
 * served from (the pages may talk to their own origin only, CSP `connect-src 'self'`).
 */
export function canAskForAccesses(credential: StoredCredential, pageOrigin: string): boolean {
  if (credential.vct !== NATIONAL_IDENTITY_VCT || identityNumber(credential) === undefined) return false;
  try {
    const issuer = new URL(credential.issuer);
    return (issuer.protocol === 'https:' || issuer.protocol === 'http:') && issuer.origin === pageOrigin;
  } catch {
    return false;
  }
}

/** A fresh `c_nonce` from the issuer (`POST /nonce`), single use, consumed by the registry. */
async function freshNonce(issuer: string, fetchImpl?: Fetch): Promise<string> {
  const answer = await exchange(
    nonceEndpoint(issuer),
    { method: 'POST', headers: { accept: 'application/json' } },
    fetchImpl,
  );
  if (answer.status === 429) throw new WalletError('TOO_MANY_REQUESTS', 'the nonce endpoint said 429');
  if (answer.status !== 200) throw new WalletError('RESPONSE_INVALID', `nonce: HTTP ${answer.status}`);
  const nonce = jsonObject(answer, 'the nonce answer')['c_nonce'];
  if (typeof nonce !== 'string' || nonce.length < 16 || nonce.length > 128)
    throw new WalletError('RESPONSE_INVALID', 'the nonce answer has no usable c_nonce');
  return nonce;
}

/** The registry's `{ error, error_description }` as a coded wallet error. */
export function registryRefusal(answer: HttpAnswer): WalletError {
  let error: unknown;
  try {
    error = (JSON.parse(answer.text) as { error?: unknown }).error;
  } catch {
    error = undefined;
  }
  const code = typeof error === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(error) ? error : undefined;
  // The most specific code: the verification step the registry names in its description
  // ("… (STATUS_REVOKED)"), else its own error code.
  const reason = refusalReason(answer.text) ?? code;
  if (answer.status === 404)
    return new WalletError('RECORD_NOT_FOUND', 'the registry has no record for this credential');
  if (answer.status === 429)
    return new WalletError('TOO_MANY_REQUESTS', 'the registry asks to wait before asking again');
  if (answer.status === 400 || answer.status === 401 || answer.status === 403)
    return new WalletError(
      'ACCESSES_REFUSED',
      `the registry refused: ${reason ?? answer.status}`,
      reason ? { cause: reason } : {},
    );
  return new WalletError('RESPONSE_INVALID', `accesses: HTTP ${answer.status}`);
}

/** The accesses of a 200 answer, checked field by field, newest first. */
export function parseAccesses(answer: HttpAnswer): RecordAccess[] {
  const list = jsonObject(answer, 'the accesses answer')['accesses'];
  if (!Array.isArray(list) || list.length > MAX_ACCESSES)
    throw new WalletError('RESPONSE_INVALID', 'the accesses answer has no list of accesses');
  const accesses = list.map((entry: unknown): RecordAccess => {
    const item = entry as Partial<Record<keyof RecordAccess, unknown>> | null;
    if (
      item === null ||
      typeof item !== 'object' ||
      typeof item.accessor !== 'string' ||
      typeof item.purpose !== 'string' ||
      typeof item.at !== 'number' ||
      !Number.isFinite(item.at)
    )
      throw new WalletError('RESPONSE_INVALID', 'an access is not { accessor, purpose, at }');
    return {
      accessor: item.accessor.slice(0, MAX_TEXT),
      purpose: item.purpose.slice(0, MAX_TEXT),
      at: item.at,
    };
  });
  return accesses.sort((a, b) => b.at - a.at);
}

/**
 * "Who looked at my record" (`POST <issuer>/registry/me/accesses`): a fresh nonce from the issuer,
 * then a presentation of the national identity credential that discloses the identity number only,
 * with a KB-JWT bound to that nonce and to the endpoint as audience (so it cannot be replayed, nor
 * used anywhere else). The registry answers with the recorded reads of the record it names.
 */
export async function fetchRecordAccesses(
  credential: StoredCredential,
  fetchImpl?: Fetch,
): Promise<RecordAccess[]> {
  const answer = await proveToRegistry(credential, accessesEndpoint(credential.issuer), fetchImpl);
  if (answer.status !== 200) throw registryRefusal(answer);
  return parseAccesses(answer);
}

/**
 * Proves to a registry endpoint of the credential's issuer (`/registry/me/…`) that the holder is
 * the person of a record: a fresh nonce from the issuer, then a presentation of the national
 * identity credential that discloses the identity number only, with a KB-JWT bound to that nonce
 * and to the endpoint as audience (so it cannot be replayed, nor used at another endpoint).
 * Returns the registry's answer, whatever its status.
 */
export async function proveToRegistry(
  credential: StoredCredential,
  endpoint: string,
  fetchImpl?: Fetch,
): Promise<HttpAnswer> {
  if (identityNumber(credential) === undefined)
    throw new WalletError('CREDENTIAL_INVALID', 'the credential has no identity number to disclose');
  const nonce = await freshNonce(credential.issuer, fetchImpl);
  const presentation = await presentCredential(credential, [IDENTIFIER_POINTER], { aud: endpoint, nonce });
  return exchange(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ presentation, nonce }),
    },
    fetchImpl,
  );
}

/** The registry's reason carried by an error of fetchRecordAccesses, if it said one. */
export function accessRefusalReason(error: unknown): string | undefined {
  return error instanceof WalletError && typeof error.cause === 'string' ? error.cause : undefined;
}
