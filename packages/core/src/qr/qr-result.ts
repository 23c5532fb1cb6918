import type { JsonObject } from '../encoding/json.js';
import { type CoreErrorCode, TriesteError } from '../errors.js';

/** What a QR text was recognised as. */
export type QrKind = 'hc1' | 'claim169' | 'sd-jwt' | 'unknown';

/**
 * The steps of offline verification, in the order they run: prefix → size → base45 →
 * decompression → cose → key → signature → schema → validity for the Base45 kinds (HC1, Claim 169),
 * and prefix → size → decode → key → signature → validity → disclosures → key-binding → status for
 * an SD-JWT VC (a claim verifySdJwtVc refuses after the signature fails as `schema`). A text longer
 * than any QR code fails `size` before anything else.
 */
export type QrStepName =
  | 'size'
  | 'prefix'
  | 'base45'
  | 'decompression'
  | 'cose'
  | 'decode'
  | 'key'
  | 'signature'
  | 'schema'
  | 'validity'
  | 'disclosures'
  | 'key-binding'
  | 'status';

export interface QrStep {
  step: QrStepName;
  ok: boolean;
  /** Set when the step failed. */
  code?: CoreErrorCode;
  /** For people: what was checked or why it failed. Never a claim value. */
  detail?: string;
}

export interface QrSigner {
  /** The message's kid: text when printable ASCII, else base64 (as EU DCC lists write kids). */
  kid?: string;
  alg?: string;
  /** The trust entry's label (a file name, a trust list entry). */
  label?: string;
  /** RFC 7638 thumbprint of a JWK key. */
  thumbprint?: string;
  certificateSubject?: string;
  /** SHA-256 of the signer certificate's DER, hex. */
  certificateSha256?: string;
}

/**
 * The JSON-able outcome of verifyQrText. `valid` is true only when every step passed. A failure
 * is the last step, with its code (also in `code`). `claims` is present only once the signature
 * verified and the claims decoded, even if a later step (validity) failed, so a verifier can say
 * whose expired document it holds.
 */
export interface QrVerificationResult {
  kind: QrKind;
  valid: boolean;
  code?: CoreErrorCode;
  steps: QrStep[];
  /** `hc1`, `claim169`, or the SD-JWT VC's `vct`. */
  type?: string;
  /** The CWT or JWT `iss`, once the signature verified. */
  issuer?: string;
  signer?: QrSigner;
  claims?: JsonObject;
  /** NumericDates (seconds). */
  issuedAt?: number;
  validFrom?: number;
  validUntil?: number;
}

/** @internal Records steps; a failed step ends the pipeline through StepFailed. */
export class StepRecorder {
  readonly steps: QrStep[] = [];

  async run<T>(step: QrStepName, work: () => T | Promise<T>, detail?: (value: T) => string | undefined) {
    let value: T;
    try {
      value = await work();
    } catch (error) {
      if (error instanceof TriesteError) {
        this.fail(step, error.code, error.message);
      }
      throw error;
    }
    this.pass(step, detail?.(value));
    return value;
  }

  pass(step: QrStepName, detail?: string): void {
    this.steps.push(detail === undefined ? { step, ok: true } : { step, ok: true, detail });
  }

  fail(step: QrStepName, code: CoreErrorCode, detail: string): never {
    this.steps.push({ step, ok: false, code, detail });
    throw new StepFailed(code);
  }
}

/** @internal */
export class StepFailed extends Error {
  constructor(readonly code: CoreErrorCode) {
    super(code);
  }
}
