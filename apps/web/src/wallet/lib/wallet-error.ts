/**
 * The wallet's one error class. Every failure a holder can meet has a code from this closed union,
 * set where it is thrown; the screens translate the code (wallet.json `errors.<CODE>`), never the
 * message. Messages are for developers: they never hold a token, a disclosure, a claim value, a
 * transaction code or key material.
 */
export type WalletErrorCode =
  /** The text is not an offer or request link this wallet reads. */
  | 'LINK_INVALID'
  /** The network could not be reached, or timed out. */
  | 'NETWORK'
  /** A server answered with something that is not what the protocol says. */
  | 'RESPONSE_INVALID'
  /** The offer has no pre-authorized code grant (e.g. it asks for a login). */
  | 'GRANT_UNSUPPORTED'
  /** The transaction code was refused (invalid_grant), or the offer was used or expired. */
  | 'TX_CODE_REFUSED'
  /** The issuer refused the credential request. */
  | 'ISSUANCE_REFUSED'
  /** The credential received does not verify with the issuer's published keys. */
  | 'CREDENTIAL_INVALID'
  /** The request object's signature, client_id or contents do not hold. */
  | 'REQUEST_INVALID'
  /** The request asks for something this wallet does not support (format, mode, client id prefix). */
  | 'REQUEST_UNSUPPORTED'
  /** The request has expired or was answered already. */
  | 'REQUEST_EXPIRED'
  /** The wallet holds no credential that answers the request. */
  | 'NO_MATCHING_CREDENTIAL'
  /** The verifier refused the presentation. */
  | 'PRESENTATION_REFUSED'
  /** The offline presentation is larger than a QR code can hold. */
  | 'QR_TOO_LARGE'
  /** No QR code was found in the image or camera picture. */
  | 'QR_NOT_FOUND'
  /** The camera could not be used (no permission, no device, no secure context). */
  | 'CAMERA_UNAVAILABLE'
  /** The device storage (IndexedDB) or WebCrypto is not available. */
  | 'STORAGE_UNAVAILABLE'
  /** The registry did not accept the proof that the holder is the person of the record. */
  | 'ACCESSES_REFUSED'
  /** The registry has no record for the credential shown. */
  | 'RECORD_NOT_FOUND'
  /** The server asks the wallet to wait before asking again (HTTP 429). */
  | 'TOO_MANY_REQUESTS';

export class WalletError extends Error {
  override readonly name = 'WalletError';
  constructor(
    readonly code: WalletErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isWalletError(error: unknown): error is WalletError {
  return error instanceof WalletError;
}

/** The code a screen shows for any failure: ours, or NETWORK for a fetch that threw. */
export function walletErrorCode(error: unknown): WalletErrorCode {
  if (isWalletError(error)) return error.code;
  if (error instanceof TypeError || (error instanceof DOMException && error.name === 'AbortError'))
    return 'NETWORK';
  return 'RESPONSE_INVALID';
}
