import { base64urlDecode, utf8Decode } from '@trieste/core';
import type { StoredCredential } from './wallet-db';
import { WalletError } from './wallet-error';

/** Trieste's transaction data type: a guardian's consent for their child (docs, issue 8). */
export const PARENTAL_CONSENT_TYPE = 'trieste_parental_consent';

/** OpenID4VP 1.0 §5.1: at most this many entries are read. */
const MAX_ENTRIES = 5;
const MAX_ENCODED = 4096;

/** What a guardian is asked to agree to, as the verifier signed it in its request. */
export interface ParentalConsent {
  childGivenName: string;
  consent: string;
  service?: string;
}

/** One `transaction_data` entry: the string exactly as received (it is what gets hashed), decoded. */
export interface TransactionData {
  encoded: string;
  type: string;
  credentialIds: string[];
  parentalConsent?: ParentalConsent;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Printable text of at most `max` characters, without control characters, or undefined. */
function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the threat is control characters.
  if (trimmed === '' || trimmed.length > max || /[\u0000-\u001f\u007f]/.test(trimmed)) return undefined;
  return trimmed;
}

/**
 * Reads the request's `transaction_data` (OpenID4VP 1.0 §5.1): base64url-encoded JSON objects with
 * a `type` and the `credential_ids` (DCQL ids) they bind to. §5.1 says a wallet that does not
 * support a type, or finds an id that is not in the query, must refuse the request: it could not
 * show the holder what they are agreeing to.
 */
export function readTransactionData(value: unknown, queryIds: ReadonlySet<string>): TransactionData[] {
  if (value === undefined) return [];
  const invalid = (why: string) => new WalletError('REQUEST_INVALID', `transaction_data: ${why}`);
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_ENTRIES)
    throw invalid('not a list of 1 to 5 entries');
  return value.map((encoded): TransactionData => {
    if (typeof encoded !== 'string' || encoded.length > MAX_ENCODED || !/^[A-Za-z0-9_-]+$/.test(encoded))
      throw invalid('an entry is not base64url');
    let decoded: unknown;
    try {
      decoded = JSON.parse(utf8Decode(base64urlDecode(encoded)));
    } catch (cause) {
      throw new WalletError('REQUEST_INVALID', 'transaction_data: an entry is not JSON', { cause });
    }
    if (!isObject(decoded) || typeof decoded['type'] !== 'string') throw invalid('an entry has no type');
    const ids = decoded['credential_ids'];
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      !ids.every((id): id is string => typeof id === 'string' && queryIds.has(id))
    )
      throw invalid('credential_ids must name credential queries of the request');
    if (decoded['type'] !== PARENTAL_CONSENT_TYPE)
      throw new WalletError('REQUEST_UNSUPPORTED', 'transaction_data of a type this wallet does not show');
    const child = isObject(decoded['child']) ? decoded['child'] : {};
    const childGivenName = text(child['given_name'], 200);
    const consent = text(decoded['consent'], 300);
    if (!childGivenName || !consent) throw invalid('a parental consent names no child or no consent');
    const service = text(decoded['service'], 200);
    return {
      encoded,
      type: decoded['type'],
      credentialIds: ids,
      parentalConsent: { childGivenName, consent, ...(service ? { service } : {}) },
    };
  });
}

/**
 * The entries bound to one credential query, exactly as received and in request order: their
 * hashes go into that presentation's KB-JWT (OpenID4VP 1.0 §8.4; the core's presentSdJwtVc hashes
 * them). Undefined when no entry names this query.
 */
export function boundTransactionData(
  entries: readonly TransactionData[],
  queryId: string,
): string[] | undefined {
  const bound = entries.filter((entry) => entry.credentialIds.includes(queryId));
  return bound.length === 0 ? undefined : bound.map((entry) => entry.encoded);
}

/**
 * For a request with a parental consent, only a guardian credential of the child it names may
 * answer the queries the consent binds to: a guardian of two children must not sign Amina's
 * consent with Sami's credential. Other queries are not narrowed.
 */
export function childFilter(
  entries: readonly TransactionData[],
): (queryId: string, credential: StoredCredential) => boolean {
  const wanted = new Map<string, string[]>();
  for (const entry of entries) {
    if (!entry.parentalConsent) continue;
    for (const id of entry.credentialIds)
      wanted.set(id, [...(wanted.get(id) ?? []), entry.parentalConsent.childGivenName]);
  }
  return (queryId, credential) => {
    const names = wanted.get(queryId);
    if (!names) return true;
    const child = credential.claims['child'];
    const given =
      child !== null && typeof child === 'object' && !Array.isArray(child) ? child['given_name'] : undefined;
    return (
      typeof given === 'string' && names.every((name) => name.normalize('NFC') === given.normalize('NFC'))
    );
  };
}
