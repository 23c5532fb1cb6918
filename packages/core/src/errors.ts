/**
 * The core's one error class. Every failure of hostile input carries a code from this closed union,
 * set where it is thrown (never recovered from a message). Messages are for operators: they never
 * contain a token, a disclosure, a claim value or key material. A caller's bug (wrong option type)
 * is a TypeError instead.
 */
export type CoreErrorCode =
  | 'MALFORMED'
  | 'SIGNATURE_INVALID'
  | 'ALG_NOT_ALLOWED'
  | 'KEY_INVALID'
  | 'TYP_INVALID'
  | 'CLAIM_MISSING'
  | 'DISCLOSURE_MALFORMED'
  | 'DISCLOSURE_DIGEST_MISMATCH'
  | 'DISCLOSURE_DUPLICATE'
  | 'DISCLOSURE_UNREFERENCED'
  | 'CREDENTIAL_EXPIRED'
  | 'CREDENTIAL_NOT_YET_VALID'
  | 'KB_MISSING'
  | 'KB_MALFORMED'
  | 'KB_SIGNATURE_INVALID'
  | 'KB_NONCE_MISMATCH'
  | 'KB_AUDIENCE_MISMATCH'
  | 'KB_SD_HASH_MISMATCH'
  | 'KB_STALE'
  | 'TRANSACTION_DATA_MISMATCH'
  | 'HOLDER_KEY_MISSING'
  | 'STATUS_REVOKED'
  | 'STATUS_SUSPENDED'
  | 'STATUS_UNAVAILABLE'
  | 'STATUS_INDEX_OUT_OF_RANGE'
  | 'STATUS_LIST_FULL'
  | 'STATUS_TRANSITION_NOT_ALLOWED'
  | 'ISSUER_UNKNOWN'
  | 'LOG_ENTRY_INVALID'
  | 'LOG_NOTE_MALFORMED'
  | 'LOG_NOTE_UNVERIFIED'
  | 'LOG_PROOF_INVALID'
  | 'LOG_INCONSISTENT'
  | 'LOG_WITNESS_QUORUM'
  // The foundational registry (core/src/registry).
  | 'PERSON_INVALID'
  | 'PERSON_UNKNOWN'
  | 'PERSON_STATE_CONFLICT'
  | 'PERSON_VERSION_CONFLICT'
  | 'CASE_UNKNOWN'
  | 'CASE_DECIDED'
  | 'ADJUDICATOR_NOT_ALLOWED'
  | 'UIN_INVALID'
  | 'UIN_UNAVAILABLE'
  | 'VID_INVALID'
  | 'VID_UNKNOWN'
  | 'VID_REVOKED'
  | 'VID_EXPIRED'
  | 'VID_SERVICE_MISMATCH'
  // Trust lists and the verifier's trust store (core/src/trust-list).
  | 'TRUST_LIST_ROLLBACK'
  | 'TRUST_LIST_OPERATOR_UNTRUSTED'
  | 'TRUST_LIST_NOT_RECOGNISED'
  | 'TRUST_LIST_EXPIRED'
  | 'ISSUER_WITHDRAWN'
  | 'ISSUER_OUTSIDE_VALIDITY'
  | 'CREDENTIAL_TYPE_NOT_ALLOWED'
  | 'PURPOSE_NOT_RECOGNISED'
  // Offline QR codes: Base45, COSE/CWT, Claim 169, EU DCC "HC1:", SD-JWT in a QR (core/src/qr).
  | 'QR_FORMAT_UNKNOWN'
  | 'QR_PAYLOAD_TOO_LARGE'
  | 'SCHEMA_INVALID';

export const CORE_ERROR_CODES: readonly CoreErrorCode[] = [
  'MALFORMED',
  'SIGNATURE_INVALID',
  'ALG_NOT_ALLOWED',
  'KEY_INVALID',
  'TYP_INVALID',
  'CLAIM_MISSING',
  'DISCLOSURE_MALFORMED',
  'DISCLOSURE_DIGEST_MISMATCH',
  'DISCLOSURE_DUPLICATE',
  'DISCLOSURE_UNREFERENCED',
  'CREDENTIAL_EXPIRED',
  'CREDENTIAL_NOT_YET_VALID',
  'KB_MISSING',
  'KB_MALFORMED',
  'KB_SIGNATURE_INVALID',
  'KB_NONCE_MISMATCH',
  'KB_AUDIENCE_MISMATCH',
  'KB_SD_HASH_MISMATCH',
  'KB_STALE',
  'TRANSACTION_DATA_MISMATCH',
  'HOLDER_KEY_MISSING',
  'STATUS_REVOKED',
  'STATUS_SUSPENDED',
  'STATUS_UNAVAILABLE',
  'STATUS_INDEX_OUT_OF_RANGE',
  'STATUS_LIST_FULL',
  'STATUS_TRANSITION_NOT_ALLOWED',
  'ISSUER_UNKNOWN',
  'LOG_ENTRY_INVALID',
  'LOG_NOTE_MALFORMED',
  'LOG_NOTE_UNVERIFIED',
  'LOG_PROOF_INVALID',
  'LOG_INCONSISTENT',
  'LOG_WITNESS_QUORUM',
  'PERSON_INVALID',
  'PERSON_UNKNOWN',
  'PERSON_STATE_CONFLICT',
  'PERSON_VERSION_CONFLICT',
  'CASE_UNKNOWN',
  'CASE_DECIDED',
  'ADJUDICATOR_NOT_ALLOWED',
  'UIN_INVALID',
  'UIN_UNAVAILABLE',
  'VID_INVALID',
  'VID_UNKNOWN',
  'VID_REVOKED',
  'VID_EXPIRED',
  'VID_SERVICE_MISMATCH',
  // Trust lists and the verifier's trust store (core/src/trust-list).
  'TRUST_LIST_ROLLBACK',
  'TRUST_LIST_OPERATOR_UNTRUSTED',
  'TRUST_LIST_NOT_RECOGNISED',
  'TRUST_LIST_EXPIRED',
  'ISSUER_WITHDRAWN',
  'ISSUER_OUTSIDE_VALIDITY',
  'CREDENTIAL_TYPE_NOT_ALLOWED',
  'PURPOSE_NOT_RECOGNISED',
  // Offline QR codes (core/src/qr).
  'QR_FORMAT_UNKNOWN',
  'QR_PAYLOAD_TOO_LARGE',
  'SCHEMA_INVALID',
];

export class TriesteError extends Error {
  override readonly name = 'TriesteError';
  readonly code: CoreErrorCode;

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isTriesteError(value: unknown): value is TriesteError {
  return value instanceof TriesteError;
}

/** Shorthand used at throw sites: `throw fail('MALFORMED', 'JWS must have three parts')`. */
export function fail(code: CoreErrorCode, message: string, cause?: unknown): TriesteError {
  return new TriesteError(code, message, cause === undefined ? undefined : { cause });
}
