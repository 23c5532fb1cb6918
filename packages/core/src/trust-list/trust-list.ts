import type { PublicJwk } from '../jwk/types.js';

/**
 * Trieste's trust list: a JSON document profiled on ETSI TS 119 602 (lists of trusted entities,
 * "LoTE") and the status model of ETSI TS 119 612, signed as a compact JWS. docs/trust-list-profile.md
 * gives every field and its ETSI counterpart. Times here are NumericDates (whole seconds); on the
 * wire they are ISO 8601 UTC strings, as ETSI writes them.
 */

/** The JWS `typ` of a trust list (RFC 8725 §3.11: explicit typing, no cross-JWT confusion). */
export const TRUST_LIST_JWT_TYP = 'trieste-trust-list+jwt';

/** The media type the list is served with: `application/` + the `typ`. */
export const TRUST_LIST_MEDIA_TYPE = `application/${TRUST_LIST_JWT_TYP}`;

/** The profile version (LoTEVersionIdentifier): raised only when the parsing rules change. */
export const TRUST_LIST_VERSION = 1;

/**
 * Bounds on an untrusted list, so a hostile or broken publisher cannot make a verifier parse
 * without end. Generous for a national list; a bigger one is refused, not truncated.
 */
export const TRUST_LIST_LIMITS = {
  /** Characters of the compact JWS. */
  maxJwsLength: 4 * 1024 * 1024,
  issuers: 10_000,
  recognitions: 256,
  keysPerEntry: 16,
  /** Certificates in one key's `x5c` chain. */
  certificatesPerKey: 4,
  /** Base64 characters of one certificate. */
  certificateLength: 16 * 1024,
  credentialTypes: 64,
  purposes: 64,
  historyEntries: 64,
  /** Characters of identifiers, URIs, credential types. */
  identifierLength: 2048,
  nameLength: 500,
  kidLength: 200,
  purposeLength: 200,
} as const;

/** ETSI TS 119 612 §5.5.4 service status, reduced to what a verifier acts on. */
export type TrustedIssuerStatus = 'granted' | 'withdrawn';

/** A status and the time it took effect (ETSI TS 119 612 §5.5.5 "status starting time"). */
export interface TrustStatusChange {
  status: TrustedIssuerStatus;
  statusStartingTime: number;
}

/**
 * One key an issuer signs with: a public JWK with its `kid` (the credentials' header `kid`) and,
 * optionally, the X.509 certificate chain that carries it (`x5c`, RFC 7517 §4.7). With a
 * certificate, the key is trusted only inside the first certificate's validity.
 */
export interface TrustListKey {
  kid: string;
  jwk: PublicJwk;
  /** Base64 (not base64url) DER certificates; the first one holds `jwk`. */
  x5c?: string[];
  /** The first certificate's notBefore / notAfter, read from it (never given separately). */
  notBefore?: number;
  notAfter?: number;
}

/** An issuer entry (a LoTE "trusted entity" with its one issuance service). */
export interface TrustedIssuer {
  /** The issuer identifier: the `iss` of its credentials. */
  id: string;
  name: string;
  keys: TrustListKey[];
  /** What it may issue: SD-JWT VC `vct` values, mdoc doctypes, "dcc", "claim169". */
  credentialTypes: string[];
  validFrom: number;
  validUntil?: number;
  status: TrustedIssuerStatus;
  statusStartingTime: number;
  /** Earlier statuses, newest first, each starting before the one after it (ETSI "service history"). */
  history: TrustStatusChange[];
}

/**
 * This list's recognition of another jurisdiction's list (a LoTE "pointer to other LoTE"),
 * scoped: a verifier accepts that list's issuers only for these credential types and purposes.
 * Recognition is not transitive: the other list's own recognitions are not followed.
 */
export interface Recognition {
  jurisdiction: string;
  operatorName: string;
  /** Where the other list is published (its stable URL). */
  listUri: string;
  /** The keys the other list must be signed with (pinned here, out of band for that operator). */
  operatorKeys: Array<PublicJwk & { kid: string }>;
  credentialTypes: string[];
  purposes: string[];
}

/** The scheme operator (ETSI "scheme operator name", "scheme territory", its electronic address). */
export interface TrustListOperator {
  name: string;
  /** ISO 3166-1 alpha-2 code (user-assigned XA…XZ included), upper case. */
  jurisdiction: string;
  uri: string;
  /**
   * The operator's current keys (active and pending), announced for pinning. Informational: a
   * verifier trusts only keys it was configured with (its own jurisdiction) or that its own list
   * recognises (another jurisdiction), never keys a list announces for itself.
   */
  keys: Array<PublicJwk & { kid: string }>;
}

export interface TrustList {
  version: typeof TRUST_LIST_VERSION;
  /** ETSI "sequence number": 1 for the first list, +1 for every list issued after it. */
  sequenceNumber: number;
  operator: TrustListOperator;
  /** The stable URL where the list is published (ETSI "distribution points"). */
  listUri: string;
  /** ETSI "list issue date time". */
  issuedAt: number;
  /** ETSI "next update": a new list is issued before then; after it, the list is stale. */
  nextUpdate: number;
  issuers: TrustedIssuer[];
  recognitions: Recognition[];
}
