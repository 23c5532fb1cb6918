import type { Clock, JsonObject, Stores } from '@trieste/core';
import QRCode from 'qrcode';
import { ServerError } from '../http/errors.js';
import { type CredentialConfigurations, checkOfferClaims } from './credential-configurations.js';
import { hashPassword } from './holder-authentication.js';
import { issuerEndpoints } from './issuer-metadata.js';
import { randomDigits, randomId, randomSecret, sha256, subjectHash, txCodeHash } from './secrets.js';

export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const AUTHORIZATION_CODE_GRANT = 'authorization_code';
export const DEFAULT_OFFER_SECONDS = 86_400;

export interface CreateCredentialOfferRequest {
  credentialConfigurationId: string;
  claims: JsonObject;
  /** The registrar's opaque reference of the person; holder keys are bound per subject. Default: the offer. */
  subject?: string;
  /**
   * The transaction code's shape (default 6 digits), or false for none: only when the holder has
   * already proved who they are to get this offer (the top-up of proofs of age), never for an
   * offer that travels on paper or over a channel someone else may read.
   */
  txCode?: { length?: number; description?: string } | false;
  /**
   * With a login, the offer carries the authorization code grant (the holder logs in with this
   * username and password at /authorize) instead of a pre-authorized code and tx_code.
   */
  login?: { username: string; password: string };
  expiresInSeconds?: number;
  /**
   * The latest `exp` (NumericDate) of the credentials this offer yields, whatever the
   * configuration's validity (a guardian credential ends at the child's majority). Sealed with the
   * claims as the registered `exp`, which caller claims may not carry.
   */
  credentialExpiresAt?: number;
  createdBy?: string;
}

export interface CreatedCredentialOffer {
  id: string;
  /** Shown once to the registrar, for the holder, out of band: stored only as a keyed hash. */
  txCode?: string;
  expiresAt: number;
  offer: CredentialOfferDocument;
  credentialOfferUri: string;
  links: { byReference: string; byValue: string };
  qr: { png: string; svg: string };
}

export interface CredentialOfferDocument {
  credential_issuer: string;
  credential_configuration_ids: string[];
  grants: {
    [PRE_AUTHORIZED_GRANT]?: {
      'pre-authorized_code': string;
      tx_code?: { input_mode: 'numeric' | 'text'; length: number; description?: string };
    };
    /** OpenID4VCI 1.0 §4.1.1: `issuer_state` ties the authorization request to this offer. */
    [AUTHORIZATION_CODE_GRANT]?: { issuer_state: string };
  };
}

/**
 * The credential offer (OpenID4VCI 1.0 §4.1.1): of one pre-authorized code, or, for an offer with
 * a login, of the authorization code grant with the offer id as `issuer_state`.
 */
export function offerDocument(
  issuer: string,
  record: {
    id: string;
    credentialConfigurationId: string;
    txCode?: { length: number; inputMode: 'numeric' | 'text'; description?: string };
    login?: unknown;
  },
  preAuthorizedCode: string | undefined,
): CredentialOfferDocument {
  if (record.login !== undefined || preAuthorizedCode === undefined) {
    return {
      credential_issuer: issuer,
      credential_configuration_ids: [record.credentialConfigurationId],
      grants: { [AUTHORIZATION_CODE_GRANT]: { issuer_state: record.id } },
    };
  }
  const tx = record.txCode;
  return {
    credential_issuer: issuer,
    credential_configuration_ids: [record.credentialConfigurationId],
    grants: {
      [PRE_AUTHORIZED_GRANT]: {
        'pre-authorized_code': preAuthorizedCode,
        ...(tx
          ? {
              tx_code: {
                input_mode: tx.inputMode,
                length: tx.length,
                ...(tx.description === undefined ? {} : { description: tx.description }),
              },
            }
          : {}),
      },
    },
  };
}

/**
 * Prepares an offer of a credential for the given claims, with the pre-authorized code grant and
 * a numeric transaction code (OpenID4VCI 1.0 §4.1.1, §5.1.1 tx_code). The claims are sealed by the
 * store; the code and tx_code are returned here once and stored only hashed (and, for the offer by
 * reference, the code sealed until it is redeemed). With a login, the offer carries the
 * authorization code grant instead: the username is stored as SHA-256, the password as scrypt.
 */
export async function createCredentialOffer(
  request: CreateCredentialOfferRequest,
  deps: { stores: Stores; clock: Clock; issuer: string; configurations: CredentialConfigurations },
): Promise<CreatedCredentialOffer> {
  const configuration = deps.configurations.credential_configurations[request.credentialConfigurationId];
  if (
    !configuration ||
    !Object.hasOwn(deps.configurations.credential_configurations, request.credentialConfigurationId)
  ) {
    throw new ServerError('unknown_credential_configuration', 'no such credential configuration');
  }
  const problem = checkOfferClaims(configuration, request.claims);
  if (problem) throw new ServerError('VALIDATION_FAILED', `invalid request: ${problem}`);
  const notAfter = request.credentialExpiresAt;
  if (notAfter !== undefined && !Number.isSafeInteger(notAfter)) {
    throw new TypeError('credentialExpiresAt must be an integer NumericDate');
  }
  const sealed = notAfter === undefined ? request.claims : { ...request.claims, exp: notAfter };

  const now = Math.floor(deps.clock.now());
  const id = randomId();
  const expiresAt = now + (request.expiresInSeconds ?? DEFAULT_OFFER_SECONDS);
  const common = {
    id,
    credentialConfigurationId: request.credentialConfigurationId,
    subject: subjectHash(request.subject ?? `offer:${id}`),
    createdAt: now,
    expiresAt,
    ...(request.createdBy === undefined ? {} : { createdBy: request.createdBy }),
  };
  let offer: CredentialOfferDocument;
  let txCode: string | undefined;
  if (request.login) {
    if (request.txCode !== undefined) {
      throw new ServerError('VALIDATION_FAILED', 'invalid request: an offer with a login has no tx_code');
    }
    const login = {
      usernameHash: sha256(request.login.username),
      passwordHash: await hashPassword(request.login.password),
    };
    await deps.stores.credentialOffers.create({ ...common, login }, { claims: sealed });
    offer = offerDocument(deps.issuer, { ...common, login }, undefined);
  } else {
    const preAuthorizedCode = randomSecret();
    const shape = request.txCode === false ? undefined : (request.txCode ?? {});
    const length = shape?.length ?? 6;
    txCode = shape ? randomDigits(length) : undefined;
    const record = {
      ...common,
      preAuthorizedCodeHash: sha256(preAuthorizedCode),
      ...(shape && txCode !== undefined
        ? {
            txCode: {
              hash: txCodeHash(preAuthorizedCode, txCode),
              length,
              inputMode: 'numeric' as const,
              ...(shape.description === undefined ? {} : { description: shape.description }),
            },
          }
        : {}),
    };
    await deps.stores.credentialOffers.create(record, { preAuthorizedCode, claims: sealed });
    offer = offerDocument(deps.issuer, record, preAuthorizedCode);
  }

  const credentialOfferUri = issuerEndpoints(deps.issuer).offer(id);
  const byReference = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`;
  const byValue = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offer))}`;
  // The QR code carries the short link by reference: it scans reliably and holds no code.
  const [png, svg] = await Promise.all([
    QRCode.toDataURL(byReference, { errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toString(byReference, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
  ]);
  return {
    id,
    ...(txCode === undefined ? {} : { txCode }),
    expiresAt,
    offer,
    credentialOfferUri,
    links: { byReference, byValue },
    qr: { png, svg },
  };
}
