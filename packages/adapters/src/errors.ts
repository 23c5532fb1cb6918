/**
 * The adapters' one error class, for failures only an adapter can have (a database that is down, a
 * master key that does not open the key store). Where a core code fits (STATUS_INDEX_OUT_OF_RANGE,
 * ISSUER_UNKNOWN) the adapters throw the core's TriesteError instead. Messages never contain key
 * material, connection strings with passwords, or claim values; the driver's error is kept as
 * `cause` for operators.
 */
export type AdapterErrorCode =
  /** The master key is malformed, or does not decrypt the issuer keys stored under it. */
  | 'MASTER_KEY_INVALID'
  /** The master key file is readable by group/other, not a regular file, or of the wrong length. */
  | 'MASTER_KEY_FILE_UNSAFE'
  /** The database cannot be reached or opened. */
  | 'DATABASE_UNAVAILABLE'
  /** A schema migration could not be applied, or an applied one was edited afterwards. */
  | 'MIGRATION_FAILED'
  /** A record with the same identity exists already (credential id, status list entry). */
  | 'DUPLICATE'
  /** The named record (status list, issuer key) does not exist. */
  | 'NOT_FOUND'
  // QR images (adapters/src/qr-image).
  /** The bytes are not a PNG or JPEG image, or the image does not decode. */
  | 'IMAGE_INVALID'
  /** The image's declared dimensions exceed the bound (a decompression bomb, or simply too big). */
  | 'IMAGE_TOO_LARGE'
  /** The image decodes but holds no readable QR code. */
  | 'QR_NOT_FOUND';

export const ADAPTER_ERROR_CODES: readonly AdapterErrorCode[] = [
  'MASTER_KEY_INVALID',
  'MASTER_KEY_FILE_UNSAFE',
  'DATABASE_UNAVAILABLE',
  'MIGRATION_FAILED',
  'DUPLICATE',
  'NOT_FOUND',
  // QR images (adapters/src/qr-image).
  'IMAGE_INVALID',
  'IMAGE_TOO_LARGE',
  'QR_NOT_FOUND',
];

export class AdapterError extends Error {
  override readonly name = 'AdapterError';
  readonly code: AdapterErrorCode;

  constructor(code: AdapterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isAdapterError(value: unknown): value is AdapterError {
  return value instanceof AdapterError;
}
