import { base45Encode } from '../base45/base45.js';
import type { CborMap } from '../cose/decode-cbor.js';
import { encodeCbor } from '../cose/encode-cbor.js';
import { signCoseSign1 } from '../cose/sign-cose-sign1.js';
import { CWT_EXP, CWT_IAT, CWT_ISS, CWT_NBF, CWT_SUB } from '../cwt/cwt-claims.js';
import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';
import type { Signer } from '../ports.js';
import { deflateZlib } from '../qr/inflate-zlib.js';
import { MAX_QR_ALPHANUMERIC_CHARACTERS } from '../qr/qr-limits.js';
import { CLAIM_169, type Claim169Identity, encodeClaim169 } from './claim169.js';

export interface SignClaim169QrInput {
  identity: Claim169Identity;
  /** CWT `iss`: the registry's identifier, a URI (Claim 169 v1.2.2 asks for a fully qualified one). */
  issuer: string;
  /** NumericDates (seconds). */
  issuedAt: number;
  expiresAt?: number;
  notBefore?: number;
  /** CWT `sub`, e.g. a virtual ID; leave it out to disclose nothing more than the identity map. */
  subject?: string;
  /**
   * The `kid` put in the protected header: by default the signer's kid (its RFC 7638 thumbprint)
   * as UTF-8; bytes or text to name the key otherwise; null to send no kid (the verifier then
   * tries each trusted key of the issuer).
   */
  kid?: Uint8Array | string | null;
}

/**
 * Issues a Claim 169 QR text (mosip/id-claim-169 v1.2.2 §3.2.1): the identity map under claim 169
 * of a CWT with iss, iat and exp (RFC 8392) → COSE_Sign1 signed by `signer` (ES256 or EdDSA,
 * through the Signer port so the registry key stays in custody) → ZLIB → Base45. The text goes in
 * a QR code in alphanumeric mode, with no prefix (Claim 169 defines none). A text longer than the
 * largest QR code holds (4296 alphanumeric characters, version 40-L) is QR_PAYLOAD_TOO_LARGE:
 * leave out the photo or other fields.
 */
export async function signClaim169Qr(input: SignClaim169QrInput, signer: Signer): Promise<string> {
  if (typeof input.issuer !== 'string' || input.issuer === '') throw new TypeError('issuer must be a string');
  const claims: CborMap = new Map();
  claims.set(CWT_ISS, input.issuer);
  if (input.subject !== undefined) claims.set(CWT_SUB, text(input.subject, 'subject'));
  if (input.expiresAt !== undefined) claims.set(CWT_EXP, date(input.expiresAt, 'expiresAt'));
  if (input.notBefore !== undefined) claims.set(CWT_NBF, date(input.notBefore, 'notBefore'));
  claims.set(CWT_IAT, date(input.issuedAt, 'issuedAt'));
  claims.set(CLAIM_169, encodeClaim169(input.identity));
  if (input.expiresAt !== undefined && input.expiresAt <= input.issuedAt)
    throw new TypeError('expiresAt must be after issuedAt');

  const kid =
    input.kid === null
      ? undefined
      : input.kid === undefined
        ? utf8Encode(signer.kid)
        : typeof input.kid === 'string'
          ? utf8Encode(input.kid)
          : input.kid;
  const cose = await signCoseSign1(encodeCbor(claims), signer, kid === undefined ? {} : { kid });
  const qrText = base45Encode(deflateZlib(cose));
  if (qrText.length > MAX_QR_ALPHANUMERIC_CHARACTERS) {
    throw fail(
      'QR_PAYLOAD_TOO_LARGE',
      `Claim 169 QR text has ${qrText.length} characters, more than a QR code holds (${MAX_QR_ALPHANUMERIC_CHARACTERS})`,
    );
  }
  return qrText;
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`);
  return value;
}

// Whole seconds: a NumericDate may be fractional, but readers that expect integers are common.
function date(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${name} must be a NumericDate`);
  return Math.floor(value);
}
