import {
  algForJwk,
  type Clock,
  type Hasher,
  type IssuerKeyCustody,
  type IssuerKeyResolver,
  jwkThumbprint,
  type PublicJwk,
  type SignatureAlg,
  type TrustListProvenance,
  type TrustStore,
} from '@trieste/core';

/** What vouched for an issuer's key, stated in every verification result. */
export type TrustSource =
  | { source: 'installation' }
  | { source: 'configured' }
  | {
      source: 'trust-list';
      issuerName: string;
      list: TrustListProvenance & { recognisedBy?: TrustListProvenance };
    };

/** A key look-up: the IssuerKeyResolver request, plus the purpose the relying party declared. */
export interface IssuerKeyRequest {
  iss: string;
  kid?: string;
  alg: SignatureAlg;
  /** The credential type the payload claims; absent for the issuer's status list tokens. */
  vct?: string;
  purpose?: string;
}

/**
 * Where the verifier's trust in issuers comes from. An IssuerKeyResolver (its contract: return a
 * key only for an issuer trusted to use it) that can also say what vouched for the key and list
 * the issuers it knows, so a relying party's request is checked against them when it is made.
 * Sources compose: the installation's own keys, a configured key file, and the trust lists.
 */
export interface IssuerTrust extends IssuerKeyResolver {
  issuers(): Promise<readonly string[]>;
  vouch(request: IssuerKeyRequest): Promise<{ key: PublicJwk; trust: TrustSource } | undefined>;
}

/** Builds an IssuerTrust from its `vouch`: `resolve` is the key alone. */
function fromVouch(issuers: IssuerTrust['issuers'], vouch: IssuerTrust['vouch']): IssuerTrust {
  return { issuers, vouch, resolve: async (request) => (await vouch(request))?.key };
}

/**
 * This installation's issuer keys, active or retired (what a retired key signed stays valid).
 * A key once active stays acceptable for good (custody has no way back to pending), and its public
 * part never changes, so it is remembered after the first read; pending and unknown kids are read
 * again each time (the kid comes from an untrusted header: nothing is cached for it).
 */
export function installationIssuerTrust(keys: IssuerKeyCustody, issuer: string): IssuerTrust {
  const accepted = new Map<string, { alg: string; publicJwk: PublicJwk }>();
  return fromVouch(
    async () => [issuer],
    async ({ iss, kid, alg }) => {
      if (iss !== issuer || kid === undefined) return undefined;
      let known = accepted.get(kid);
      if (!known) {
        const record = await keys.get(kid);
        // A pending key has never signed: a credential claiming it is forged or premature.
        if (!record || record.state === 'pending') return undefined;
        known = { alg: record.alg, publicJwk: record.publicJwk };
        if (accepted.size < 1024) accepted.set(kid, known);
      }
      return known.alg === alg ? { key: known.publicJwk, trust: { source: 'installation' } } : undefined;
    },
  );
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
  return fromVouch(
    async () => [...byIssuer.keys()],
    async ({ iss, kid, alg }) => {
      const candidates = (byIssuer.get(iss) ?? []).filter((key) => algForJwk(key) === alg);
      const key =
        kid === undefined
          ? candidates.length === 1
            ? candidates[0]
            : undefined
          : candidates.find((candidate) => candidate.kid === kid || jwkThumbprint(candidate, hasher) === kid);
      return key ? { key, trust: { source: 'configured' } } : undefined;
    },
  );
}

/**
 * The issuers of the trust lists the verifier holds (its own jurisdiction's, and those it
 * recognises, scoped to their credential types and purposes). An issuer no held list names is
 * left to the other sources; any other refusal of the trust store (withdrawn, type or purpose not
 * allowed, list expired past its grace period) is final and carries its code into the result.
 */
export function trustListIssuerTrust(current: () => TrustStore, clock: Clock): IssuerTrust {
  return fromVouch(
    async () => current().issuers(),
    async ({ iss, kid, alg, vct, purpose }) => {
      const store = current();
      if (!store.issuers().includes(iss)) return undefined;
      const resolved = store.resolveIssuer({
        iss,
        ...(kid === undefined ? {} : { kid }),
        ...(vct === undefined ? {} : { credentialType: vct }),
        ...(purpose === undefined ? {} : { purpose }),
        now: clock.now(),
      });
      const keys = resolved.keys.filter((key) => algForJwk(key.jwk) === alg);
      // Without a kid, only an unambiguous key is used (as for configured keys).
      const listed = kid === undefined && keys.length !== 1 ? undefined : keys[0];
      if (!listed) return undefined;
      return {
        key: listed.jwk,
        trust: { source: 'trust-list', issuerName: resolved.issuer.name, list: resolved.provenance },
      };
    },
  );
}

/** The first source that knows a key answers; issuers are the union. */
export function combineIssuerTrust(sources: readonly IssuerTrust[]): IssuerTrust {
  return fromVouch(
    async () => {
      const all = await Promise.all(sources.map((source) => source.issuers()));
      return [...new Set(all.flat())];
    },
    async (request) => {
      for (const source of sources) {
        const vouched = await source.vouch(request);
        if (vouched) return vouched;
      }
      return undefined;
    },
  );
}

/**
 * The keys of `trust` for the issuers one request accepts only (a credential of any other issuer,
 * even one the verifier knows, is ISSUER_UNKNOWN for this request), looked up with the request's
 * declared purpose; `onVouched` hears what vouched for each issuer, for the result.
 */
export function restrictIssuerTrust(
  trust: IssuerTrust,
  issuers: readonly string[],
  options: { purpose?: string; onVouched?: (iss: string, source: TrustSource) => void } = {},
): IssuerKeyResolver {
  const allowed = new Set(issuers);
  return {
    async resolve(request) {
      if (!allowed.has(request.iss)) return undefined;
      const vouched = await trust.vouch({
        ...request,
        ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
      });
      if (vouched) options.onVouched?.(request.iss, vouched.trust);
      return vouched?.key;
    },
  };
}
