import {
  type Clock,
  isTriesteError,
  TRUST_LIST_MEDIA_TYPE,
  type TrustListStore,
  type TrustStore,
} from '@trieste/core';
import { isAdapterError } from '../errors.js';
import { type BoundedFetchOptions, boundedFetchText } from '../net/bounded-fetch.js';

export interface RefreshTrustStoreOptions {
  trustStore: TrustStore;
  /** Where accepted lists are kept, so the verifier works offline after a restart. */
  cache: Pick<TrustListStore, 'saveCachedList'>;
  clock: Clock;
  /**
   * The verifier's own list: its JWS (an installation that operates its own list passes its latest
   * version) or the URL it is published at. Omitted: only the recognised lists are refreshed.
   */
  home?: { jws: string } | { url: string };
  /** Bounds of every fetch (default 5 s, 4 MiB, https only). The host allowlist is each list's own host. */
  fetch?: Omit<BoundedFetchOptions, 'allowedHosts' | 'accept'>;
}

export interface TrustListRefreshOutcome {
  jurisdiction: string;
  /**
   * updated: a newer version is held; unchanged: the same version was served again; refused: a list
   * was served but does not verify or is older (the held version stays); unreachable: nothing usable
   * was fetched (the held version stays, and keeps working until its grace period ends).
   */
  outcome: 'updated' | 'unchanged' | 'refused' | 'unreachable';
  sequenceNumber?: number;
  /** The error code of a refusal or a failed fetch. */
  code?: string;
}

/**
 * Fetches the own list (if given) and then every list it recognises, offers each to the trust
 * store, and keeps what it accepts in the cache. One list failing does not stop the others, and
 * never removes what is held: a verifier cut off from one jurisdiction keeps verifying from the
 * version it has, until that version's grace period ends. The URLs come from the verified own
 * list, and each fetch may reach that URL's host only, without redirects, bounded in time and size.
 */
export async function refreshTrustStore(
  options: RefreshTrustStoreOptions,
): Promise<TrustListRefreshOutcome[]> {
  const { trustStore } = options;
  const outcomes: TrustListRefreshOutcome[] = [];
  if (options.home) {
    const home = options.home;
    outcomes.push(
      await refreshOne(
        options,
        trustStore.jurisdiction,
        'jws' in home ? async () => home.jws : () => fetchList(home.url, options),
      ),
    );
  }
  for (const recognition of trustStore.recognitions()) {
    outcomes.push(
      await refreshOne(options, recognition.jurisdiction, () => fetchList(recognition.listUri, options)),
    );
  }
  return outcomes;
}

async function refreshOne(
  options: RefreshTrustStoreOptions,
  jurisdiction: string,
  obtain: () => Promise<string>,
): Promise<TrustListRefreshOutcome> {
  let jws: string;
  try {
    jws = (await obtain()).trim();
  } catch (error) {
    if (isAdapterError(error)) return { jurisdiction, outcome: 'unreachable', code: error.code };
    throw error;
  }
  const now = options.clock.now();
  try {
    const accepted = await options.trustStore.accept(jws, now);
    if (accepted.jurisdiction !== jurisdiction) {
      // Served at one jurisdiction's URL, signed as another's (which this verifier also trusts):
      // held under its own name, but reported, since the publisher is misconfigured or worse.
      return { jurisdiction, outcome: 'refused', code: 'TRUST_LIST_NOT_RECOGNISED' };
    }
    await options.cache.saveCachedList({
      jurisdiction: accepted.jurisdiction,
      jws,
      sequenceNumber: accepted.sequenceNumber,
      fetchedAt: now,
    });
    return {
      jurisdiction,
      outcome: accepted.changed ? 'updated' : 'unchanged',
      sequenceNumber: accepted.sequenceNumber,
    };
  } catch (error) {
    if (isTriesteError(error)) return { jurisdiction, outcome: 'refused', code: error.code };
    throw error;
  }
}

function fetchList(url: string, options: RefreshTrustStoreOptions): Promise<string> {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    host = '';
  }
  return boundedFetchText(url, {
    maxBytes: 4 * 1024 * 1024,
    ...options.fetch,
    allowedHosts: new Set([host]),
    accept: TRUST_LIST_MEDIA_TYPE,
  });
}
