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
