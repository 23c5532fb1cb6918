import { base64urlEncode } from '../encoding/base64url.js';
import type { JsonObject } from '../encoding/json.js';
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
  /** Validity in seconds from now; none means the credential does not expire. */
  expiresInSeconds?: number;
}

export interface IssuedCredential {
  credential: string;
  record: CredentialRecord;
  statusListUri: string;
}

/**
 * Issues an SD-JWT VC with a status list entry. The status index is drawn at random, the signing
 * key comes from custody, and the record (no claim values) is stored in the same transaction, so
 * a credential is never handed out without a status entry that can revoke it.
 */
export async function issueCredential(
  request: IssueCredentialRequest,
  context: IssuanceContext,
): Promise<IssuedCredential> {
  const now = Math.floor(context.clock.now());
  const issued = await context.stores.transaction(async (stores) => {
    const { listId, idx } = await stores.statusLists.allocate(context.crypto);
    const uri = statusListUri(context, listId);
    const signer = await stores.keys.signer();
    const expiresAt = request.expiresInSeconds === undefined ? undefined : now + request.expiresInSeconds;
    const credential = await issueSdJwtVc(
      {
        vct: request.vct,
        iss: context.issuer,
        claims: request.claims,
        disclosable: request.disclosable ?? 'all',
        holderKey: request.holderKey,
        status: { uri, idx },
        issuedAt: now,
        expiresAt,
      },
      { signer, crypto: context.crypto, clock: context.clock },
    );
    const record: CredentialRecord = {
      id: base64urlEncode(context.crypto.bytes(16)),
      vct: request.vct,
      issuerKid: signer.kid,
      holderKeyThumbprint: request.holderKey ? jwkThumbprint(request.holderKey, context.crypto) : undefined,
      statusListId: listId,
      statusIndex: idx,
      issuedAt: now,
      expiresAt,
    };
    await stores.credentials.insert(record);
    // A verifier must find a list for every index we hand out: publish one if the list has none.
    if (!(await stores.statusLists.latestVersion(listId))) await publishStatusList(listId, context, stores);
    return { credential, record, statusListUri: uri };
  });
  return issued;
}
