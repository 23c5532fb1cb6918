import { type IssuanceContext, issueCredential, type JsonObject, type Stores } from '@trieste/core';
import { z } from 'zod';
import { ServerError } from '../http/errors.js';
import type { CredentialConfigurations } from './credential-configurations.js';
import { BATCH_SIZE } from './issuer-metadata.js';
import { sha256 } from './secrets.js';
import { type VerifiedKeyProof, verifyKeyProof } from './verify-key-proof.js';

/**
 * A credential request (OpenID4VCI 1.0 §8.2) as we accept it: by configuration id, with `jwt`
 * proofs. `credential_identifier` (authorization details) and the pre-1.0 `proof` are refused.
 */
const credentialRequestSchema = z.looseObject({
  credential_configuration_id: z.string().min(1).max(200),
  proofs: z.strictObject({ jwt: z.array(z.string().min(1).max(16_384)).min(1) }),
  credential_identifier: z.never().optional(),
  proof: z.never().optional(),
});

export interface IssuedCredentials {
  credentials: Array<{ credential: string }>;
  /** For the log line: never a claim or a key. */
  offerId: string;
  credentialIds: string[];
}

/**
 * The credential endpoint (OpenID4VCI 1.0 §8): the access token names a redeemed offer; each
 * proof names a holder key; one credential per key, each with its own status entry. Checks run
 * cheapest and stateless first; the c_nonce is consumed (committed) before issuing, so a replayed
 * proof fails even if issuance then fails; the claims are taken, the keys bound and the credentials
 * recorded in one transaction, so a refusal (a key bound to another holder) leaves the offer as
 * it was and no credential is handed out twice.
 */
/**
 * Told, inside the issuance transaction, which credentials an offer produced: a failure rolls the
 * issuance back (the registry links them to the person here, so a later change of the record
 * reaches them).
 */
export type OnCredentialsIssued = (
  tx: Stores,
  offerId: string,
  credentialIds: readonly string[],
) => Promise<void>;

export async function issueOfferedCredentials(
  accessToken: string,
  body: unknown,
  deps: {
    issuance: IssuanceContext;
    configurations: CredentialConfigurations;
    onIssued?: OnCredentialsIssued;
  },
): Promise<IssuedCredentials> {
  const { issuance } = deps;
  const now = issuance.clock.now();
  const offer = await issuance.stores.credentialOffers.findByAccessTokenHash(sha256(accessToken));
  if (!offer || offer.accessTokenExpiresAt === undefined || offer.accessTokenExpiresAt <= now) {
    throw new ServerError('invalid_token', 'the access token is not valid');
  }
  if (offer.state !== 'redeemed' || offer.expiresAt <= now) {
    throw new ServerError('invalid_token', 'the access token has been used or its offer has expired');
  }
  const parsed = credentialRequestSchema.safeParse(body);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'body';
    throw new ServerError('invalid_credential_request', `the credential request is malformed at ${where}`);
  }
  const request = parsed.data;
  const id = request.credential_configuration_id;
  const configuration = Object.hasOwn(deps.configurations.credential_configurations, id)
    ? deps.configurations.credential_configurations[id]
    : undefined;
  if (!configuration)
    throw new ServerError('unknown_credential_configuration', 'no such credential configuration');
  if (id !== offer.credentialConfigurationId) {
    throw new ServerError(
      'unknown_credential_configuration',
      'the access token was not issued for this configuration',
    );
  }
  const jwts = request.proofs.jwt;
  if (jwts.length === 0 || jwts.length > BATCH_SIZE) {
    throw new ServerError('invalid_credential_request', `proofs.jwt must hold 1 to ${BATCH_SIZE} proofs`);
  }
  const proofs: VerifiedKeyProof[] = [];
  for (const jwt of jwts) {
    proofs.push(await verifyKeyProof(jwt, { issuer: issuance.issuer, now, crypto: issuance.crypto }));
  }
  const thumbprints = new Set(proofs.map((p) => p.thumbprint));
  if (thumbprints.size !== proofs.length)
    throw new ServerError('invalid_proof', 'each proof must use its own key');
  const nonces = new Set(proofs.map((p) => p.nonce));
  const nonce = proofs[0]!.nonce;
  if (nonces.size !== 1 || !(await issuance.stores.credentialOffers.consumeNonce(nonce, now))) {
    throw new ServerError('invalid_nonce', 'the proofs do not carry one live c_nonce of this issuer');
  }

  return issuance.stores.transaction(async (tx) => {
    const sealed: JsonObject | undefined = await tx.credentialOffers.takeClaims(offer.id, now);
    if (!sealed)
      throw new ServerError('invalid_token', 'the access token has been used or its offer has expired');
    const { claims, notAfter } = openOfferClaims(sealed);
    for (const proof of proofs) {
      if (!(await tx.credentialOffers.bindHolderKey(proof.thumbprint, offer.subject, Math.floor(now)))) {
        throw new ServerError('invalid_proof', "a proof's key is bound to another holder's credential");
      }
    }
    // One clock reading for the whole batch: every credential of it carries the same iat and exp
    // (rounded or not), so the batch's times say nothing about which of its credentials is shown.
    const context: IssuanceContext = { ...issuance, stores: tx, clock: { now: () => now } };
    const credentials: Array<{ credential: string }> = [];
    const credentialIds: string[] = [];
    for (const proof of proofs) {
      const issued = await issueCredential(
        {
          vct: configuration.vct,
          claims,
          disclosable: 'all',
          holderKey: proof.key,
          expiresInSeconds: configuration.validity_seconds,
          ...(notAfter === undefined ? {} : { notAfter }),
          status: configuration.status ?? true,
          ...(configuration.issued_at_rounding_seconds === undefined
            ? {}
            : { issuedAtRoundingSeconds: configuration.issued_at_rounding_seconds }),
        },
        context,
      );
      credentials.push({ credential: issued.credential });
      credentialIds.push(issued.record.id);
    }
    await deps.onIssued?.(tx, offer.id, credentialIds);
    return { credentials, offerId: offer.id, credentialIds };
  });
}

/**
 * The sealed claims of an offer, split into the subject claims and the offer's own latest expiry:
 * the registered `exp`, which only the issuer's code puts there (`createCredentialOffer`'s
 * `credentialExpiresAt`; a caller's claims may not use the name, see `checkOfferClaims`). A
 * guardian credential's validity ends at the child's majority this way, whatever the
 * configuration's `validity_seconds`.
 */
export function openOfferClaims(sealed: JsonObject): { claims: JsonObject; notAfter?: number } {
  const { exp, ...claims } = sealed;
  if (exp === undefined) return { claims };
  if (typeof exp !== 'number' || !Number.isSafeInteger(exp)) {
    throw new TypeError('an offer carries exp as an integer NumericDate');
  }
  return { claims, notAfter: exp };
}
