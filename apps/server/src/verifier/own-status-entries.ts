import { type StatusListStore, type StatusResolver, TriesteError } from '@trieste/core';

/** Where this installation publishes its status lists, and the issuer whose lists they are. */
export interface OwnStatusLists {
  /** `<issuer>/status/`: a reference under it names one of our lists. */
  prefix: string;
  issuer: string;
}

export function ownStatusLists(statusBaseUri: string, issuer: string): OwnStatusLists {
  return { prefix: `${statusBaseUri.replace(/\/+$/, '')}/`, issuer };
}

/**
 * The entry of one of our own lists that a credential's status reference names, or undefined for
 * any other list. Only a credential of this installation's own issuer is answered from our
 * entries; any other `iss` naming our URIs goes to the caching resolver, which checks the token's
 * signature against that issuer's keys (and so refuses it).
 */
export function ownStatusEntry(
  own: OwnStatusLists,
  reference: { uri: string; idx: number; iss: string },
): { listId: string; idx: number } | undefined {
  const uri = reference?.uri;
  if (typeof uri !== 'string' || !uri.startsWith(own.prefix) || reference.iss !== own.issuer)
    return undefined;
  const listId = uri.slice(own.prefix.length);
  const { idx } = reference;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(listId) || !Number.isSafeInteger(idx) || idx < 0)
    throw new TriesteError('STATUS_UNAVAILABLE', 'status reference names no list entry here');
  return { listId, idx };
}

/**
 * Our own lists are answered from the store's current entry (one indexed read): a revocation here
 * is seen at once, and no token is fetched, verified or inflated per presentation. Other issuers'
 * lists are cached up to their ttl (§11, bounded).
 */
export function ownListsFromStore(
  own: OwnStatusLists,
  statusLists: StatusListStore,
  others: StatusResolver,
): StatusResolver {
  return {
    async resolve(reference, now) {
      const entry = ownStatusEntry(own, reference);
      if (!entry) return others.resolve(reference, now);
      try {
        return await statusLists.getStatus(entry.listId, entry.idx);
      } catch (cause) {
        throw new TriesteError('STATUS_UNAVAILABLE', 'status entry could not be read', { cause });
      }
    },
  };
}

/**
 * For one presentation response: our own entries are not read one by one but collected, answered
 * VALID provisionally, and checked when the answer is written (`requireValidStatus`, in the same
 * statement): one database round trip instead of one more per credential, and no window between
 * the read and the write. An entry that is not VALID then makes the caller verify again with the
 * live resolver, so the outcome is exactly the one a live read would have given.
 */
export function deferOwnStatus(
  own: OwnStatusLists,
  live: StatusResolver,
): { resolver: StatusResolver; entries: Array<{ listId: string; idx: number }> } {
  const entries: Array<{ listId: string; idx: number }> = [];
  return {
    entries,
    resolver: {
      async resolve(reference, now) {
        const entry = ownStatusEntry(own, reference);
        if (!entry) return live.resolve(reference, now);
        entries.push(entry);
        return 0;
      },
    },
  };
}
