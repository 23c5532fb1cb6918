import { fail } from '../errors.js';
import type { IssuerKeyResolver, SignatureVerifier, StatusResolver, StatusValue } from '../ports.js';
import type { StatusList } from './status-list.js';
import { verifyStatusListToken } from './verify-status-list-token.js';

export interface StatusResolverOptions {
  /**
   * Fetches the Status List Token (JWS compact serialisation) at `uri`. The core does no I/O; this
   * callback carries the whole network contract: `uri` comes from an untrusted credential, so the
   * callback must refuse hosts outside an allowlist (SSRF), bound the response size and the time
   * spent, follow a bounded number of redirects (§11, "Redirection 3xx"), and send
   * `Accept: application/statuslist+jwt` (§8.1). It returns the body or throws.
   */
  fetchStatusListToken: (uri: string) => Promise<string>;
  /** Resolves the keys a credential's `iss` is trusted to use; the list must be signed by one. */
  issuerKeys: IssuerKeyResolver;
  crypto: SignatureVerifier;
  /** Tolerated clock difference in seconds (default 60). */
  clockSkewSeconds?: number;
  /** Cached lists kept at most (default 1000); the oldest cached is dropped first. */
  maxCacheEntries?: number;
  /** Cache time when the token has no `ttl` (default 300 s). */
  defaultTtlSeconds?: number;
  /**
   * Bounds applied to the token's `ttl` (defaults 30 s and 86400 s). The ttl is issuer-chosen:
   * a tiny one would turn every verifier into a load generator against the Status Provider, a
   * huge one would pin a stale list (§11, "Expiration and Caching": clients "should be
   * configured with lower/upper bounds"). `exp` always wins over both.
   */
  minTtlSeconds?: number;
  maxTtlSeconds?: number;
  /** Decompression bomb limit for each list (default 16 MiB). */
  maxDecompressedBytes?: number;
}

interface CachedList {
  list: StatusList;
  /** Usable from (iat - skew) ... */
  notBefore: number;
  /** ... until here: min(fetch time + bounded ttl, exp). */
  freshUntil: number;
  /** `exp`, or infinity. */
  expiresAt: number;
}

/**
 * The StatusResolver port over Token Status Lists (§8.3): fetch through the given callback,
 * verify (signature by a key the credential's `iss` is trusted to use, `typ`, `sub` equal to the
 * credential's `uri`, `iat`/`exp`), decode, cache until the token's `ttl` (bounded) or `exp`,
 * whichever comes first, and read the entry. Any failure, including an index outside the list,
 * is STATUS_UNAVAILABLE with the precise error as `cause` (§8.3: "no statement about the status
 * of the Referenced Token can be made"); messages hold no token and no URI.
 *
 * A cache hit is one Map lookup and one bit read. Concurrent look-ups of a list being fetched
 * share the one fetch. Lists are cached per (issuer, uri): a list verified against one issuer's
 * keys is never answered for a credential of another issuer naming the same URI.
 */
export function createStatusResolver(options: StatusResolverOptions): StatusResolver {
  const { fetchStatusListToken, issuerKeys, crypto } = options;
  if (typeof fetchStatusListToken !== 'function') {
    throw new TypeError('fetchStatusListToken must be a function');
  }
  if (typeof issuerKeys?.resolve !== 'function') {
    throw new TypeError('issuerKeys must be an IssuerKeyResolver');
  }
  if (typeof crypto?.verify !== 'function') throw new TypeError('crypto must be a SignatureVerifier');
  const skew = nonNegative(options.clockSkewSeconds, 60, 'clockSkewSeconds');
  const maxEntries = options.maxCacheEntries ?? 1000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 0) {
    throw new TypeError('maxCacheEntries must be an integer >= 0');
  }
  const defaultTtl = nonNegative(options.defaultTtlSeconds, 300, 'defaultTtlSeconds');
  const minTtl = nonNegative(options.minTtlSeconds, 30, 'minTtlSeconds');
  const maxTtl = nonNegative(options.maxTtlSeconds, 86_400, 'maxTtlSeconds');
  if (minTtl > maxTtl) throw new TypeError('minTtlSeconds must not exceed maxTtlSeconds');
  const maxDecompressedBytes = options.maxDecompressedBytes;

  const cache = new Map<string, CachedList>();
  const inFlight = new Map<string, Promise<CachedList>>();

  async function load(key: string, uri: string, iss: string, now: number): Promise<CachedList> {
    let token: string;
    try {
      token = await fetchStatusListToken(uri);
    } catch (cause) {
      throw fail('STATUS_UNAVAILABLE', 'status list token could not be fetched', cause);
    }
    if (typeof token !== 'string') {
      throw fail('STATUS_UNAVAILABLE', 'status list token fetch returned no text');
    }
    let verified: Awaited<ReturnType<typeof verifyStatusListToken>>;
    try {
      verified = await verifyStatusListToken(token, {
        uri,
        issuer: iss,
        issuerKeys,
        crypto,
        now,
        clockSkewSeconds: skew,
        ...(maxDecompressedBytes === undefined ? {} : { maxDecompressedBytes }),
      });
    } catch (cause) {
      throw fail('STATUS_UNAVAILABLE', 'status list token does not verify', cause);
    }
    const ttl = Math.min(Math.max(verified.ttl ?? defaultTtl, minTtl), maxTtl);
    const entry: CachedList = {
      list: verified.list,
      notBefore: verified.issuedAt - skew,
      freshUntil: Math.min(now + ttl, verified.expiresAt ?? Number.POSITIVE_INFINITY),
      expiresAt: verified.expiresAt ?? Number.POSITIVE_INFINITY,
    };
    if (maxEntries > 0 && entry.freshUntil > now) {
      cache.delete(key);
      if (cache.size >= maxEntries) evict(now);
      cache.set(key, entry);
    }
    return entry;
  }

  // Drops expired entries; if none was, the oldest inserted one.
  function evict(now: number): void {
    for (const [key, entry] of cache) if (entry.freshUntil <= now) cache.delete(key);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
  }

  return {
    async resolve(reference, now): Promise<StatusValue> {
      if (typeof reference !== 'object' || reference === null) {
        throw fail('STATUS_UNAVAILABLE', 'status reference is not an object');
      }
      const { uri, idx, iss } = reference;
      if (typeof uri !== 'string' || uri === '' || typeof iss !== 'string' || iss === '') {
        throw fail('STATUS_UNAVAILABLE', 'status reference has no usable uri or issuer');
      }
      if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now must be a NumericDate');
      // Length-prefixed, so no (iss, uri) pair can collide with another.
      const key = `${iss.length}:${iss}${uri}`;
      let entry = cache.get(key);
      if (entry === undefined || now < entry.notBefore || now >= entry.freshUntil) {
        let pending = inFlight.get(key);
        if (pending === undefined) {
          pending = load(key, uri, iss, now).finally(() => inFlight.delete(key));
          inFlight.set(key, pending);
        }
        entry = await pending;
        // A look-up that joined another's fetch may ask about a time that list does not cover.
        if (now < entry.notBefore || now > entry.expiresAt + skew) {
          throw fail('STATUS_UNAVAILABLE', 'status list token is not valid at the requested time');
        }
      }
      try {
        return entry.list.get(idx);
      } catch (cause) {
        throw fail('STATUS_UNAVAILABLE', 'status index is not in the status list', cause);
      }
    },
  };
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`${name} must be a non-negative number`);
  }
  return value;
}
