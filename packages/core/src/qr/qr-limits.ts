// QR code capacities (ISO/IEC 18004:2015 Table 7, version 40 with error correction level L):
// the most any single QR code holds in each mode.

/** Alphanumeric mode: the mode of Base45 texts (EU DCC "HC1:", Claim 169). */
export const MAX_QR_ALPHANUMERIC_CHARACTERS = 4296;

/**
 * Byte mode: the mode of an SD-JWT VC presentation (base64url and "~" are not all in the
 * alphanumeric set). An SD-JWT presentation in a QR code is limited to this many bytes; a wallet
 * whose presentation is longer discloses fewer claims or presents online (OpenID4VP) instead, see
 * docs/offline-qr.md. Few phone cameras read a version 40 code reliably; around 1,000 bytes
 * (version ~22 at level L) scan comfortably.
 */
export const SD_JWT_QR_MAX_BYTES = 2953;

/** Longest text verifyQrText looks at, whatever its kind: the numeric mode's 7089 digits. */
export const MAX_QR_TEXT_LENGTH = 7089;
