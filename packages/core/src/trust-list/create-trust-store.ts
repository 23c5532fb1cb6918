import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { isJsonObject } from '../encoding/json.js';
import { fail, isTriesteError } from '../errors.js';
import { jwkThumbprint } from '../jwk/thumbprint.js';
import type { PublicJwk } from '../jwk/types.js';
import type { Hasher, SignatureVerifier } from '../ports.js';
import { parseJurisdiction } from './parse-trust-list.js';
import type { Recognition, TrustedIssuer, TrustList, TrustListKey } from './trust-list.js';
import { claimedJurisdiction, decodeTrustListJws, verifyTrustList } from './verify-trust-list.js';

/** The keys a verifier is configured to trust for its own jurisdiction's list (pinned out of band). */
export interface TrustAnchor {
  jurisdiction: string;
  keys: ReadonlyArray<PublicJwk & { kid?: string }>;
}

export interface TrustStoreOptions {
  home: TrustAnchor;
  crypto: SignatureVerifier & Hasher;
  /**
   * How long after a list's next update it is still used, flagged `stale-in-grace` (default one
   * day): a verifier cut off from the network keeps working for that long, then refuses.
   */
  graceSeconds?: number;
}

export type TrustListFreshness = 'fresh' | 'stale-in-grace';

/** Which list version vouched, and how fresh it was at the time asked. */
export interface TrustListProvenance {
  jurisdiction: string;
  operator: string;
  listUri: string;
  sequenceNumber: number;
  issuedAt: number;
  nextUpdate: number;
  /** When this verifier last obtained (or re-confirmed) this version. */
  fetchedAt: number;
  freshness: TrustListFreshness;
}

export interface ResolvedTrustedIssuer {
  issuer: { id: string; name: string };
  /** The keys to verify with: the one the `kid` names, or all of the issuer's usable keys. */
  keys: TrustListKey[];
  /** The list that lists the issuer. */
  provenance: TrustListProvenance & {
    /** For an issuer of another jurisdiction: this verifier's own list, which recognises that one. */
    recognisedBy?: TrustListProvenance;
  };
}

export interface ResolveTrustedIssuerRequest {
  /** The credential's `iss` (untrusted input: only looked up). */
  iss: string;
  /** The credential's header `kid`, if any (a hint: matched against listed keys only). */
  kid?: string;
  /**
   * `vct`, doctype, "dcc" or "claim169". Omitted only for what an issuer signs about its own
   * credentials, such as a status list token, whose credential was checked with its type (and
   * purpose) first: then neither type nor purpose is checked, the issuer's status and validity are.
   */
  credentialType?: string;
  /** Why the verifier asks; required for an issuer of another jurisdiction. */
  purpose?: string;
  now: number;
}

export interface AcceptedTrustList {
  jurisdiction: string;
  sequenceNumber: number;
  issuedAt: number;
  nextUpdate: number;
  /** False when the list is the version already held (same sequence number and content). */
  changed: boolean;
}

/** What a verifier persists to verify offline after a restart (JSON-safe). */
export interface TrustStoreState {
  version: 1;
  lists: Array<{ jws: string; fetchedAt: number }>;
  /**
   * The newest version seen per jurisdiction, kept even when its list is not held, so a restart
   * does not reopen the door to a rollback. `payload` is base64url SHA-256 of the JWS payload part.
   */
  seen: Record<string, { sequenceNumber: number; payload: string }>;
}

export interface TrustStore {
  /** The verifier's own jurisdiction. */
  readonly jurisdiction: string;
  /**
   * Verifies a list and holds it if it is the newest of its jurisdiction. `now` is when it was
   * obtained. The verifier's own list must be signed by an anchor key; another jurisdiction's by
   * a key the own list's recognition of it names. Refusals: TRUST_LIST_NOT_RECOGNISED,
   * TRUST_LIST_OPERATOR_UNTRUSTED, SIGNATURE_INVALID, TRUST_LIST_ROLLBACK (an older version, or the
   * same sequence number with other content), and the parser's MALFORMED / KEY_INVALID / TYP_INVALID.
   */
  accept(jws: string, now: number): Promise<AcceptedTrustList>;
  /**
   * The keys to verify a credential of `iss` with, and which list vouched, or a coded refusal:
   * ISSUER_UNKNOWN, TRUST_LIST_EXPIRED, CREDENTIAL_TYPE_NOT_ALLOWED, PURPOSE_NOT_RECOGNISED,
   * ISSUER_WITHDRAWN, ISSUER_OUTSIDE_VALIDITY.
   */
  resolveIssuer(request: ResolveTrustedIssuerRequest): ResolvedTrustedIssuer;
  /** The issuers listed by the held lists that count (own and recognised), whatever their status. */
  issuers(): string[];
  /** The own list's recognitions: which lists a fetcher should fetch, and from where. */
  recognitions(): Recognition[];
  /** The lists held, own first. */
  lists(): Array<Omit<TrustListProvenance, 'freshness'> & { recognised: boolean }>;
  state(): TrustStoreState;
  /**
   * Re-verifies a persisted state under this store's anchors (own list first) and holds what still
   * verifies; reports what does not. The newest versions seen are kept either way.
   */
  restore(state: unknown): Promise<Array<{ jurisdiction?: string; code: string }>>;
}

const DEFAULT_GRACE_SECONDS = 86_400;

interface HeldList {
  jws: string;
  list: TrustList;
  signedBy: string;
  payloadDigest: string;
  fetchedAt: number;
  /** Issuer id → entry, with each key's RFC 7638 thumbprint for `kid` matching. */
  issuers: Map<string, { entry: TrustedIssuer; thumbprints: string[] }>;
}

/**
 * A verifier's trust store over trust lists: pure, no I/O. The caller fetches lists and passes
 * them to `accept`, with `now`; credentials are then checked against the held lists, offline.
 *
 * Trust comes only from the anchor: the verifier's own list must verify under the configured keys,
 * and another jurisdiction's list under the keys the own list recognises for it, scoped to the
 * recognised credential types and purposes. Keys a list announces for itself are never trusted
 * (a stolen key cannot vouch for its successor), and recognition is not transitive.
 */
export function createTrustStore(options: TrustStoreOptions): TrustStore {
  const { crypto } = options;
  const home = parseJurisdiction(options.home.jurisdiction, 'home jurisdiction');
  if (!Array.isArray(options.home.keys) || options.home.keys.length === 0) {
    throw new TypeError('the home anchor needs at least one key');
  }
  const anchorKeys = [...options.home.keys];
  const grace = options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  if (!Number.isFinite(grace) || grace < 0) throw new TypeError('graceSeconds must be a non-negative number');

  const held = new Map<string, HeldList>();
  const seen = new Map<string, { sequenceNumber: number; payload: string }>();
  const recognitionThumbprints = new WeakMap<Recognition, Set<string>>();

  const homeList = () => held.get(home);
  const recognitionOf = (jurisdiction: string) =>
    homeList()?.list.recognitions.find((recognition) => recognition.jurisdiction === jurisdiction);
  const thumbprintsOf = (recognition: Recognition) => {
    let set = recognitionThumbprints.get(recognition);
    if (!set) {
      set = new Set(recognition.operatorKeys.map((key) => jwkThumbprint(key, crypto)));
      recognitionThumbprints.set(recognition, set);
    }
    return set;
  };
  /** A held foreign list counts only while the own list recognises its jurisdiction and signing key. */
  const isRecognised = (list: HeldList) => {
    if (list.list.operator.jurisdiction === home) return true;
    const recognition = recognitionOf(list.list.operator.jurisdiction);
    return recognition !== undefined && thumbprintsOf(recognition).has(list.signedBy);
  };

  async function acceptAt(jws: string, fetchedAt: number): Promise<AcceptedTrustList> {
    if (!Number.isFinite(fetchedAt)) throw new TypeError('now must be a NumericDate');
    const decoded = decodeTrustListJws(jws);
    const jurisdiction = claimedJurisdiction(decoded);
    let keys: ReadonlyArray<PublicJwk & { kid?: string }>;
    if (jurisdiction === home) {
      keys = anchorKeys;
    } else {
      const recognition = recognitionOf(jurisdiction);
      if (!recognition) {
        throw fail('TRUST_LIST_NOT_RECOGNISED', 'the own trust list does not recognise this jurisdiction');
      }
      keys = recognition.operatorKeys;
    }
    const verified = await verifyTrustList(decoded, { keys, crypto });
    const { list } = verified;
    const payloadDigest = sha256Base64url(crypto, verified.payloadPart);
    const previous = seen.get(jurisdiction);
    if (previous) {
      if (list.sequenceNumber < previous.sequenceNumber) {
        throw fail('TRUST_LIST_ROLLBACK', 'the trust list is older than a version already seen');
      }
      if (list.sequenceNumber === previous.sequenceNumber && payloadDigest !== previous.payload) {
        // Two different lists under one sequence number: the operator equivocates, or a key leaked.
        throw fail('TRUST_LIST_ROLLBACK', 'another trust list with this sequence number was seen');
      }
    }
    const current = held.get(jurisdiction);
    const changed = !(current && current.payloadDigest === payloadDigest);
    held.set(jurisdiction, {
      jws,
      list,
      signedBy: verified.signedBy,
      payloadDigest,
      fetchedAt: changed ? fetchedAt : Math.max(current.fetchedAt, fetchedAt),
      issuers: changed ? indexIssuers(list) : current.issuers,
    });
    seen.set(jurisdiction, { sequenceNumber: list.sequenceNumber, payload: payloadDigest });
    return {
      jurisdiction,
      sequenceNumber: list.sequenceNumber,
      issuedAt: list.issuedAt,
      nextUpdate: list.nextUpdate,
      changed,
    };
  }

  function indexIssuers(list: TrustList): HeldList['issuers'] {
    return new Map(
      list.issuers.map((entry) => [
        entry.id,
        { entry, thumbprints: entry.keys.map((key) => jwkThumbprint(key.jwk, crypto)) },
      ]),
    );
  }

  function provenance(list: HeldList, now: number): TrustListProvenance {
    const { nextUpdate } = list.list;
    if (now > nextUpdate + grace) {
      throw fail(
        'TRUST_LIST_EXPIRED',
        `the trust list of ${list.list.operator.jurisdiction} is past its next update and grace period`,
      );
    }
    return {
      jurisdiction: list.list.operator.jurisdiction,
      operator: list.list.operator.name,
      listUri: list.list.listUri,
      sequenceNumber: list.list.sequenceNumber,
      issuedAt: list.list.issuedAt,
      nextUpdate,
      fetchedAt: list.fetchedAt,
      freshness: now <= nextUpdate ? 'fresh' : 'stale-in-grace',
    };
  }

  function resolveIssuer(request: ResolveTrustedIssuerRequest): ResolvedTrustedIssuer {
    const { iss, kid, credentialType, purpose, now } = request;
    if (typeof iss !== 'string' || (credentialType !== undefined && typeof credentialType !== 'string')) {
      throw new TypeError('iss and credentialType must be strings');
    }
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now must be a NumericDate');
    const own = homeList();
    if (!own) throw fail('ISSUER_UNKNOWN', 'no trust list of this jurisdiction is held');

    // The own list decides alone for the issuers it lists: another jurisdiction cannot vouch for
    // (or shadow) an issuer of this one.
    let found: { list: HeldList; entry: TrustedIssuer; thumbprints: string[] } | undefined;
    const ownEntry = own.issuers.get(iss);
    if (ownEntry) {
      found = { list: own, ...ownEntry };
    } else {
      const candidates = [...held.values()].filter(
        (list) => list !== own && isRecognised(list) && list.issuers.has(iss),
      );
      // Two recognised lists claiming one issuer: refuse rather than let either pick the keys.
      if (candidates.length > 1) {
        throw fail('ISSUER_UNKNOWN', 'the issuer is listed by more than one recognised jurisdiction');
      }
      const list = candidates[0];
      if (list) found = { list, ...list.issuers.get(iss)! };
    }
    if (!found) throw fail('ISSUER_UNKNOWN', 'no held trust list lists this issuer');

    const { list, entry } = found;
    const ownProvenance = provenance(own, now);
    let result: ResolvedTrustedIssuer['provenance'];
    if (list === own) {
      result = ownProvenance;
    } else {
      result = { ...provenance(list, now), recognisedBy: ownProvenance };
      const recognition = recognitionOf(list.list.operator.jurisdiction)!;
      if (credentialType !== undefined && !recognition.credentialTypes.includes(credentialType)) {
        throw fail(
          'CREDENTIAL_TYPE_NOT_ALLOWED',
          'this jurisdiction is not recognised for this credential type',
        );
      }
      if (
        credentialType !== undefined &&
        (purpose === undefined || !recognition.purposes.includes(purpose))
      ) {
        throw fail('PURPOSE_NOT_RECOGNISED', 'this jurisdiction is not recognised for this purpose');
      }
    }
    if (credentialType !== undefined && !entry.credentialTypes.includes(credentialType)) {
      throw fail('CREDENTIAL_TYPE_NOT_ALLOWED', 'the issuer is not listed for this credential type');
    }
    if (statusAt(entry, now) !== 'granted') {
      throw fail('ISSUER_WITHDRAWN', 'the issuer is not granted at that time');
    }
    if (now < entry.validFrom || (entry.validUntil !== undefined && now >= entry.validUntil)) {
      throw fail('ISSUER_OUTSIDE_VALIDITY', "the time is outside the issuer's validity period");
    }
    let keys = entry.keys.map((key, i) => ({ key, thumbprint: found.thumbprints[i]! }));
    if (kid !== undefined) {
      keys = keys.filter(({ key, thumbprint }) => key.kid === kid || thumbprint === kid);
      if (keys.length === 0) throw fail('ISSUER_UNKNOWN', 'the issuer has no listed key with this kid');
    }
    const usable = keys.filter(
      ({ key }) =>
        (key.notBefore === undefined || now >= key.notBefore) &&
        (key.notAfter === undefined || now <= key.notAfter),
    );
    if (usable.length === 0) {
      throw fail('ISSUER_OUTSIDE_VALIDITY', "the time is outside the validity of the key's certificate");
    }
    return {
      issuer: { id: entry.id, name: entry.name },
      keys: usable.map(({ key }) => key),
      provenance: result,
    };
  }

  return {
    jurisdiction: home,
    accept: (jws, now) => acceptAt(jws, now),
    resolveIssuer,
    recognitions: () => [...(homeList()?.list.recognitions ?? [])],
    issuers() {
      const ids = new Set<string>();
      for (const list of held.values())
        if (isRecognised(list)) for (const id of list.issuers.keys()) ids.add(id);
      return [...ids];
    },
    lists() {
      const ordered = [...held.values()].sort((a, b) =>
        a.list.operator.jurisdiction === home
          ? -1
          : b.list.operator.jurisdiction === home
            ? 1
            : a.list.operator.jurisdiction < b.list.operator.jurisdiction
              ? -1
              : 1,
      );
      return ordered.map((list) => ({
        jurisdiction: list.list.operator.jurisdiction,
        operator: list.list.operator.name,
        listUri: list.list.listUri,
        sequenceNumber: list.list.sequenceNumber,
        issuedAt: list.list.issuedAt,
        nextUpdate: list.list.nextUpdate,
        fetchedAt: list.fetchedAt,
        recognised: isRecognised(list),
      }));
    },
    state() {
      return {
        version: 1,
        lists: [...held.values()].map((list) => ({ jws: list.jws, fetchedAt: list.fetchedAt })),
        seen: Object.fromEntries([...seen].map(([jurisdiction, value]) => [jurisdiction, { ...value }])),
      };
    },
    async restore(input) {
      const state = parseState(input);
      for (const [jurisdiction, value] of Object.entries(state.seen)) {
        const current = seen.get(jurisdiction);
        if (!current || value.sequenceNumber > current.sequenceNumber) seen.set(jurisdiction, value);
      }
      const problems: Array<{ jurisdiction?: string; code: string }> = [];
      // The own list first: the others are accepted under its recognitions.
      const ordered = [...state.lists].sort((a, b) => Number(isHome(b.jws)) - Number(isHome(a.jws)));
      for (const entry of ordered) {
        let jurisdiction: string | undefined;
        try {
          jurisdiction = claimedJurisdiction(decodeTrustListJws(entry.jws));
          await acceptAt(entry.jws, entry.fetchedAt);
        } catch (error) {
          if (!isTriesteError(error)) throw error;
          problems.push({ ...(jurisdiction === undefined ? {} : { jurisdiction }), code: error.code });
        }
      }
      return problems;
    },
  };

  function isHome(jws: string): boolean {
    try {
      return claimedJurisdiction(decodeTrustListJws(jws)) === home;
    } catch {
      return false;
    }
  }
}

/** The issuer's status at `now`: the newest status change that started at or before it. */
function statusAt(entry: TrustedIssuer, now: number): 'granted' | 'withdrawn' | undefined {
  if (now >= entry.statusStartingTime) return entry.status;
  return entry.history.find((change) => now >= change.statusStartingTime)?.status;
}

function parseState(input: unknown): TrustStoreState {
  if (!isJsonObject(input) || input['version'] !== 1) {
    throw fail('MALFORMED', 'trust store state is not a version 1 state');
  }
  const { lists, seen } = input;
  if (!Array.isArray(lists) || !isJsonObject(seen)) throw fail('MALFORMED', 'trust store state is malformed');
  const parsedLists = lists.map((entry) => {
    if (!isJsonObject(entry) || typeof entry['jws'] !== 'string' || typeof entry['fetchedAt'] !== 'number') {
      throw fail('MALFORMED', 'trust store state has a malformed list');
    }
    return { jws: entry['jws'], fetchedAt: entry['fetchedAt'] };
  });
  const parsedSeen: TrustStoreState['seen'] = {};
  for (const [jurisdiction, value] of Object.entries(seen)) {
    parseJurisdiction(jurisdiction, 'trust store state jurisdiction');
    if (
      !isJsonObject(value) ||
      typeof value['sequenceNumber'] !== 'number' ||
      !Number.isSafeInteger(value['sequenceNumber']) ||
      typeof value['payload'] !== 'string'
    ) {
      throw fail('MALFORMED', 'trust store state has a malformed version record');
    }
    parsedSeen[jurisdiction] = { sequenceNumber: value['sequenceNumber'], payload: value['payload'] };
  }
  return { version: 1, lists: parsedLists, seen: parsedSeen };
}
