import type { JsonObject } from '../encoding/json.js';
import { randomId } from '../encoding/random-id.js';
import { TriesteError } from '../errors.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PublicJwk } from '../jwk/types.js';
import type { CredentialRecord } from '../ports.js';
import { issueSdJwtVc } from '../sd-jwt/issue-sd-jwt-vc.js';
import { type IssuanceContext, statusListUri } from './context.js';
import { publishStatusList } from './publish-status-list.js';

export interface IssueCredentialRequest {
  vct: string;
  claims: JsonObject;
  /** RFC 6901 pointers of the selectively disclosable claims, or 'all'. */
  disclosable?: readonly string[] | 'all';
  holderKey?: PublicJwk;
  /** Validity in seconds from the (rounded) issuance time; none means the credential does not expire. */
  expiresInSeconds?: number;
  /**
   * A latest expiry (NumericDate), e.g. the day a child comes of age: with `expiresInSeconds` the
   * earlier of the two wins. At or before the issuance time it is refused (nothing valid to issue).
   */
  notAfter?: number;
  /**
   * Whether the credential gets a status list entry (default true). Without one it cannot be
   * revoked: only for short-lived credentials whose validity is their revocation (a proof of age),
   * so that no per-credential index can link two presentations.
   */
  status?: boolean;
  /**
   * Rounds `iat` down to a multiple of this many seconds (e.g. 86400: the UTC day), so that every
   * credential issued in that period carries the same time; `exp` counts from the rounded time.
   */
  issuedAtRoundingSeconds?: number;
}

export interface IssuedCredential {
  credential: string;
  record: CredentialRecord;
  /** The status list the credential points at; absent for a credential without status. */
  statusListUri?: string;
}

/**
 * Issues an SD-JWT VC, by default with a status list entry. The status index is drawn at random,
 * the signing key comes from custody, and the record (no claim values) is stored in the same
 * transaction, so a revocable credential is never handed out without a status entry that can
 * revoke it. With `status: false` the credential carries no `status` claim and its record no
 * entry: nothing in it is unique to the holder but its key, salts and signature.
 */
export async function issueCredential(
  request: IssueCredentialRequest,
  context: IssuanceContext,
): Promise<IssuedCredential> {
  const rounding = request.issuedAtRoundingSeconds;
  if (rounding !== undefined && (!Number.isSafeInteger(rounding) || rounding < 1)) {
    throw new TypeError('issuedAtRoundingSeconds must be a positive integer');
  }
  if (request.notAfter !== undefined && !Number.isFinite(request.notAfter)) {
    throw new TypeError('notAfter must be a NumericDate');
  }
  const seconds = Math.floor(context.clock.now());
  const now = rounding === undefined ? seconds : seconds - (((seconds % rounding) + rounding) % rounding);
  const byValidity = request.expiresInSeconds === undefined ? undefined : now + request.expiresInSeconds;
  const notAfter = request.notAfter === undefined ? undefined : Math.floor(request.notAfter);
  const expiresAt =
    byValidity === undefined
      ? notAfter
      : notAfter === undefined
        ? byValidity
        : Math.min(byValidity, notAfter);
  if (expiresAt !== undefined && expiresAt <= seconds) {
    throw new TriesteError('CREDENTIAL_EXPIRED', 'the credential would already be expired at issuance');
  }
  const withStatus = request.status ?? true;
  const issued = await context.stores.transaction(async (stores) => {
    const entry = withStatus ? await stores.statusLists.allocate(context.crypto) : undefined;
    const uri = entry && statusListUri(context, entry.listId);
    const signer = await stores.keys.signer();
    const credential = await issueSdJwtVc(
      {
        vct: request.vct,
        iss: context.issuer,
        claims: request.claims,
        disclosable: request.disclosable ?? 'all',
        holderKey: request.holderKey,
        ...(entry && uri ? { status: { uri, idx: entry.idx } } : {}),
        issuedAt: now,
        expiresAt,
      },
      { signer, crypto: context.crypto, clock: context.clock },
    );
    const record: CredentialRecord = {
      id: randomId(context.crypto),
      vct: request.vct,
      issuerKid: signer.kid,
      holderKeyThumbprint: request.holderKey ? jwkThumbprint(request.holderKey, context.crypto) : undefined,
      ...(entry ? { statusListId: entry.listId, statusIndex: entry.idx } : {}),
      issuedAt: now,
      expiresAt,
    };
    await stores.credentials.insert(record);
    // A verifier must find a list for every index we hand out: publish one if the list has none.
    if (entry && !(await stores.statusLists.latestVersion(entry.listId))) {
      await publishStatusList(entry.listId, context, stores);
    }
    return { credential, record, ...(uri ? { statusListUri: uri } : {}) };
  });
  return issued;
}
