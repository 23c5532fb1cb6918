import { toPublicJwk } from '../jwk/parse-public-jwk.js';
import type { Stores, TrustListVersion } from '../ports.js';
import { DEFAULT_TRUST_LIST_REFRESH_BEFORE_SECONDS, type TrustListContext } from './context.js';
import { publishTrustList } from './publish-trust-list.js';
import { TRUST_LIST_LIMITS, type TrustedIssuer, type TrustListKey } from './trust-list.js';

/**
 * Publishes a new version when one is due, and returns it (undefined when none was): when no
 * version exists yet, when the latest one reaches its next update within `refreshBeforeSeconds`
 * (a list nobody changes must still be re-issued, or every verifier goes stale), or when the
 * installation's own issuer (`context.ownIssuer`) is not listed yet or its keys no longer match
 * the issuer key custody (a rotated issuer key must reach verifiers before it signs). A withdrawn
 * own issuer is left withdrawn. Safe to run on many processes at once: the decision is taken again
 * under the list's lock.
 */
export async function refreshTrustList(context: TrustListContext): Promise<TrustListVersion | undefined> {
  const refreshBefore = context.refreshBeforeSeconds ?? DEFAULT_TRUST_LIST_REFRESH_BEFORE_SECONDS;
  if (!(await isDue(context, context.stores, refreshBefore))) return undefined;
  return context.stores.transaction(async (stores) => {
    const last = await stores.trustLists.lock();
    if (!(await isDue(context, stores, refreshBefore))) return undefined;
    const own = await ownIssuerUpdate(context, stores);
    if (own) await stores.trustLists.putIssuer(own);
    return publishTrustList(context, stores, last + 1);
  });
}

async function isDue(context: TrustListContext, stores: Stores, refreshBefore: number): Promise<boolean> {
  const latest = await stores.trustLists.latestVersion();
  if (!latest) return true;
  if (latest.nextUpdate - Math.floor(context.clock.now()) <= refreshBefore) return true;
  return (await ownIssuerUpdate(context, stores)) !== undefined;
}

/** The own issuer's entry as it should now be, or undefined when it needs no change. */
async function ownIssuerUpdate(
  context: TrustListContext,
  stores: Stores,
): Promise<TrustedIssuer | undefined> {
  const own = context.ownIssuer;
  if (!own || own.credentialTypes.length === 0) return undefined;
  // Pending keys too: listing them before they sign is what pending keys are for. A list entry
  // holds at most 16 keys: the pending and active ones, then the most recently retired.
  const order = { pending: 0, active: 1, retired: 2 } as const;
  const keys: TrustListKey[] = (await stores.keys.list())
    .sort((a, b) => order[a.state] - order[b.state] || b.createdAt - a.createdAt)
    .slice(0, TRUST_LIST_LIMITS.keysPerEntry)
    .map((record) => ({ kid: record.kid, jwk: toPublicJwk(record.publicJwk) }));
  if (keys.length === 0) return undefined;
  const existing = await stores.trustLists.getIssuer(own.id);
  if (!existing) {
    const now = Math.floor(context.clock.now());
    return {
      id: own.id,
      name: own.name,
      keys,
      credentialTypes: [...own.credentialTypes],
      validFrom: now,
      status: 'granted',
      statusStartingTime: now,
      history: [],
    };
  }
  if (existing.status !== 'granted') return undefined;
  const listed = existing.keys.map((key) => key.kid).sort();
  const custody = keys.map((key) => key.kid).sort();
  if (listed.length === custody.length && listed.every((kid, i) => kid === custody[i])) return undefined;
  return { ...existing, keys };
}
