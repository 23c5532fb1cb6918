import { CLAIM_169, claim169ToJson, decodeClaim169 } from '../claim169/claim169.js';
import { cborToJson } from '../cose/cbor-to-json.js';
import type { CoseAlgorithm } from '../cose/cose-algorithms.js';
import { type DecodedCoseSign1, decodeCoseSign1 } from '../cose/decode-cose-sign1.js';
import { verifyCoseSign1 } from '../cose/verify-cose-sign1.js';
import { type CwtClaims, decodeCwtClaims } from '../cwt/cwt-claims.js';
import { isJsonObject } from '../encoding/json.js';
import { fail, TriesteError } from '../errors.js';
import { CWT_HCERT, checkDccStructure, HCERT_EU_DCC_V1 } from '../hc1/check-dcc-structure.js';
import { inflateZlib } from './inflate-zlib.js';
import type { QrVerificationResult, StepRecorder } from './qr-result.js';
import { displayKid, selectTrustedKeys } from './select-trusted-keys.js';
import type { PreparedKey, PreparedTrust } from './trust-material.js';

/** EU DCC §3.3.1: ES256 primary, PS256 secondary. Claim 169 leaves the choice to the issuer. */
const ALLOWED: Record<'hc1' | 'claim169', readonly CoseAlgorithm[]> = {
  hc1: ['ES256', 'PS256'],
  claim169: ['ES256', 'ES384', 'EdDSA', 'PS256'],
};

export interface CoseQrContext {
  kind: 'hc1' | 'claim169';
  trust: PreparedTrust;
  now: number;
  skew: number;
  maxDecompressedBytes: number;
  subtle: SubtleCrypto;
  steps: StepRecorder;
  result: QrVerificationResult;
}

/**
 * The shared pipeline of the two Base45 kinds once the text is decoded (EU DCC spec §3; Claim 169
 * v1.2.2 §3.2.1, §4 item 4): inflate → COSE_Sign1 and CWT → trusted key by kid → signature →
 * the payload's schema → the times. Each stage is one recorded step; the first failure ends it.
 */
export async function verifyCoseQr(compressed: Uint8Array, ctx: CoseQrContext): Promise<void> {
  const { steps, result, kind } = ctx;
  const coseBytes = await steps.run(
    'decompression',
    () => inflateZlib(compressed, { maxBytes: ctx.maxDecompressedBytes, what: 'QR payload' }),
    (bytes) => `ZLIB: ${compressed.length} → ${bytes.length} bytes`,
  );
  const { message, cwt } = await steps.run(
    'cose',
    () => {
      const message = decodeCoseSign1(coseBytes, { allowed: ALLOWED[kind] });
      return { message, cwt: decodeCwtClaims(message.payload) };
    },
    ({ message, cwt }) =>
      `COSE_Sign1${message.tagged ? ' (tag 18)' : ''}, ${message.alg}, CWT with ${cwt.claims.size} claims`,
  );
  const type = kind;
  const candidates = await steps.run(
    'key',
    () => selectTrustedKeys(ctx.trust, { type, alg: message.alg, kid: message.kid, iss: cwt.iss }),
    (keys) =>
      `${message.kid === undefined ? 'no kid' : `kid ${displayKid(message.kid)}`}: ${keys.length} trusted key${keys.length === 1 ? '' : 's'} to try`,
  );
  const signer = await steps.run(
    'signature',
    () => findSigner(message, candidates, ctx.subtle),
    (key) =>
      key.summary.label === undefined
        ? `${message.alg} verified`
        : `${message.alg} verified with ${key.summary.label}`,
  );

  // From here on the payload is the signer's word.
  result.type = type;
  if (cwt.iss !== undefined) result.issuer = cwt.iss;
  result.signer = { alg: message.alg };
  if (message.kid !== undefined) result.signer.kid = displayKid(message.kid);
  if (signer.summary.label !== undefined) result.signer.label = signer.summary.label;
  if (signer.thumbprint !== undefined) result.signer.thumbprint = signer.thumbprint;
  if (signer.certificate) {
    result.signer.certificateSubject = signer.certificate.subject;
    result.signer.certificateSha256 = signer.certificate.sha256;
  }
  if (cwt.iat !== undefined) result.issuedAt = cwt.iat;
  const validFrom = cwt.nbf ?? cwt.iat;
  if (validFrom !== undefined) result.validFrom = validFrom;
  if (cwt.exp !== undefined) result.validUntil = cwt.exp;

  await steps.run(
    'schema',
    () => {
      if (kind === 'claim169') {
        if (!cwt.claims.has(CLAIM_169)) throw fail('CLAIM_MISSING', 'CWT has no claim 169 (identity data)');
        result.claims = claim169ToJson(decodeClaim169(cwt.claims.get(CLAIM_169)));
        return 'Claim 169 identity map';
      }
      const hcert = cwt.claims.get(CWT_HCERT);
      if (!(hcert instanceof Map) || !hcert.has(HCERT_EU_DCC_V1)) {
        throw fail('CLAIM_MISSING', 'CWT has no health certificate (claim -260 → 1)');
      }
      const dcc = hcert.get(HCERT_EU_DCC_V1);
      checkDccStructure(dcc);
      const json = cborToJson(dcc);
      if (isJsonObject(json)) result.claims = json;
      return 'EU DCC schema 1.3.0 structure';
    },
    (detail) => detail,
  );

  await steps.run(
    'validity',
    () => checkTimes(kind, cwt, signer, ctx.now, ctx.skew),
    (detail) => detail,
  );
}

async function findSigner(
  message: DecodedCoseSign1,
  candidates: PreparedKey[],
  subtle: SubtleCrypto,
): Promise<PreparedKey> {
  for (const candidate of candidates) {
    let key: CryptoKey;
    try {
      key = await candidate.cryptoKey(subtle);
    } catch (error) {
      if (error instanceof TriesteError) continue;
      throw error;
    }
    if (await verifyCoseSign1(message, key, subtle)) return candidate;
  }
  throw fail(
    'SIGNATURE_INVALID',
    candidates.length === 1
      ? 'signature does not verify with the trusted key'
      : `signature verifies with none of the ${candidates.length} trusted keys`,
  );
}

/**
 * RFC 8392 §3.1.4–3.1.6 with `skew` seconds of tolerance: expired at or after `exp`, not valid
 * before `nbf`, and not issued in the future. The EU DCC requires `exp` and `iat` (§3.3.1). A
 * signer certificate must be within its validity period now, and a DCC must not be issued before
 * its certificate was valid (§3.3.1: "iat MUST not predate the validity period of the DSC").
 */
function checkTimes(
  kind: 'hc1' | 'claim169',
  cwt: CwtClaims,
  signer: PreparedKey,
  now: number,
  skew: number,
): string {
  if (kind === 'hc1' && cwt.exp === undefined) throw fail('CLAIM_MISSING', 'EU DCC has no exp');
  if (kind === 'hc1' && cwt.iat === undefined) throw fail('CLAIM_MISSING', 'EU DCC has no iat');
  if (cwt.exp !== undefined && now - skew >= cwt.exp)
    throw fail('CREDENTIAL_EXPIRED', 'the code has expired');
  if (cwt.nbf !== undefined && now + skew < cwt.nbf)
    throw fail('CREDENTIAL_NOT_YET_VALID', 'the code is not valid yet');
  if (cwt.iat !== undefined && now + skew < cwt.iat)
    throw fail('CREDENTIAL_NOT_YET_VALID', 'the code is issued in the future');
  const certificate = signer.certificate;
  if (certificate) {
    if (now + skew < certificate.notBefore || now - skew > certificate.notAfter) {
      throw fail('ISSUER_OUTSIDE_VALIDITY', 'the signer certificate is outside its validity period');
    }
    if (kind === 'hc1' && cwt.iat! + skew < certificate.notBefore) {
      throw fail('ISSUER_OUTSIDE_VALIDITY', 'the DCC was issued before its signer certificate was valid');
    }
  }
  return cwt.exp === undefined ? 'no expiry' : 'within exp, nbf and iat';
}
