import {
  type BoundedFetchOptions,
  loadTrustStore,
  refreshTrustStore,
  type TrustListRefreshOutcome,
  trustListContextFor,
} from '@trieste/adapters';
import {
  type IssuanceContext,
  type PublicJwk,
  refreshTrustList,
  type TrustListContext,
  type TrustStore,
} from '@trieste/core';
import type { TrustRouteOptions } from './trust-routes.js';

/**
 * The installation's verifier-side trust store: anchored on this installation's own operator keys
 * (its own list needs no fetch: it is read from the database), holding every list its own list
 * recognises, fetched and cached so verification works offline after a restart.
 */
export interface VerifierTrust {
  /** The trust store as of the last load or refresh: resolve issuers from it (offline, synchronous). */
  current(): TrustStore;
  /**
   * Re-issues the own list when due, accepts it, fetches every recognised list, and keeps what
   * verifies. Run it periodically (a few minutes: a withdrawal elsewhere takes effect here at the
   * next refresh after that list's cache lifetime).
   */
  refresh(): Promise<TrustListRefreshOutcome[]>;
}

export interface VerifierTrustOptions {
  trust?: TrustRouteOptions;
  /** After a list's next update, how long it is still used, flagged stale (default one day). */
  graceSeconds?: number;
  /** Bounds of the fetches of other jurisdictions' lists; `allowHttp` for local demos only. */
  fetch?: Omit<BoundedFetchOptions, 'allowedHosts' | 'accept'>;
}

export async function openVerifierTrust(
  issuance: IssuanceContext,
  options: VerifierTrustOptions = {},
): Promise<VerifierTrust> {
  const { stores } = issuance;
  const context = (): Promise<TrustListContext> =>
    trustListContextFor(issuance, {
      ...(options.trust?.ownIssuer ? { ownIssuer: { id: issuance.issuer, ...options.trust.ownIssuer } } : {}),
      ...(options.trust?.validitySeconds === undefined
        ? {}
        : { validitySeconds: options.trust.validitySeconds }),
      ...(options.trust?.refreshBeforeSeconds === undefined
        ? {}
        : { refreshBeforeSeconds: options.trust.refreshBeforeSeconds }),
    });
  // The anchor is what this installation's own list is signed with: its active and pending operator
  // keys (a retired key signs no more, so a list it signed is not the newest).
  const anchorKeys = async (): Promise<Array<PublicJwk & { kid: string }>> =>
    (await stores.trustLists.keys())
      .filter((key) => key.state !== 'retired')
      .map((key) => ({ ...key.publicJwk, kid: key.kid }));
  const load = async (keys: Array<PublicJwk & { kid: string }>, jurisdiction: string) => {
    const latest = await stores.trustLists.latestVersion();
    return (
      await loadTrustStore({
        anchor: { jurisdiction, keys },
        crypto: issuance.crypto,
        cache: stores.trustLists,
        ...(latest ? { home: { jws: latest.jws, fetchedAt: issuance.clock.now() } } : {}),
        ...(options.graceSeconds === undefined ? {} : { graceSeconds: options.graceSeconds }),
      })
    ).trustStore;
  };

  const initial = await context();
  await refreshTrustList(initial);
  let anchor = await anchorKeys();
  let trustStore = await load(anchor, initial.operator.jurisdiction);

  return {
    current: () => trustStore,
    async refresh() {
      const ctx = await context();
      await refreshTrustList(ctx);
      const keys = await anchorKeys();
      const fingerprint = (list: Array<{ kid: string }>) =>
        list
          .map((key) => key.kid)
          .sort()
          .join(' ');
      if (fingerprint(keys) !== fingerprint(anchor)) {
        // The operator key was rotated here: trust the own list under the new key from now on.
        anchor = keys;
        trustStore = await load(keys, ctx.operator.jurisdiction);
      }
      const latest = await stores.trustLists.latestVersion();
      return refreshTrustStore({
        trustStore,
        cache: stores.trustLists,
        clock: issuance.clock,
        ...(latest ? { home: { jws: latest.jws } } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
    },
  };
}
