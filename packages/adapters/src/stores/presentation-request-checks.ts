import type { JsonObject, PresentationOutcome, PresentationRequestRecord, PrivateJwk } from '@trieste/core';
import { parsePrivateJwk } from '@trieste/core';
import { AdapterError } from '../errors.js';
import type { SignerCache } from '../keys/create-key-custody.js';
import { openData, type SealedData, sealData } from '../keys/seal-data.js';
import type { StoredServiceKey } from './sql/sql-service-key.js';

const ID = /^[A-Za-z0-9_-]{16,64}$/;

/** What the presentation request stores share: the sealing key and the verifier signer cache. */
export interface PresentationStoreContext {
  /** From `deriveVerifierEncryptionKey(masterKey)`. */
  encryptionKey: Uint8Array;
  signers: SignerCache;
  /**
   * The verifier key's row once read outside any transaction (so it is committed). The key never
   * changes, so later `signer()` calls need no query: the direct_post path asks for it each time.
   */
  committedKey?: StoredServiceKey;
}

/** Whether `id` can name a request at all: lookups of anything else answer "none" without a query. */
export function isPresentationRequestId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

/** Checks a new request's shape: a malformed record is the caller's bug (TypeError). */
export function checkPresentationRequest(record: PresentationRequestRecord): void {
  if (!isPresentationRequestId(record.id))
    throw new TypeError('request id must be 16 to 64 base64url characters');
  for (const name of ['nonce', 'state'] as const) {
    const value = record[name];
    if (typeof value !== 'string' || value.length < 16 || value.length > 128) {
      throw new TypeError(`request ${name} must be 16 to 128 characters`);
    }
  }
  if (typeof record.apiKeyId !== 'string' || record.apiKeyId === '')
    throw new TypeError('apiKeyId is required');
  if (typeof record.query !== 'object' || record.query === null || Array.isArray(record.query)) {
    throw new TypeError('query must be an object');
  }
  if (typeof record.purpose !== 'string' || record.purpose.length < 1 || record.purpose.length > 500) {
    throw new TypeError('purpose must be 1 to 500 characters');
  }
  if (record.purposeCode !== undefined && !/^[a-z0-9][a-z0-9_.-]{0,63}$/.test(record.purposeCode)) {
    throw new TypeError('purposeCode must be a lowercase code of at most 64 characters');
  }
  if (record.responseMode !== 'direct_post' && record.responseMode !== 'direct_post.jwt') {
    throw new TypeError('responseMode must be direct_post or direct_post.jwt');
  }
  if (!Array.isArray(record.trustedIssuers) || !record.trustedIssuers.every((i) => typeof i === 'string')) {
    throw new TypeError('trustedIssuers must be strings');
  }
  if (record.transactionData !== undefined) {
    const data = record.transactionData;
    if (
      !Array.isArray(data) ||
      data.length < 1 ||
      data.length > 5 ||
      !data.every((entry) => typeof entry === 'string' && /^[A-Za-z0-9_-]{1,8192}$/.test(entry))
    ) {
      throw new TypeError('transactionData must be 1 to 5 base64url strings');
    }
  }
  if (
    record.template !== undefined &&
    (typeof record.template !== 'object' || record.template === null || Array.isArray(record.template))
  ) {
    throw new TypeError('template must be an object');
  }
  if (record.status !== 'pending' || record.answeredAt !== undefined || record.reason !== undefined) {
    throw new TypeError('a new request is pending');
  }
  for (const name of ['createdAt', 'expiresAt', 'deleteAt'] as const) {
    if (!Number.isFinite(record[name])) throw new TypeError(`${name} must be a number`);
  }
}

export function checkOutcome(outcome: PresentationOutcome): void {
  if (outcome.status !== 'verified' && outcome.status !== 'failed') {
    throw new TypeError('outcome status must be verified or failed');
  }
  if (!Number.isFinite(outcome.answeredAt) || !Number.isFinite(outcome.deleteAt)) {
    throw new TypeError('answeredAt and deleteAt must be numbers');
  }
  const entries = outcome.requireValidStatus;
  if (entries === undefined) return;
  if (!Array.isArray(entries) || entries.length > 100) {
    throw new TypeError('requireValidStatus must be an array of at most 100 entries');
  }
  for (const entry of entries) {
    if (
      typeof entry?.listId !== 'string' ||
      !/^[A-Za-z0-9_-]{1,64}$/.test(entry.listId) ||
      !Number.isSafeInteger(entry.idx) ||
      entry.idx < 0
    ) {
      throw new TypeError('requireValidStatus entries need a list id and a non-negative index');
    }
  }
}

/** The distinct entries of `requireValidStatus`, as the stores check them. */
export function requiredStatusEntries(outcome: PresentationOutcome): Array<{ listId: string; idx: number }> {
  const seen = new Map<string, { listId: string; idx: number }>();
  for (const { listId, idx } of outcome.requireValidStatus ?? [])
    seen.set(`${listId}/${idx}`, { listId, idx });
  return [...seen.values()];
}

// AAD contexts: the request id and the purpose, so neither secret opens on another row or as the other.
const keyContext = (id: string) => `presentation-request:${id}:encryption-key`;
const resultContext = (id: string) => `presentation-request:${id}:result`;

export function sealEncryptionKey(key: Uint8Array, id: string, jwk: PrivateJwk): SealedData {
  return sealData(key, keyContext(id), Buffer.from(JSON.stringify(jwk), 'utf8'));
}

export function openEncryptionKey(key: Uint8Array, id: string, sealed: SealedData): PrivateJwk {
  const plaintext = openData(key, keyContext(id), sealed, 'request decryption key');
  try {
    return parsePrivateJwk(JSON.parse(plaintext.toString('utf8')), 'request decryption key');
  } catch {
    throw new AdapterError('MASTER_KEY_INVALID', 'sealed request decryption key does not hold a private JWK');
  } finally {
    plaintext.fill(0);
  }
}

export function sealResult(key: Uint8Array, id: string, result: JsonObject): SealedData {
  return sealData(key, resultContext(id), Buffer.from(JSON.stringify(result), 'utf8'));
}

export function openResult(key: Uint8Array, id: string, sealed: SealedData): JsonObject {
  const plaintext = openData(key, resultContext(id), sealed, 'presentation result');
  try {
    return JSON.parse(plaintext.toString('utf8')) as JsonObject;
  } finally {
    plaintext.fill(0);
  }
}
