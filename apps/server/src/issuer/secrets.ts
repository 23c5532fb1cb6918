import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

/** A 256-bit random secret (pre-authorized code, access token), base64url. */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** A 128-bit random identifier (offer id, c_nonce), base64url. */
export const randomId = (): string => randomBytes(16).toString('base64url');

/** `length` uniformly random decimal digits (randomInt rejects modulo bias). */
export const randomDigits = (length: number): string =>
  Array.from({ length }, () => String(randomInt(10))).join('');

export const sha256 = (text: string): Uint8Array =>
  new Uint8Array(createHash('sha256').update(text, 'utf8').digest());

/**
 * The stored form of a transaction code: HMAC-SHA256 keyed with the pre-authorized code, so the
 * few digits cannot be tried offline from a copy of the database (the code is stored sealed only).
 */
export const txCodeHash = (preAuthorizedCode: string, txCode: string): Uint8Array =>
  new Uint8Array(createHmac('sha256', preAuthorizedCode).update(txCode, 'utf8').digest());

/** The subject a holder key is bound to: hashed, so a registrar's reference is not stored as given. */
export const subjectHash = (subject: string): string =>
  createHash('sha256').update(`trieste/subject/v1:${subject}`, 'utf8').digest('base64url');
