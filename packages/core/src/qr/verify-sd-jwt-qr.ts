import type { JsonObject } from '../encoding/json.js';
import { utf8Encode } from '../encoding/utf8.js';
import { type CoreErrorCode, fail, TriesteError } from '../errors.js';
import { type DecodedJws, decodeCompactJws } from '../jws/decode-compact.js';
import { verifyJwsSignature } from '../jws/verify-compact.js';
import type { CryptoPort, StatusResolver } from '../ports.js';
import { splitSdJwt } from '../sd-jwt/split-sd-jwt.js';
import { verifySdJwtVc } from '../sd-jwt/verify-sd-jwt-vc.js';
import type { QrStepName, QrVerificationResult, StepRecorder } from './qr-result.js';
import { selectTrustedKeys } from './select-trusted-keys.js';
import type { PreparedKey, PreparedTrust } from './trust-material.js';

export interface SdJwtQrOptions {
  /** Expected KB-JWT nonce and audience, when the verifier showed the holder a challenge. */
  nonce?: string;
  aud?: string;
  requireKeyBinding?: boolean;
  expectedVct?: string;
  /** A status resolver working offline (cached lists). Without one the status is not checked. */
  status?: StatusResolver;
}

export interface SdJwtQrContext {
  trust: PreparedTrust;
  now: number;
  skew: number;
  crypto: CryptoPort;
  options: SdJwtQrOptions;
  steps: StepRecorder;
  result: QrVerificationResult;
}

/**
 * An SD-JWT VC presentation carried in a QR code (byte mode). The issuer signature is checked as
 * its own steps (decode → key → signature) so a failure names them; then verifySdJwtVc runs the
 * rest of RFC 9901 §7 with that one key (it checks the signature again, the price of reusing the
 * one verification pipeline rather than copying it), and its failure code names the step.
 */
export async function verifySdJwtQr(text: string, ctx: SdJwtQrContext): Promise<void> {
  const { steps, result } = ctx;
  const { jws, iss, vct, kid } = await steps.run(
    'decode',
    () => {
      const jws = decodeCompactJws(splitSdJwt(text).jws, 'SD-JWT');
      const iss = jws.payload['iss'];
      const vct = jws.payload['vct'];
      const kid = jws.header['kid'];
      if (typeof iss !== 'string' || iss === '') throw fail('CLAIM_MISSING', 'SD-JWT VC has no iss');
      if (typeof vct !== 'string' || vct === '') throw fail('CLAIM_MISSING', 'SD-JWT VC has no vct');
      if (kid !== undefined && typeof kid !== 'string') throw fail('MALFORMED', 'SD-JWT kid is not a string');
      return { jws, iss, vct, kid };
    },
    ({ jws }) => `compact JWS, ${jws.header.alg}`,
  );
  const candidates = await steps.run(
    'key',
    () =>
      selectTrustedKeys(ctx.trust, {
        type: vct,
        alg: jws.header.alg,
        kid: kid === undefined ? undefined : utf8Encode(kid),
        iss,
        jws: true,
      }),
    (keys) => `${keys.length} trusted key${keys.length === 1 ? '' : 's'} to try`,
  );
  const signer = await steps.run(
    'signature',
    () => findSigner(jws, candidates, ctx.crypto),
    () => `${jws.header.alg} verified`,
  );

  result.type = vct;
  result.issuer = iss;
  result.signer = { alg: jws.header.alg };
  if (kid !== undefined) result.signer.kid = kid;
  if (signer.summary.label !== undefined) result.signer.label = signer.summary.label;
  if (signer.thumbprint !== undefined) result.signer.thumbprint = signer.thumbprint;

  let verified: Awaited<ReturnType<typeof verifySdJwtVc>>;
  try {
    verified = await verifySdJwtVc(
      text,
      {
        now: ctx.now,
        clockSkewSeconds: ctx.skew,
        nonce: ctx.options.nonce,
        aud: ctx.options.aud,
        requireKeyBinding: ctx.options.requireKeyBinding,
        expectedVct: ctx.options.expectedVct,
        checkStatus: ctx.options.status !== undefined,
      },
      {
        crypto: ctx.crypto,
        issuerKeys: { resolve: async () => signer.publicJwk },
        clock: { now: () => ctx.now },
        status: ctx.options.status,
      },
    );
  } catch (error) {
    if (error instanceof TriesteError) steps.fail(stepOf(error.code), error.code, error.message);
    throw error;
  }
  if (verified.issuedAt !== undefined) result.issuedAt = verified.issuedAt;
  const validFrom = verified.notBefore ?? verified.issuedAt;
  if (validFrom !== undefined) result.validFrom = validFrom;
  if (verified.expiresAt !== undefined) result.validUntil = verified.expiresAt;
  steps.pass('validity', verified.expiresAt === undefined ? 'no expiry' : 'within exp, nbf and iat');
  steps.pass('disclosures', `${Object.keys(verified.claims).length} disclosed claims`);
  steps.pass('key-binding', verified.keyBound ? 'KB-JWT verified' : 'no key binding presented');
  steps.pass('status', verified.status ? `status ${verified.status.value}` : 'not checked offline');
  result.claims = verified.claims as JsonObject;
}

async function findSigner(
  jws: DecodedJws,
  candidates: PreparedKey[],
  crypto: CryptoPort,
): Promise<PreparedKey> {
  for (const candidate of candidates) {
    try {
      await verifyJwsSignature(jws, candidate.publicJwk!, crypto);
      return candidate;
    } catch (error) {
      if (!(error instanceof TriesteError) || error.code !== 'SIGNATURE_INVALID') throw error;
    }
  }
  throw fail('SIGNATURE_INVALID', 'signature does not verify with the trusted keys');
}

/** Which step a verifySdJwtVc failure belongs to, by its code (verify-sd-jwt-vc.ts documents the order). */
function stepOf(code: CoreErrorCode): QrStepName {
  if (code === 'CREDENTIAL_EXPIRED' || code === 'CREDENTIAL_NOT_YET_VALID') return 'validity';
  if (code.startsWith('DISCLOSURE_')) return 'disclosures';
  if (code.startsWith('KB_') || code === 'HOLDER_KEY_MISSING') return 'key-binding';
  if (code.startsWith('STATUS_')) return 'status';
  if (code === 'SIGNATURE_INVALID' || code === 'ISSUER_UNKNOWN') return 'signature';
  return 'schema';
}
