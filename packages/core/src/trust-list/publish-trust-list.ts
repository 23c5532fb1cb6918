import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { toPublicJwk } from '../jwk/parse-public-jwk.js';
import { encodeLogEntry } from '../log/encode-log-entry.js';
import type { Stores, TrustListVersion } from '../ports.js';
import { DEFAULT_TRUST_LIST_VALIDITY_SECONDS, type TrustListContext } from './context.js';
import { signTrustList } from './sign-trust-list.js';
import { TRUST_LIST_VERSION, type TrustList } from './trust-list.js';

/**
 * Signs the operator's current entries as version `sequenceNumber`, stores it and queues its hash
 * for the transparency log, in the caller's transaction (`stores`, holding `trustLists.lock()`):
 * a version nobody can find in the log was never published, and anyone holding a list can show
 * it is the one everybody was given.
 */
export async function publishTrustList(
  context: TrustListContext,
  stores: Stores,
  sequenceNumber: number,
): Promise<TrustListVersion> {
  if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 1) {
    throw new TypeError('sequenceNumber must be a positive integer');
  }
  const issuedAt = Math.floor(context.clock.now());
  const nextUpdate = issuedAt + (context.validitySeconds ?? DEFAULT_TRUST_LIST_VALIDITY_SECONDS);
  // The signer first: on a new installation it creates the operator key the list then announces.
  const signer = await stores.trustLists.signer();
  const operatorKeys = (await stores.trustLists.keys())
    .filter((key) => key.state !== 'retired')
    .map((key) => ({ ...toPublicJwk(key.publicJwk), kid: key.kid }));
  const issuers = (await stores.trustLists.issuers()).sort((a, b) => compare(a.id, b.id));
  const recognitions = (await stores.trustLists.recognitions()).sort((a, b) =>
    compare(a.jurisdiction, b.jurisdiction),
  );
  const list: TrustList = {
    version: TRUST_LIST_VERSION,
    sequenceNumber,
    operator: { ...context.operator, keys: operatorKeys },
    listUri: context.listUri,
    issuedAt,
    nextUpdate,
    issuers,
    recognitions,
  };
  const jws = await signTrustList(list, { signer, hasher: context.crypto });
  const version: TrustListVersion = { sequenceNumber, jws, issuedAt, nextUpdate, signedBy: signer.kid };
  await stores.trustLists.saveVersion(version);
  await stores.log.append(
    encodeLogEntry('trust-list/version', {
      jurisdiction: context.operator.jurisdiction,
      listUri: context.listUri,
      sequenceNumber,
      issuedAt,
      nextUpdate,
      kid: signer.kid,
      sha256: sha256Base64url(context.crypto, jws),
    }),
  );
  return version;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
