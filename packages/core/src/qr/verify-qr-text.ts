import { base45Decode, isBase45Text } from '../base45/base45.js';
import { webCrypto } from '../crypto/web-crypto.js';
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { CryptoPort } from '../ports.js';
import { DEFAULT_QR_MAX_DECOMPRESSED_BYTES, isZlibHeader } from './inflate-zlib.js';
import { MAX_QR_ALPHANUMERIC_CHARACTERS, MAX_QR_TEXT_LENGTH, SD_JWT_QR_MAX_BYTES } from './qr-limits.js';
import { type QrVerificationResult, StepFailed, StepRecorder } from './qr-result.js';
import { preparedTrust, type QrTrustMaterial } from './trust-material.js';
import { verifyCoseQr } from './verify-cose-qr.js';
import { type SdJwtQrOptions, verifySdJwtQr } from './verify-sd-jwt-qr.js';

export interface VerifyQrTextOptions {
  /** NumericDate to verify at (seconds). Time is a parameter: "was this valid at T?" works offline. */
  now: number;
  /** Tolerated clock difference for exp, nbf, iat and certificate validity. Default 60. */
  clockSkewSeconds?: number;
  /** Bound on what a Base45 payload may inflate to. Default 64 KiB. */
  maxDecompressedBytes?: number;
  /** Bound on an SD-JWT presentation, in bytes. Default 2953, a version 40-L QR code in byte mode. */
  maxSdJwtBytes?: number;
  /** WebCrypto for COSE signatures. Default globalThis.crypto.subtle. */
  subtle?: SubtleCrypto;
  /** Hashing and JWS verification for SD-JWT. Default webCrypto(subtle). */
  crypto?: CryptoPort;
  /** SD-JWT VC only: key binding expectations, an offline status resolver. */
  sdJwt?: SdJwtQrOptions;
}

export const HC1_PREFIX = 'HC1:';

// Context identifiers of other health-certificate and ID QR schemes ("HC2:", "NZCP:/", "shc:/"…):
// recognised as prefixes so the answer is "a format we do not read", not "bad Base45".
const OTHER_PREFIX = /^[A-Za-z][A-Za-z0-9]{1,7}:/;
// base64url parts joined by "." and "~": the compact SD-JWT serialisation (RFC 9901 §4).
const SD_JWT_TEXT = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~[A-Za-z0-9_.~-]*$/;

/**
 * Verifies the text of a QR code offline, whatever it carries: an EU DCC / WHO DDCC ("HC1:" +
 * Base45 + ZLIB + COSE_Sign1 + CWT with claim −260), a Claim 169 identity QR (no prefix: Base45 +
 * ZLIB + COSE_Sign1 + CWT with claim 169), or an SD-JWT VC presentation (compact, `~`-separated).
 * The kind is recognised from the text: the HC1 prefix; the SD-JWT shape; otherwise Base45 text
 * that decodes to a ZLIB stream is read as Claim 169.
 *
 * Hostile text never makes this throw: every problem is a failed step in the result, with a code,
 * and the steps before it say what was checked. `trust` is configuration, and broken trust
 * material (or a bad option) does throw (KEY_INVALID, TypeError).
 */
export async function verifyQrText(
  text: string,
  trust: QrTrustMaterial,
  options: VerifyQrTextOptions,
): Promise<QrVerificationResult> {
  if (typeof text !== 'string') throw new TypeError('text must be a string');
  checkOptions(options);
  const prepared = await preparedTrust(trust);
  const subtle = options.subtle ?? globalThis.crypto.subtle;
  const steps: StepRecorder = new StepRecorder();
  const result: QrVerificationResult = { kind: 'unknown', valid: false, steps: steps.steps };
  const common = {
    trust: prepared,
    now: options.now,
    skew: options.clockSkewSeconds ?? 60,
    steps,
    result,
  };
  try {
    if (text.length > MAX_QR_TEXT_LENGTH) {
      steps.fail(
        'size',
        'QR_PAYLOAD_TOO_LARGE',
        `text is longer than any QR code holds (${MAX_QR_TEXT_LENGTH})`,
      );
    }
    const kind = detect(text);
    result.kind = kind.kind;
    if (kind.kind === 'unknown') steps.fail('prefix', 'QR_FORMAT_UNKNOWN', kind.detail);
    steps.pass('prefix', kind.detail);
    if (kind.kind === 'sd-jwt') {
      const max = options.maxSdJwtBytes ?? SD_JWT_QR_MAX_BYTES;
      await steps.run(
        'size',
        () => {
          const bytes = utf8Encode(text).length;
          if (bytes > max)
            throw fail('QR_PAYLOAD_TOO_LARGE', `SD-JWT of ${bytes} bytes is over the QR limit of ${max}`);
          return bytes;
        },
        (bytes) => `${bytes} bytes, limit ${max}`,
      );
      await verifySdJwtQr(text, {
        ...common,
        crypto: options.crypto ?? webCrypto(subtle),
        options: options.sdJwt ?? {},
      });
    } else {
      await steps.run(
        'size',
        () => {
          if (text.length > MAX_QR_ALPHANUMERIC_CHARACTERS)
            throw fail('QR_PAYLOAD_TOO_LARGE', `text is longer than a QR code holds in alphanumeric mode`);
          return text.length;
        },
        (length) => `${length} characters, limit ${MAX_QR_ALPHANUMERIC_CHARACTERS}`,
      );
      const compressed =
        kind.compressed ??
        (await steps.run(
          'base45',
          () => base45Decode(text.slice(HC1_PREFIX.length), 'HC1 text'),
          (bytes) => `${bytes.length} bytes`,
        ));
      if (kind.compressed) steps.pass('base45', `${kind.compressed.length} bytes`);
      await verifyCoseQr(compressed, {
        ...common,
        kind: kind.kind,
        maxDecompressedBytes: options.maxDecompressedBytes ?? DEFAULT_QR_MAX_DECOMPRESSED_BYTES,
        subtle,
      });
    }
    result.valid = true;
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    result.code = error.code;
    // Claims are shown only once the signature verified (see QrVerificationResult).
    if (!steps.steps.some((step) => step.step === 'signature' && step.ok)) delete result.claims;
  }
  return result;
}

type Detected =
  | { kind: 'hc1' | 'sd-jwt'; detail: string; compressed?: undefined }
  | { kind: 'claim169'; detail: string; compressed: Uint8Array }
  | { kind: 'unknown'; detail: string };

function detect(text: string): Detected {
  if (text.startsWith(HC1_PREFIX)) return { kind: 'hc1', detail: 'HC1: (EU DCC / WHO DDCC)' };
  if (SD_JWT_TEXT.test(text)) return { kind: 'sd-jwt', detail: 'SD-JWT (compact, "~"-separated)' };
  // Claim 169 has no prefix (v1.2.2 §3.2.1). Only Base45 text that decodes to a ZLIB stream is
  // taken for one: its Brotli variant, which has no magic number to recognise, is not supported.
  if (text.length > 0 && isBase45Text(text) && text.length % 3 !== 1) {
    try {
      const compressed = base45Decode(text, 'QR text');
      if (isZlibHeader(compressed))
        return { kind: 'claim169', detail: 'no prefix, Base45 and ZLIB: Claim 169', compressed };
    } catch {
      // Not Base45 after all (a group out of range): an unknown format.
    }
  }
  if (OTHER_PREFIX.test(text)) return { kind: 'unknown', detail: 'a context prefix we do not read' };
  return {
    kind: 'unknown',
    detail: 'neither HC1:, an SD-JWT, nor Base45 ZLIB data (Claim 169; Brotli is not supported)',
  };
}

function checkOptions(options: VerifyQrTextOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  if (typeof options.now !== 'number' || !Number.isFinite(options.now))
    throw new TypeError('now must be a NumericDate');
  const skew = options.clockSkewSeconds;
  if (skew !== undefined && (!Number.isFinite(skew) || skew < 0))
    throw new TypeError('clockSkewSeconds must be a non-negative number');
  for (const name of ['maxDecompressedBytes', 'maxSdJwtBytes'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1))
      throw new TypeError(`${name} must be a positive integer`);
  }
}
