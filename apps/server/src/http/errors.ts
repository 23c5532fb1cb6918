/**
 * The server's one error class, for failures only HTTP has (who is calling, how often, in what
 * shape). Failures of the trust rules keep the core's and the adapters' codes. Messages go to the
 * client as `error_description`: they never contain a key, a token or a claim value.
 */
export type ServerErrorCode =
  /** No API key, or one that does not match a live key. */
  | 'UNAUTHORIZED'
  /** A valid key without the role the route needs. */
  | 'FORBIDDEN'
  /** No such route or resource. */
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  /** The request does not match the route's schema (path, query, headers or body). */
  | 'VALIDATION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A dependency (the database) does not answer: /ready says so. */
  | 'NOT_READY'
  /** An environment variable is missing or malformed (startup only). */
  | 'CONFIG_INVALID'
  /** OpenID4VP: the presentation request's time for an answer has passed. */
  | 'REQUEST_EXPIRED'
  /** OpenID4VP: the presentation request was answered already (a replayed response). */
  | 'REQUEST_ANSWERED'
  /** OpenID4VP: the authorization response is malformed, does not decrypt, or has the wrong state. */
  | 'RESPONSE_INVALID'
  /** OpenID4VP: the presented credentials do not satisfy the DCQL query. */
  | 'QUERY_UNSATISFIED'
  /** OpenID4VP: a presentation failed verification; the coded reason goes to the relying party. */
  | 'PRESENTATION_INVALID'
  /** OpenID4VP parental consent: the guardian credential presented is for another child. */
  | 'CONSENT_CHILD_MISMATCH'
  /**
   * `POST /admin/offers` for a credential whose claims come from the registry (`offered_by:
   * "registry"`: proofs of age, guardian credentials): only the registry routes offer it.
   */
  | 'OFFER_REGISTRY_ONLY'
  // Verifier webhooks (verifier/webhooks): SSRF screening of the relying party's URL.
  /**
   * The webhook URL's host is, or resolves to, a loopback, private, link-local, CGNAT,
   * unique-local, multicast, unspecified or reserved address (SSRF).
   */
  | 'WEBHOOK_ADDRESS_FORBIDDEN'
  // OpenID4VCI 1.0 and OAuth 2.0 protocol endpoints answer with the specs' own lower-case codes
  // (RFC 6749 §5.2, RFC 6750 §3.1, OpenID4VCI 1.0 §6.3 and §8.3.1.2), which wallets act upon.
  /** A token or credential request is malformed (missing or repeated parameter, wrong body). */
  | 'invalid_request'
  /** The pre-authorized code is unknown, used, expired or locked, or the tx_code is wrong. */
  | 'invalid_grant'
  | 'unsupported_grant_type'
  /** The access token is unknown, expired or used up (RFC 6750 §3.1): 401. */
  | 'invalid_token'
  /** A key proof does not verify (OpenID4VCI 1.0 Appendix F.4), or its key is bound to another holder. */
  | 'invalid_proof'
  /** A key proof's nonce is not a live c_nonce of this issuer. */
  | 'invalid_nonce'
  /** The credential configuration is unknown, or not the one the access token was issued for. */
  | 'unknown_credential_configuration'
  /** The credential request is well-formed JSON but asks for something this issuer does not do. */
  | 'invalid_credential_request'
  /**
   * OpenID4VCI 1.0 §8.3.1.2: the issuer does not accept the credential request (the registry
   * record behind the offer changed since: no longer active, or the guardian link was removed).
   */
  | 'credential_request_denied'
  /** Anything unexpected: the client learns nothing more, the log has the cause. */
  | 'INTERNAL';

export const SERVER_ERROR_CODES: readonly ServerErrorCode[] = [
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'NOT_READY',
  'CONFIG_INVALID',
  'REQUEST_EXPIRED',
  'REQUEST_ANSWERED',
  'RESPONSE_INVALID',
  'QUERY_UNSATISFIED',
  'PRESENTATION_INVALID',
  'CONSENT_CHILD_MISMATCH',
  'OFFER_REGISTRY_ONLY',
  // Verifier webhooks (verifier/webhooks).
  'WEBHOOK_ADDRESS_FORBIDDEN',
  'invalid_request',
  'invalid_grant',
  'unsupported_grant_type',
  'invalid_token',
  'invalid_proof',
  'invalid_nonce',
  'unknown_credential_configuration',
  'invalid_credential_request',
  'credential_request_denied',
  'INTERNAL',
];

export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isServerError(value: unknown): value is ServerError {
  return value instanceof ServerError;
}
