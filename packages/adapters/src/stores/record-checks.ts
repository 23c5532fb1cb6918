import { randomBytes } from 'node:crypto';
import { type CredentialRecord, randomId } from '@trieste/core';

/**
 * A new status list's id: 128 random bits, so list ids say nothing about when or how many; never
 * with a leading `-`, which `trieste status set <list> <idx>` would read as an option (`randomId`).
 */
export function newStatusListId(): string {
  return randomId({ bytes: (length) => new Uint8Array(randomBytes(length)) });
}

/** Checks a credential record's shape: a malformed record is the caller's bug (TypeError). */
export function checkCredentialRecord(record: CredentialRecord): void {
  const text = (value: unknown, name: string) => {
    if (typeof value !== 'string' || value === '')
      throw new TypeError(`credential ${name} must be a non-empty string`);
  };
  const time = (value: unknown, name: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new TypeError(`credential ${name} must be a number`);
  };
  text(record.id, 'id');
  text(record.vct, 'vct');
  text(record.issuerKid, 'issuerKid');
  if (record.holderKeyThumbprint !== undefined) text(record.holderKeyThumbprint, 'holderKeyThumbprint');
  // A status entry is both fields or neither (a credential issued without status).
  if (record.statusListId !== undefined || record.statusIndex !== undefined) {
    text(record.statusListId, 'statusListId');
    if (!Number.isSafeInteger(record.statusIndex))
      throw new TypeError('credential statusIndex must be an integer');
  }
  time(record.issuedAt, 'issuedAt');
  if (record.expiresAt !== undefined) time(record.expiresAt, 'expiresAt');
}

/** Page bounds of `CredentialStore.list`: default 100, at most 1000 per page. */
export function checkPage(options: { limit?: number; offset?: number } = {}): {
  limit: number;
  offset: number;
} {
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 1000)
    throw new TypeError('limit must be an integer in [0, 1000]');
  if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError('offset must be an integer >= 0');
  return { limit, offset };
}

/** An index must be a safe integer; whether it was allocated is the store's (coded) answer. */
export function checkIndex(idx: unknown): asserts idx is number {
  if (!Number.isSafeInteger(idx)) throw new TypeError('status index must be an integer');
}
