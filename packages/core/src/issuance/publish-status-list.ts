import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { encodeLogEntry } from '../log/encode-log-entry.js';
import type { StatusListVersion, Stores } from '../ports.js';
import { signStatusListToken } from '../status-list/sign-status-list-token.js';
import { StatusList } from '../status-list/status-list.js';
import { type IssuanceContext, statusListUri } from './context.js';

const DEFAULT_VALIDITY = 24 * 3600;
const DEFAULT_TTL = 3600;

/**
 * Signs the list's current statuses as a new Status List Token version, stores it and queues its
 * hash for the transparency log. Runs in the caller's transaction (`stores`), so a version is
 * stored and logged only with the change it reflects.
 */
export async function publishStatusList(
  listId: string,
  context: IssuanceContext,
  stores: Stores = context.stores,
): Promise<StatusListVersion> {
  const snapshot = await stores.statusLists.snapshot(listId);
  const list = new StatusList(snapshot.list.size, snapshot.list.bits);
  for (const entry of snapshot.entries) list.set(entry.idx, entry.status);
  const iat = Math.floor(context.clock.now());
  const exp = iat + (context.statusListValiditySeconds ?? DEFAULT_VALIDITY);
  const signer = await stores.keys.signer();
  const token = await signStatusListToken(
    {
      sub: statusListUri(context, listId),
      iss: context.issuer,
      list,
      issuedAt: iat,
      expiresAt: exp,
      ttl: context.statusListTtlSeconds ?? DEFAULT_TTL,
    },
    { signer },
  );
  const version = await stores.statusLists.saveVersion({
    listId,
    revision: snapshot.list.revision,
    token,
    issuedAt: iat,
    expiresAt: exp,
  });
  // In the same transaction: a version nobody can find in the log was never published. The hash
  // lets anyone show which list they were given; the list holds statuses only, nothing personal.
  await stores.log.append(
    encodeLogEntry('status-list/version', {
      list: listId,
      uri: statusListUri(context, listId),
      version: version.version,
      issuedAt: iat,
      sha256: sha256Base64url(context.crypto, token),
    }),
  );
  return version;
}
