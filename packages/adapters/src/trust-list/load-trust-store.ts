import {
  createTrustStore,
  isTriesteError,
  type TrustAnchor,
  type TrustListStore,
  type TrustStore,
  type TrustStoreOptions,
} from '@trieste/core';

/**
 * A verifier's trust store, restored from the lists cached in the database: verification works
 * offline from the first request after a restart. Every cached list is verified again under the
 * anchor given now (configuration may have changed since it was cached); what no longer verifies
 * is reported and left out, while the cache's rows keep guarding against rollback.
 */
export async function loadTrustStore(options: {
  anchor: TrustAnchor;
  crypto: TrustStoreOptions['crypto'];
  graceSeconds?: number;
  cache: Pick<TrustListStore, 'cachedLists'>;
  /**
   * The own list, when the caller has it at hand (an installation reads its own latest version):
   * accepted first, in place of the cached copy, so the cached lists of other jurisdictions are
   * restored under its recognitions even when the cached own copy no longer verifies (the
   * operator key was rotated since).
   */
  home?: { jws: string; fetchedAt: number };
}): Promise<{ trustStore: TrustStore; problems: Array<{ jurisdiction?: string; code: string }> }> {
  const trustStore = createTrustStore({
    home: options.anchor,
    crypto: options.crypto,
    ...(options.graceSeconds === undefined ? {} : { graceSeconds: options.graceSeconds }),
  });
  const problems: Array<{ jurisdiction?: string; code: string }> = [];
  let cached = await options.cache.cachedLists();
  if (options.home) {
    try {
      await trustStore.accept(options.home.jws, options.home.fetchedAt);
      cached = cached.filter((list) => list.jurisdiction !== trustStore.jurisdiction);
    } catch (error) {
      if (!isTriesteError(error)) throw error;
      problems.push({ jurisdiction: trustStore.jurisdiction, code: error.code });
    }
  }
  problems.push(
    ...(await trustStore.restore({
      version: 1,
      lists: cached.map((list) => ({ jws: list.jws, fetchedAt: list.fetchedAt })),
      seen: {},
    })),
  );
  return { trustStore, problems };
}
