import type { ApiKeyRecord } from '@trieste/core';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const ROLE = /^[a-z][a-z0-9-]{0,31}$/;

/** Checks an API key record and hash: a malformed one is the caller's bug (TypeError). */
export function checkApiKey(record: ApiKeyRecord, secretHash: Uint8Array): void {
  if (typeof record.id !== 'string' || !ID.test(record.id)) {
    throw new TypeError('API key id must be 1 to 64 base64url characters');
  }
  if (typeof record.name !== 'string' || record.name.length < 1 || record.name.length > 200) {
    throw new TypeError('API key name must be 1 to 200 characters');
  }
  if (
    !Array.isArray(record.roles) ||
    !record.roles.every((role) => typeof role === 'string' && ROLE.test(role))
  ) {
    throw new TypeError('API key roles must be lower-case role names');
  }
  if (typeof record.createdAt !== 'number' || !Number.isFinite(record.createdAt)) {
    throw new TypeError('API key createdAt must be a number');
  }
  if (record.revokedAt !== undefined) throw new TypeError('a new API key cannot be revoked already');
  if (!(secretHash instanceof Uint8Array) || secretHash.length !== 32) {
    throw new TypeError('API key secretHash must be 32 bytes (SHA-256)');
  }
}

/** Whether `id` can name a key at all: lookups of anything else answer "none" without a query. */
export function isApiKeyId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}
