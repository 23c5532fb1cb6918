import type { CredentialOfferRecord, CredentialOfferStore, JsonObject } from '@trieste/core';
import { AdapterError } from '../errors.js';
import { openData, type SealedData, sealData } from '../keys/seal-data.js';

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

export type NewCredentialOffer = Parameters<CredentialOfferStore['create']>[0];

const isHash = (value: unknown) => value instanceof Uint8Array && value.length === 32;
const isTime = (value: unknown) => typeof value === 'number' && Number.isFinite(value);

/** Checks a new offer and its secrets: a malformed one is the caller's bug (TypeError). */
export function checkNewCredentialOffer(
  offer: NewCredentialOffer,
  secrets: { preAuthorizedCode?: string; claims: JsonObject },
): void {
  if (typeof offer.id !== 'string' || !ID.test(offer.id)) {
    throw new TypeError('offer id must be 16 to 64 base64url characters');
  }
  for (const [name, value] of [
    ['credentialConfigurationId', offer.credentialConfigurationId],
    ['subject', offer.subject],
  ] as const) {
    if (typeof value !== 'string' || value.length < 1 || value.length > 200) {
      throw new TypeError(`offer ${name} must be 1 to 200 characters`);
    }
  }
  // Exactly one grant: a pre-authorized code, or a login for the authorization code grant.
  if (offer.login === undefined) {
    if (!isHash(offer.preAuthorizedCodeHash)) throw new TypeError('preAuthorizedCodeHash must be 32 bytes');
    if (typeof secrets.preAuthorizedCode !== 'string' || secrets.preAuthorizedCode.length < 16) {
      throw new TypeError('the pre-authorized code must be a string of at least 16 characters');
    }
  } else {
    if (offer.preAuthorizedCodeHash !== undefined || secrets.preAuthorizedCode !== undefined) {
      throw new TypeError('an offer with a login has no pre-authorized code');
    }
    if (offer.txCode !== undefined) throw new TypeError('an offer with a login has no tx_code');
    if (!isHash(offer.login.usernameHash)) throw new TypeError('login.usernameHash must be 32 bytes');
    if (!isPasswordHash(offer.login.passwordHash)) {
      throw new TypeError('login.passwordHash must be 1 to 300 characters');
    }
  }
  if (offer.txCode !== undefined) {
    const { hash, length, inputMode, description } = offer.txCode;
    if (!isHash(hash)) throw new TypeError('txCode.hash must be 32 bytes');
    if (!Number.isSafeInteger(length) || length < 1 || length > 32)
      throw new TypeError('txCode.length must be 1 to 32');
    if (inputMode !== 'numeric' && inputMode !== 'text')
      throw new TypeError('txCode.inputMode must be numeric or text');
    if (description !== undefined && (typeof description !== 'string' || description.length > 300)) {
      throw new TypeError('txCode.description must be at most 300 characters');
    }
  }
  if (!isTime(offer.createdAt) || !isTime(offer.expiresAt))
    throw new TypeError('offer times must be numbers');
  if (typeof secrets.claims !== 'object' || secrets.claims === null || Array.isArray(secrets.claims)) {
    throw new TypeError('claims must be a JSON object');
  }
}

const isPasswordHash = (value: unknown) =>
  typeof value === 'string' && value.length >= 1 && value.length <= 300;

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** Checks an authorization code and its bindings: a malformed one is the caller's bug (TypeError). */
export function checkAuthorizationCode(code: NonNullable<CredentialOfferRecord['authorizationCode']>): void {
  if (!isHash(code.hash)) throw new TypeError('the authorization code hash must be 32 bytes');
  if (typeof code.codeChallenge !== 'string' || !CHALLENGE.test(code.codeChallenge)) {
    throw new TypeError('the code challenge must be 43 base64url characters (S256)');
  }
  if (typeof code.clientId !== 'string' || code.clientId.length < 1 || code.clientId.length > 200) {
    throw new TypeError('clientId must be 1 to 200 characters');
  }
  if (typeof code.redirectUri !== 'string' || code.redirectUri.length < 1 || code.redirectUri.length > 2000) {
    throw new TypeError('redirectUri must be 1 to 2000 characters');
  }
  if (!isTime(code.expiresAt)) throw new TypeError('the code expiry must be a number');
}

export function checkNonce(nonce: unknown): nonce is string {
  return typeof nonce === 'string' && nonce.length >= 16 && nonce.length <= 128;
}

export function checkThumbprint(thumbprint: string, subject: string): void {
  if (typeof thumbprint !== 'string' || !THUMBPRINT.test(thumbprint)) {
    throw new TypeError('a holder key thumbprint is 43 base64url characters (RFC 7638, SHA-256)');
  }
  if (typeof subject !== 'string' || subject.length < 1 || subject.length > 200) {
    throw new TypeError('subject must be 1 to 200 characters');
  }
}

/** Seals the pre-authorized code, bound to its offer. */
export function sealCode(key: Uint8Array, id: string, code: string): SealedData {
  return sealData(key, `credential-offer/code:${id}`, Buffer.from(code, 'utf8'));
}

export function openCode(key: Uint8Array, id: string, sealed: SealedData): string {
  return openData(key, `credential-offer/code:${id}`, sealed, 'pre-authorized code').toString('utf8');
}

/** Seals the prepared claims (personal data), bound to their offer. */
export function sealClaims(key: Uint8Array, id: string, claims: JsonObject): SealedData {
  const plaintext = Buffer.from(JSON.stringify(claims), 'utf8');
  try {
    return sealData(key, `credential-offer/claims:${id}`, plaintext);
  } finally {
    plaintext.fill(0);
  }
}

export function openClaims(key: Uint8Array, id: string, sealed: SealedData): JsonObject {
  const plaintext = openData(key, `credential-offer/claims:${id}`, sealed, 'offer claims');
  try {
    return JSON.parse(plaintext.toString('utf8')) as JsonObject;
  } catch {
    // No cause: a parse error could quote the decrypted claims.
    throw new AdapterError('MASTER_KEY_INVALID', 'sealed offer claims are not JSON');
  } finally {
    plaintext.fill(0);
  }
}

export function isOfferId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id);
}

export function isHashBytes(value: unknown): value is Uint8Array {
  return isHash(value);
}

export function copyOffer(record: CredentialOfferRecord): CredentialOfferRecord {
  return structuredClone(record);
}
