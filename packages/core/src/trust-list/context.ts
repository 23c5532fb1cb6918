import type { Clock, CryptoPort, Stores } from '../ports.js';

/**
 * What the trust list operator's use cases need: the stores (with the operator key custody),
 * crypto, a clock, and who the operator is. Built by a composition root (server, CLI) from the
 * installation's settings.
 */
export interface TrustListContext {
  stores: Stores;
  crypto: CryptoPort;
  clock: Clock;
  operator: { name: string; jurisdiction: string; uri: string };
  /** The stable URL the list is published at (e.g. `https://id.example.gov/trust/list`). */
  listUri: string;
  /** Seconds from a version's issue to its next update (default one day). */
  validitySeconds?: number;
  /** `refreshTrustList` re-issues the list this long before its next update (default six hours). */
  refreshBeforeSeconds?: number;
  /**
   * The installation's own issuer: `refreshTrustList` lists it (with every key of the issuer key
   * custody) when the list does not have it yet, and keeps its keys in step with custody.
   */
  ownIssuer?: { id: string; name: string; credentialTypes: string[] };
}

export const DEFAULT_TRUST_LIST_VALIDITY_SECONDS = 86_400;
export const DEFAULT_TRUST_LIST_REFRESH_BEFORE_SECONDS = 6 * 3600;
