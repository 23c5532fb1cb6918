import type { AdapterErrorCode } from '@trieste/adapters';
import type { CoreErrorCode } from '@trieste/core';
import type { ServerErrorCode } from './errors.js';

/** Every code a client can be answered with: the core's, the adapters' and the server's own. */
export type ErrorCode = CoreErrorCode | AdapterErrorCode | ServerErrorCode;

/**
 * The one table from error code to HTTP status (STYLE.md habit 7). Typed as a Record over the union,
 * so a code added to any package without a status here does not compile.
 *
 * Verification failures are 400: the request carried something that does not verify. A missing
 * status entry or list is 404; a transition the rules forbid (reinstating a revoked credential) is
 * 409. Failures of the installation itself are 5xx, and their messages are not shown (see
 * send-error.ts).
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  // @trieste/core
  MALFORMED: 400,
  SIGNATURE_INVALID: 400,
  ALG_NOT_ALLOWED: 400,
  KEY_INVALID: 400,
  TYP_INVALID: 400,
  CLAIM_MISSING: 400,
  DISCLOSURE_MALFORMED: 400,
  DISCLOSURE_DIGEST_MISMATCH: 400,
  DISCLOSURE_DUPLICATE: 400,
  DISCLOSURE_UNREFERENCED: 400,
  CREDENTIAL_EXPIRED: 400,
  CREDENTIAL_NOT_YET_VALID: 400,
  KB_MISSING: 400,
  KB_MALFORMED: 400,
  KB_SIGNATURE_INVALID: 400,
  KB_NONCE_MISMATCH: 400,
  KB_AUDIENCE_MISMATCH: 400,
  KB_SD_HASH_MISMATCH: 400,
  KB_STALE: 400,
  TRANSACTION_DATA_MISMATCH: 400,
  HOLDER_KEY_MISSING: 400,
  STATUS_REVOKED: 400,
  STATUS_SUSPENDED: 400,
  STATUS_UNAVAILABLE: 503,
  STATUS_INDEX_OUT_OF_RANGE: 404,
  STATUS_LIST_FULL: 503,
  STATUS_TRANSITION_NOT_ALLOWED: 409,
  // No active issuer key to sign with: the installation, not the request, is at fault.
  ISSUER_UNKNOWN: 503,
  LOG_ENTRY_INVALID: 400,
  LOG_NOTE_MALFORMED: 400,
  // A cosignature that no configured witness made.
  LOG_NOTE_UNVERIFIED: 403,
  LOG_PROOF_INVALID: 400,
  // A concurrent sequencer got there first: retrying sees the newer checkpoint.
  LOG_INCONSISTENT: 409,
  LOG_WITNESS_QUORUM: 400,
  // The registry: a record that breaks the jurisdiction's field rules is 400, an unknown person,
  // case or VID 404, a change the record's state or version forbids 409, a revoked or expired VID
  // 410 (it existed and is gone), a VID of another service 403, the adjudicator who enrolled the
  // person 403 (four eyes), no free UIN 503 (the installation, not the request, is at fault).
  PERSON_INVALID: 400,
  PERSON_UNKNOWN: 404,
  PERSON_STATE_CONFLICT: 409,
  PERSON_VERSION_CONFLICT: 409,
  CASE_UNKNOWN: 404,
  CASE_DECIDED: 409,
  ADJUDICATOR_NOT_ALLOWED: 403,
  UIN_INVALID: 400,
  UIN_UNAVAILABLE: 503,
  VID_INVALID: 400,
  VID_UNKNOWN: 404,
  VID_REVOKED: 410,
  VID_EXPIRED: 410,
  VID_SERVICE_MISMATCH: 403,
  // Trust lists (core/src/trust-list): a list or an issuer the trust rules refuse is 400; a list
  // older than one already seen is a conflict; a list past its grace period is the verifier's
  // state, not the request's fault (503 until the next refresh).
  TRUST_LIST_ROLLBACK: 409,
  TRUST_LIST_OPERATOR_UNTRUSTED: 400,
  TRUST_LIST_NOT_RECOGNISED: 400,
  TRUST_LIST_EXPIRED: 503,
  ISSUER_WITHDRAWN: 400,
  ISSUER_OUTSIDE_VALIDITY: 400,
  CREDENTIAL_TYPE_NOT_ALLOWED: 400,
  PURPOSE_NOT_RECOGNISED: 400,
  // Offline QR codes (core/src/qr): what the QR carries is not a format we read (400), carries or
  // inflates to more than a QR code can hold (413), or breaks its schema (400).
  QR_FORMAT_UNKNOWN: 400,
  QR_PAYLOAD_TOO_LARGE: 413,
  SCHEMA_INVALID: 400,
  // @trieste/adapters
  MASTER_KEY_INVALID: 500,
  MASTER_KEY_FILE_UNSAFE: 500,
  DATABASE_UNAVAILABLE: 503,
  MIGRATION_FAILED: 500,
  DUPLICATE: 409,
  NOT_FOUND: 404,
  // QR images (adapters/src/qr-image): an upload that is no image, too large an image, no QR in it.
  IMAGE_INVALID: 400,
  IMAGE_TOO_LARGE: 413,
  QR_NOT_FOUND: 422,
  // @trieste/server (NOT_FOUND is shared with the adapters, with the same meaning)
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_READY: 503,
  CONFIG_INVALID: 500,
  // OpenID4VP response endpoint: every refusal of a wallet's answer is a 400 (OAuth invalid_request),
  // except a replay, which conflicts with the answer already recorded.
  REQUEST_EXPIRED: 400,
  REQUEST_ANSWERED: 409,
  RESPONSE_INVALID: 400,
  QUERY_UNSATISFIED: 400,
  PRESENTATION_INVALID: 400,
  CONSENT_CHILD_MISMATCH: 400,
  // A registrar may offer this credential, but only through the registry route that derives its claims.
  OFFER_REGISTRY_ONLY: 403,
  // Verifier webhooks: a webhook URL aimed at an internal address is refused when registered.
  WEBHOOK_ADDRESS_FORBIDDEN: 400,
  // OpenID4VCI / OAuth 2.0: 400, except a bad access token (RFC 6750 §3.1: 401).
  invalid_request: 400,
  invalid_grant: 400,
  unsupported_grant_type: 400,
  invalid_token: 401,
  invalid_proof: 400,
  invalid_nonce: 400,
  unknown_credential_configuration: 400,
  invalid_credential_request: 400,
  credential_request_denied: 400,
  INTERNAL: 500,
};
