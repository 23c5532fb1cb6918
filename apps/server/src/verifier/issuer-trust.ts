import {
  algForJwk,
  type Hasher,
  type IssuerKeyCustody,
  type IssuerKeyResolver,
  jwkThumbprint,
  type PublicJwk,
} from '@trieste/core';

/**
 * Where the verifier's trust in issuers comes from. An IssuerKeyResolver (its contract: return a
 * key only for an issuer trusted to use it) that can also list the issuers it vouches for, so a
 * relying party's request is checked against them when it is made. Sources compose: today the
 * installation's own keys and a configured key file; trust lists later become one more source.
 */
export interface IssuerTrust extends IssuerKeyResolver {
  issuers(): Promise<readonly string[]>;
}

/**
 * This installation's issuer keys, active or retired (what a retired key signed stays valid).
 * A key once active stays acceptable for good (custody has no way back to pending), and its public
 * part never changes, so it is remembered after the first read; pending and unknown kids are read
 * again each time (the kid comes from an untrusted header: nothing is cached for it).
 */
export function installationIssuerTrust(keys: IssuerKeyCustody, issuer: string): IssuerTrust {
  const accepted = new Map<string, { alg: string; publicJwk: PublicJwk }>();
  return {
    async issuers() {
      return [issuer];
    },
    async resolve({ iss, kid, alg }) {
      if (iss !== issuer || kid === undefined) return undefined;
      let known = accepted.get(kid);
      if (!known) {
        const record = await keys.get(kid);
        // A pending key has never signed: a credential claiming it is forged or premature.
        if (!record || record.state === 'pending') return undefined;
        known = { alg: record.alg, publicJwk: record.publicJwk };
        if (accepted.size < 1024) accepted.set(kid, known);
      }
      return known.alg === alg ? known.publicJwk : undefined;
    },
  };
}

/** One issuer's keys from the verifier's configuration. */
export interface ConfiguredIssuer {
  issuer: string;
  keys: PublicJwk[];
}

/**
 * Keys the operator configured (a JSON file). A key matches a header `kid` by its own `kid` or its
 * RFC 7638 thumbprint; a header without `kid` matches only an issuer with a single key of that alg.
 */
export function configuredIssuerTrust(entries: readonly ConfiguredIssuer[], hasher: Hasher): IssuerTrust {
  const byIssuer = new Map<string, PublicJwk[]>();
  for (const entry of entries)
    byIssuer.set(entry.issuer, [...(byIssuer.get(entry.issuer) ?? []), ...entry.keys]);
  return {
    async issuers() {
      return [...byIssuer.keys()];
    },
    async resolve({ iss, kid, alg }) {
      const candidates = (byIssuer.get(iss) ?? []).filter((key) => algForJwk(key) === alg);
      if (kid === undefined) return candidates.length === 1 ? candidates[0] : undefined;
      return candidates.find((key) => key.kid === kid || jwkThumbprint(key, hasher) === kid);
    },
  };
}

/** The first source that knows a key answers; issuers are the union. */
export function combineIssuerTrust(sources: readonly IssuerTrust[]): IssuerTrust {
  return {
    async issuers() {
      const all = await Promise.all(sources.map((source) => source.issuers()));
      return [...new Set(all.flat())];
    },
    async resolve(request) {
      for (const source of sources) {
        const key = await source.resolve(request);
        if (key) return key;
      }
      return undefined;
    },
  };
}

/**
 * The keys of `trust` for the issuers one request accepts only: a credential of any other issuer,
 * even one the verifier knows, is ISSUER_UNKNOWN for this request.
 */
export function restrictIssuerTrust(trust: IssuerKeyResolver, issuers: readonly string[]): IssuerKeyResolver {
  const allowed = new Set(issuers);
  return {
    resolve: async (request) => (allowed.has(request.iss) ? trust.resolve(request) : undefined),
  };
}
