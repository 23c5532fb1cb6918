/**
 * Everything the core needs from the world comes in through these interfaces. The core does no
 * I/O, reads no environment and keeps no state; each port's comment states what an implementation
 * must guarantee, because the core's security rests on it.
 */
import type { JsonObject } from './encoding/json.js';
import type { PrivateJwk, PublicJwk, SignatureAlg } from './jwk/types.js';
import type {
  ChangeMetadata,
  KnownCandidate,
  MatchCandidate,
  PersonRecord,
  PersonVersion,
} from './registry/person.js';
import type {
  AccessRecord,
  AdjudicationCase,
  ImportRowResult,
  NewPerson,
  PersonChange,
  VidRecord,
} from './registry/registry-records.js';
import type { Recognition, TrustedIssuer } from './trust-list/trust-list.js';

/**
 * Time. Returns the current time as a NumericDate (seconds since the epoch, may be fractional).
 * Contract: monotonic enough for freshness checks; tests freeze it. Verification takes `now` from
 * here and nowhere else, so a verifier can be asked "was this valid at T?".
 */
export interface Clock {
  now(): number;
}

/**
 * Randomness. Contract: `bytes(n)` returns n bytes from a cryptographically secure generator
 * (salts, nonces and status-list indices are unguessable only if this is). Never seeded, never
 * reused between calls.
 */
export interface RandomSource {
  bytes(length: number): Uint8Array;
}

/**
 * Hashing. Contract: a correct SHA-256 (FIPS 180-4). Synchronous because SD-JWT hashes every
 * disclosure and the hot path must not pay a promise per digest.
 */
export interface Hasher {
  sha256(data: Uint8Array): Uint8Array;
  /**
   * Optional fast path: base64url(SHA-256(UTF-8(text))), the form of every SD-JWT digest,
   * `sd_hash` and thumbprint. Must equal `base64urlEncode(sha256(utf8Encode(text)))`.
   */
  sha256Base64url?(text: string): string;
}

/**
 * Signature verification over raw JWS signing input. Contract: returns true only when `signature`
 * is a valid `alg` signature of `data` under `key`; returns false (never throws) for a wrong
 * signature; throws TriesteError('KEY_INVALID') for a key it cannot use. ES256 signatures are in
 * the JWS (IEEE P1363, r||s) encoding. It must not accept an algorithm other than the one named.
 */
export interface SignatureVerifier {
  verify(alg: SignatureAlg, key: PublicJwk, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** The crypto primitives the core uses, bundled so one object can be passed around. */
export interface CryptoPort extends Hasher, RandomSource, SignatureVerifier {}

/**
 * A signing key whose private part the core never sees, so it may live in an HSM, a cloud KMS or
 * a custody adapter. Contract: `sign` returns a JWS signature (`alg` encoding; ES256 as r||s) of
 * exactly the bytes given, with the key whose public part is `publicJwk`; it signs nothing else
 * and never exposes the private key. `kid` is the RFC 7638 thumbprint of `publicJwk`.
 */
export interface Signer {
  readonly alg: SignatureAlg;
  readonly kid: string;
  readonly publicJwk: PublicJwk;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/**
 * Finds the issuer's public key for a credential. Contract: returns the key only if the
 * implementation trusts `iss` to use it (a configured key, a trust list entry); returns undefined
 * when it knows no such key, which the verifier reports as ISSUER_UNKNOWN. Inputs come from the
 * untrusted token header and payload: parse them defensively, never fetch arbitrary URLs from them.
 */
export interface IssuerKeyResolver {
  /**
   * `vct` is the credential type the signed payload claims (not yet verified: a resolver may only
   * use it to narrow, e.g. to issuers a trust list allows for that type, never to widen trust).
   */
  resolve(request: {
    iss: string;
    kid?: string;
    alg: SignatureAlg;
    vct?: string;
  }): Promise<PublicJwk | undefined>;
}

/** Token Status List statuses (draft-ietf-oauth-status-list §7.1). Other values are application-specific. */
export type StatusValue = number;

/**
 * Looks up a referenced token's status. Contract: returns the status from a status list token
 * whose signature (by a key `iss` is trusted to use), `sub` (equal to `uri`) and expiry the
 * implementation has verified; throws
 * TriesteError('STATUS_UNAVAILABLE') when it cannot get a valid list (network down, list expired,
 * bad signature). `uri` and `idx` come from the untrusted credential: do not fetch arbitrary hosts
 * without an allowlist, bound the size and time of any fetch.
 */
export interface StatusResolver {
  resolve(reference: { uri: string; idx: number; iss: string }, now: number): Promise<StatusValue>;
}

// ---------------------------------------------------------------------------------------------
// Stores. Implemented in @trieste/adapters (in-memory, PGlite, PostgreSQL) and held to one
// contract test suite. Times are NumericDates (seconds). No store ever holds a claim value.
// ---------------------------------------------------------------------------------------------

/** pending: published, not yet signing (so verifiers can learn it before a rotation); active: signs; retired: verifies only. */
export type KeyState = 'pending' | 'active' | 'retired';

/** An issuer key as the world may see it: the private part never leaves custody. */
export interface IssuerKeyRecord {
  kid: string;
  alg: SignatureAlg;
  publicJwk: PublicJwk;
  state: KeyState;
  createdAt: number;
  retiredAt?: number;
}

/**
 * Issuer key custody. Contract: private keys are generated inside custody and stored encrypted
 * at rest; no method returns or logs private key material; `signer()` signs only with the active
 * key; a retired key stays listed (its public part still verifies what it signed) but never
 * signs again and is never activated again. At most one key is active at any time; after
 * `create({ activate: true })`, `activate()` or `rotate()` exactly one is.
 */
export interface IssuerKeyCustody {
  /** Creates a key: active if `activate` (or if no key is active yet), else pending. */
  create(alg: SignatureAlg, options?: { activate?: boolean }): Promise<IssuerKeyRecord>;
  /** Makes a pending key the active one and retires the previous active key. */
  activate(kid: string): Promise<{ activated: IssuerKeyRecord; retired: IssuerKeyRecord[] }>;
  list(): Promise<IssuerKeyRecord[]>;
  get(kid: string): Promise<IssuerKeyRecord | undefined>;
  /** The active key's signer, or the named key's if it is active; ISSUER_UNKNOWN otherwise. */
  signer(kid?: string): Promise<Signer>;
  /** Creates a new active key of `alg` (default: the current key's) and retires the others. */
  rotate(alg?: SignatureAlg): Promise<{ created: IssuerKeyRecord; retired: IssuerKeyRecord[] }>;
}

/** What Trieste remembers of an issued credential: enough to manage its status, no claim value. */
export interface CredentialRecord {
  id: string;
  vct: string;
  issuerKid: string;
  /** RFC 7638 thumbprint of the holder key in `cnf`, if bound. */
  holderKeyThumbprint?: string;
  /**
   * The status entry: both present, or both absent for a credential issued without one (a
   * single-use, short-lived credential such as a proof of age, revoked by expiry instead).
   */
  statusListId?: string;
  statusIndex?: number;
  issuedAt: number;
  expiresAt?: number;
}

/**
 * Issued-credential records. Contract: `insert` refuses a duplicate id; records never contain
 * claim values.
 */
export interface CredentialStore {
  insert(record: CredentialRecord): Promise<void>;
  get(id: string): Promise<CredentialRecord | undefined>;
  list(options?: { limit?: number; offset?: number }): Promise<CredentialRecord[]>;
}

export interface StatusListInfo {
  id: string;
  /** Bits per entry: 1, 2, 4 or 8 (draft-ietf-oauth-status-list §4.1). */
  bits: 1 | 2 | 4 | 8;
  /** Number of entries. */
  size: number;
  /** Entries allocated so far. */
  allocated: number;
  createdAt: number;
  /** Increments on every status change: a published version names the revision it reflects. */
  revision: number;
}

export interface StatusListSnapshot {
  list: StatusListInfo;
  /** Every entry whose status is not 0 (VALID), by ascending index. */
  entries: Array<{ idx: number; status: StatusValue }>;
}

export interface StatusListVersion {
  listId: string;
  version: number;
  /** The revision of the list this token reflects. */
  revision: number;
  /** The signed `statuslist+jwt`. It holds statuses only, nothing personal. */
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Status lists and their published versions. Contract:
 * - `allocate` picks an index uniformly at random among the free ones of an open list (it
 *   reveals nothing about issuance order or time), never hands out the same (list, index) twice,
 *   even under concurrent callers, and opens a new list when the current one is full enough.
 * - `setStatus` never loses a write under concurrency; it refuses an index that was not
 *   allocated (STATUS_INDEX_OUT_OF_RANGE).
 * - versions are numbered 1, 2, 3… per list and never rewritten.
 */
export interface StatusListStore {
  createList(options: { bits: 1 | 2 | 4 | 8; size: number }): Promise<StatusListInfo>;
  getList(id: string): Promise<StatusListInfo | undefined>;
  lists(): Promise<StatusListInfo[]>;
  allocate(
    random: RandomSource,
    options?: { bits?: 1 | 2 | 4 | 8; size?: number },
  ): Promise<{ listId: string; idx: number }>;
  /**
   * Sets one entry. `final` lists statuses an entry may never leave once it has them (checked
   * under the same lock as the write, so a concurrent reinstatement cannot undo a revocation):
   * leaving one is STATUS_TRANSITION_NOT_ALLOWED.
   */
  setStatus(
    listId: string,
    idx: number,
    status: StatusValue,
    options?: { final?: readonly StatusValue[] },
  ): Promise<{ previous: StatusValue; revision: number }>;
  getStatus(listId: string, idx: number): Promise<StatusValue>;
  snapshot(listId: string): Promise<StatusListSnapshot>;
  saveVersion(version: Omit<StatusListVersion, 'version'>): Promise<StatusListVersion>;
  latestVersion(listId: string): Promise<StatusListVersion | undefined>;
}

// ---------------------------------------------------------------------------------------------
// Transparency log (RFC 9162 Merkle tree, C2SP tlog-checkpoint / tlog-tiles / tlog-cosignature).
// ---------------------------------------------------------------------------------------------

/** The sequenced tree: `size` leaves, root hash per RFC 9162 §2.1.1 (SHA-256 of "" when empty). */
export interface LogTreeState {
  size: number;
  rootHash: Uint8Array;
}

/**
 * Reads hashes of complete subtrees: (level, index) covers leaves [index·2^level, (index+1)·2^level).
 * Contract: answers only for subtrees fully inside the sequenced tree; level 0 is the leaf hash.
 */
export interface MerkleNodeReader {
  node(level: number, index: number): Promise<Uint8Array>;
  /** Optional batch form of `node`, in the order asked: a proof is then one round trip to a database. */
  nodesAt?(addresses: ReadonlyArray<{ level: number; index: number }>): Promise<Uint8Array[]>;
}

/** A witness the log accepts cosignatures from: its C2SP verifier key (`name+hash+base64`). */
export interface LogWitness {
  name: string;
  vkey: string;
}

/**
 * The transparency log's storage. Contract:
 * - `append` queues an entry inside the caller's transaction: it is sequenced only if that
 *   transaction commits, so a trust change and its log entry stand or fall together.
 * - `sequence` takes queued entries oldest first (at most `maxBatch`) and, in one transaction,
 *   gives them the next indices, stores their leaf and every completed node hash, and advances
 *   the tree; an entry is sequenced exactly once, whatever crashes in between.
 * - indices, entries and node hashes never change once sequenced (append-only).
 * - `saveCheckpoint` stores a signed checkpoint of a size that is committed, and refuses one
 *   smaller than the latest (LOG_INCONSISTENT).
 * - `signer` is the log's Ed25519 key, created on first use and sealed at rest like issuer keys.
 */
export interface TransparencyLogStore extends MerkleNodeReader {
  append(entry: Uint8Array): Promise<void>;
  sequence(hasher: Hasher, options?: { maxBatch?: number }): Promise<LogTreeState & { sequenced: number }>;
  state(): Promise<LogTreeState>;
  pending(): Promise<number>;
  /** Entries [start, end) of the sequenced log. */
  entries(start: number, end: number): Promise<Uint8Array[]>;
  /** Node hashes (level, index) for index in [start, end): what a hash tile holds. */
  nodes(level: number, start: number, end: number): Promise<Uint8Array[]>;
  saveCheckpoint(checkpoint: { size: number; note: string }): Promise<void>;
  latestCheckpoint(): Promise<{ size: number; note: string } | undefined>;
  signer(): Promise<Signer>;
  addWitness(witness: LogWitness): Promise<void>;
  witnesses(): Promise<LogWitness[]>;
  /** Stores a witness's cosignature line (already verified by the caller) for a checkpoint size. */
  saveCosignature(cosignature: { size: number; witness: string; line: string }): Promise<void>;
  cosignatures(size: number): Promise<Array<{ witness: string; line: string }>>;
}

/** Key/value settings of an installation (issuer identifier, base URL): nothing secret. */
export interface SettingsStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}

/**
 * An API key as the world may see it: never its secret. `id` is the public half of the key (it
 * names the key in logs and lookups); `roles` are the server's role names.
 */
export interface ApiKeyRecord {
  id: string;
  /** A label for operators, e.g. "registrar desk 3". */
  name: string;
  roles: string[];
  createdAt: number;
  revokedAt?: number;
}

/**
 * API keys of the services, stored by the SHA-256 of their secret half only. Contract: the secret
 * is never stored or returned, only `secretHash` (32 bytes); `find` returns the hash for the caller
 * to compare in constant time (never compare it with `===`); `insert` refuses a duplicate id
 * (DUPLICATE); a revoked key stays listed with `revokedAt` and is never reinstated.
 */
export interface ApiKeyStore {
  insert(record: ApiKeyRecord, secretHash: Uint8Array): Promise<void>;
  find(id: string): Promise<{ record: ApiKeyRecord; secretHash: Uint8Array } | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked (NOT_FOUND if there is none); revoking it again changes nothing. */
  revoke(id: string): Promise<ApiKeyRecord>;
}

/** OpenID4VP 1.0 §8.2 and §8.3: the form post and its encrypted (JWE) variant. */
export type PresentationResponseMode = 'direct_post' | 'direct_post.jwt';
export type PresentationRequestStatus = 'pending' | 'verified' | 'failed';

/**
 * A relying party's presentation request (OpenID4VP 1.0) as the verifier keeps it. Outside the
 * sealed result it holds no claim value: the DCQL query names claim paths, never a holder's data.
 */
export interface PresentationRequestRecord {
  /** 128-bit random, base64url: names the request in its request_uri and response_uri. */
  id: string;
  /** The KB-JWT nonce the wallet must sign (OpenID4VP 1.0 §5.2): unique across requests. */
  nonce: string;
  /** The `state` the response must carry: unique across requests. */
  state: string;
  /** The API key that created the request: only it reads the result. */
  apiKeyId: string;
  /** The DCQL query (OpenID4VP 1.0 §6), as validated. */
  query: JsonObject;
  /** Text shown to the holder: why the relying party asks. */
  purpose: string;
  /**
   * The declared purpose as a code (`[a-z0-9][a-z0-9_.-]{0,63}`, e.g. `age_verification`): the
   * trust lists accept another jurisdiction's issuers only for the purposes they recognise.
   */
  purposeCode?: string;
  responseMode: PresentationResponseMode;
  /** Issuer identifiers whose credentials this request accepts. */
  trustedIssuers: string[];
  /** Where the signed result is POSTed once known, if the relying party asked. */
  webhookUrl?: string;
  /**
   * OpenID4VP 1.0 §5.1 `transaction_data`: each entry base64url(JSON object with `type` and
   * `credential_ids`), exactly as it goes into the request object, so the hashes the wallet puts
   * in its KB-JWT (§8.4) are compared over the same bytes.
   */
  transactionData?: string[];
  /**
   * The relying-party template the request was built from (`{ type: "age_over", age }` or
   * `{ type: "parental_consent", … }`), which decides the yes/no or consent part of the result.
   */
  template?: JsonObject;
  status: PresentationRequestStatus;
  /** The coded reason of a failure (an error code). */
  reason?: string;
  createdAt: number;
  /** The wallet must answer before this; later answers are refused. */
  expiresAt: number;
  answeredAt?: number;
  /** The record, and the result with it, is deleted at or after this (data minimisation). */
  deleteAt: number;
}

/** How a request ended: written once, by `PresentationRequestStore.complete`. */
export interface PresentationOutcome {
  status: 'verified' | 'failed';
  reason?: string;
  /** The verified, query-filtered claims: sealed at rest, deleted with the record. */
  result?: JsonObject;
  answeredAt: number;
  deleteAt: number;
  /**
   * This installation's status entries the answer relies on: it is recorded only if each of them
   * exists and is VALID (0) when it is written, checked by the same statement, so a revocation
   * that lands after the credentials were verified cannot slip into a "verified" result. When one
   * is not, nothing is written and `complete` returns undefined, as for a request answered already
   * (the caller tells the two apart by reading the request).
   */
  requireValidStatus?: ReadonlyArray<{ listId: string; idx: number }>;
}

/**
 * The verifier's presentation requests. Contract:
 * - `create` refuses a duplicate id, nonce or state (DUPLICATE): a nonce is never issued twice.
 * - the ephemeral response-decryption key (direct_post.jwt) and the result are sealed at rest
 *   (AES-256-GCM bound to the request id), so a database copy shows neither.
 * - `complete` moves a pending request to verified or failed exactly once, even under concurrent
 *   callers on several server processes; any later call returns undefined (a replayed response).
 * - `deleteExpired(now)` deletes every record whose `deleteAt` <= now, its key and result with it.
 * - `signer()` is the verifier's request-signing key (ES256), created on first use, sealed at rest
 *   like the log key; one per installation.
 */
export interface PresentationRequestStore {
  create(record: PresentationRequestRecord, secrets?: { encryptionKey?: PrivateJwk }): Promise<void>;
  get(id: string): Promise<PresentationRequestRecord | undefined>;
  /** The ephemeral decryption key of a direct_post.jwt request, opened; undefined if none. */
  encryptionKey(id: string): Promise<PrivateJwk | undefined>;
  /**
   * `current`, if given, is the pending record as the caller read it: nothing of a pending record
   * but its outcome ever changes, so the store may return it with the outcome applied instead of
   * reading the row back (the answer is still written once, conditionally on pending).
   */
  complete(
    id: string,
    outcome: PresentationOutcome,
    current?: PresentationRequestRecord,
  ): Promise<PresentationRequestRecord | undefined>;
  /** The opened result of a completed request, if it has one. */
  result(id: string): Promise<JsonObject | undefined>;
  /** Deletes one request; false if there was none. */
  delete(id: string): Promise<boolean>;
  deleteExpired(now: number): Promise<number>;
  signer(): Promise<Signer>;
}

// The verifier's webhook outbox (apps/server/src/verifier/webhooks, docs/webhook-delivery.md).

/**
 * One webhook delivery: "the result of presentation request `requestId` is ready", to be POSTed to
 * the relying party's `url`. It carries no claim value and no token: the relying party polls.
 */
export interface WebhookDeliveryRecord {
  /** The presentation request announced: at most one delivery per request. */
  requestId: string;
  /** 128-bit random, base64url: sent with every attempt, so the receiver can deduplicate. */
  deliveryId: string;
  url: string;
  state: 'pending' | 'delivered' | 'failed';
  /** Attempts started (a claimed attempt counts, even if its process died during it). */
  attempts: number;
  /** While pending: when the next attempt is due (a claim moves it forward by the lease). */
  nextAttemptAt: number;
  /** No attempt is made at or after this: the announced result is deleted then. */
  deadline: number;
  /** The error code of the last failed attempt (never the receiver's text). */
  lastError?: string;
  createdAt: number;
  /** When it was delivered or given up. */
  finishedAt?: number;
}

export interface NewWebhookDelivery {
  requestId: string;
  deliveryId: string;
  url: string;
  /** Also when the first attempt is due. */
  createdAt: number;
  deadline: number;
}

/** A delivery taken by one deliverer: `lease` names that claim in `settle`. */
export interface ClaimedWebhookDelivery extends WebhookDeliveryRecord {
  lease: string;
}

/** What one attempt came to: delivered, to be retried at `nextAttemptAt`, or given up. */
export type WebhookDeliveryOutcome =
  | { state: 'delivered'; at: number }
  | { state: 'pending'; nextAttemptAt: number; error: string }
  | { state: 'failed'; at: number; error: string };

/**
 * The verifier's webhook outbox. Contract:
 * - `enqueue` records at most one delivery per request id (a second is ignored: false). Called in
 *   the transaction that completes the request, a delivery exists exactly when the answer does.
 * - `claim` atomically takes up to `limit` pending deliveries due at `now` (oldest due first),
 *   counts an attempt and moves `nextAttemptAt` to `now + leaseSeconds`, stamped with `lease`.
 *   Concurrent claimers, on any number of server processes, never receive the same delivery
 *   while its lease runs; a claimer that dies leaves the delivery due again when the lease ends.
 * - `settle` records an attempt's outcome only while `lease` still holds the delivery (false
 *   otherwise: the lease ran out and another claimer took it over).
 * - `purgeFinished(before)` deletes delivered and failed deliveries finished before `before`.
 */
export interface WebhookDeliveryStore {
  enqueue(delivery: NewWebhookDelivery): Promise<boolean>;
  claim(
    now: number,
    options: { limit: number; leaseSeconds: number; lease: string },
  ): Promise<ClaimedWebhookDelivery[]>;
  settle(requestId: string, lease: string, outcome: WebhookDeliveryOutcome): Promise<boolean>;
  get(requestId: string): Promise<WebhookDeliveryRecord | undefined>;
  purgeFinished(before: number): Promise<number>;
}

/**
 * offered → redeemed (token endpoint) → issued (credential endpoint); with the authorization code
 * grant, offered → authorized (the holder logged in) → redeemed; locked after too many wrong
 * tx_codes or passwords.
 */
export type CredentialOfferState = 'offered' | 'authorized' | 'redeemed' | 'issued' | 'locked';

/**
 * An OpenID4VCI 1.0 credential offer with the pre-authorized code grant (§4.1.1, §6.1), as the
 * issuer keeps it. Codes and tokens appear only as SHA-256 hashes; the prepared claims and the
 * pre-authorized code itself live only sealed (see `CredentialOfferStore`), never in this record.
 */
export interface CredentialOfferRecord {
  /** 128-bit random, base64url: names the offer in its `credential_offer_uri`. */
  id: string;
  credentialConfigurationId: string;
  /** Who the credential is for, as an opaque hash: holder keys are bound per subject. */
  subject: string;
  /** SHA-256 of the pre-authorized code (32 bytes); absent on an offer with the authorization code grant. */
  preAuthorizedCodeHash?: Uint8Array;
  /**
   * The holder's login for the authorization code grant (OpenID4VCI 1.0 §3.4): SHA-256 of the
   * username and a salted, slow password hash (an opaque `scheme$params$salt$hash` string, at most
   * 300 characters). The offer's `issuer_state` is its id.
   */
  login?: { usernameHash: Uint8Array; passwordHash: string };
  /**
   * The authorization code once the holder has logged in (RFC 6749 §4.1.2), as its SHA-256, with
   * what it is bound to: the PKCE S256 challenge (RFC 7636), the client and its redirect URI.
   */
  authorizationCode?: {
    hash: Uint8Array;
    codeChallenge: string;
    clientId: string;
    redirectUri: string;
    expiresAt: number;
  };
  /** The transaction code's hash (bound to the pre-authorized code by the caller) and its shape. */
  txCode?: { hash: Uint8Array; length: number; inputMode: 'numeric' | 'text'; description?: string };
  state: CredentialOfferState;
  /** Wrong tx_codes, or wrong passwords at the login of the authorization code grant. */
  failedTxCodeAttempts: number;
  /** SHA-256 of the access token, once redeemed. */
  accessTokenHash?: Uint8Array;
  accessTokenExpiresAt?: number;
  createdAt: number;
  /** The offer can be redeemed and its credential fetched only before this. */
  expiresAt: number;
  /** The API key that created it. */
  createdBy?: string;
}

/**
 * The issuer's OpenID4VCI session state: offers, c_nonces (§7) and holder key bindings. Contract:
 * - the prepared claims and the pre-authorized code are sealed at rest (AES-256-GCM under their own
 *   HKDF subkey of the master key, bound to the offer id): a database copy shows neither.
 * - `redeem`, `recordFailedTxCode` and `takeClaims` are compare-and-set on the state: each
 *   transition happens once, even under concurrent callers on several server processes.
 *   `findByPreAuthorizedCodeHash` locks the row inside a transaction (SELECT … FOR UPDATE), so
 *   transaction-code guesses on one offer are counted one after the other.
 * - the pre-authorized code is forgotten on redemption, the claims on issuance (`takeClaims`) and
 *   both, with the access token, when the offer expires (`purgeExpired`).
 * - `consumeNonce` accepts a nonce once, before its expiry; `bindHolderKey` binds a key
 *   thumbprint to one subject for good and answers false for a key bound to another subject.
 */
export interface CredentialOfferStore {
  create(
    offer: Omit<
      CredentialOfferRecord,
      'state' | 'failedTxCodeAttempts' | 'accessTokenHash' | 'accessTokenExpiresAt' | 'authorizationCode'
    >,
    /** `preAuthorizedCode` exactly when the record has a `preAuthorizedCodeHash`. */
    secrets: { preAuthorizedCode?: string; claims: JsonObject },
  ): Promise<void>;
  get(id: string): Promise<CredentialOfferRecord | undefined>;
  /** The pre-authorized code of an offer still `offered` and unexpired at `now` (offer by reference). */
  preAuthorizedCode(id: string, now: number): Promise<string | undefined>;
  findByPreAuthorizedCodeHash(hash: Uint8Array): Promise<CredentialOfferRecord | undefined>;
  findByAccessTokenHash(hash: Uint8Array): Promise<CredentialOfferRecord | undefined>;
  /** Like `findByPreAuthorizedCodeHash` (and locking the row likewise), by the authorization code. */
  findByAuthorizationCodeHash(hash: Uint8Array): Promise<CredentialOfferRecord | undefined>;
  /**
   * `offered`, unexpired and with a `login` → `authorized` with this authorization code; false
   * otherwise, so one login yields one code.
   */
  authorize(
    id: string,
    code: NonNullable<CredentialOfferRecord['authorizationCode']>,
    now: number,
  ): Promise<boolean>;
  /** Counts a wrong transaction code (or password) on an `offered` offer; locks it at `maxAttempts`. */
  recordFailedTxCode(id: string, maxAttempts: number): Promise<CredentialOfferRecord | undefined>;
  /**
   * `from` (default `offered`) and unexpired → `redeemed` with this access token; false otherwise.
   * Redeeming an `authorized` offer forgets its authorization code: a code is used once.
   */
  redeem(
    id: string,
    accessToken: { hash: Uint8Array; expiresAt: number },
    now: number,
    from?: 'offered' | 'authorized',
  ): Promise<boolean>;
  /** `redeemed` and unexpired → `issued`: returns the opened claims and deletes them. */
  takeClaims(id: string, now: number): Promise<JsonObject | undefined>;
  /** Forgets the secrets of offers expired at `now` and deletes expired nonces; returns the offers touched. */
  purgeExpired(now: number): Promise<number>;
  createNonce(nonce: string, expiresAt: number): Promise<void>;
  consumeNonce(nonce: string, now: number): Promise<boolean>;
  bindHolderKey(thumbprint: string, subject: string, now: number): Promise<boolean>;
}

// ---------------------------------------------------------------------------------------------
// Trust lists (core/src/trust-list): the operator's list and its keys, and the lists of other
// jurisdictions this installation's verifier has accepted.
// ---------------------------------------------------------------------------------------------

/** A published version of the operator's trust list. */
export interface TrustListVersion {
  /** 1, 2, 3…: the list's ETSI sequence number. */
  sequenceNumber: number;
  /** The signed list (compact JWS): issuers, keys and recognitions, nothing personal. */
  jws: string;
  issuedAt: number;
  nextUpdate: number;
  /** The kid (RFC 7638 thumbprint) of the operator key that signed it. */
  signedBy: string;
}

/** A trust list operator key as the world may see it: the private part never leaves custody. */
export interface TrustListKeyRecord {
  kid: string;
  alg: SignatureAlg;
  publicJwk: PublicJwk;
  /** pending: announced, not yet signing; active: signs the list; retired: signs no more. */
  state: KeyState;
  createdAt: number;
  retiredAt?: number;
}

/** Another jurisdiction's list (or this one's own) as this installation's verifier last accepted it. */
export interface CachedTrustList {
  jurisdiction: string;
  jws: string;
  sequenceNumber: number;
  fetchedAt: number;
}

/**
 * The trust list operator's entries, versions and signing keys, and the verifier's cache of
 * accepted lists. Contract:
 * - `lock` takes the operator list's one row lock until the caller's transaction ends and returns
 *   the last published sequence number (0 before the first): every change to entries and the
 *   version that publishes it happen under it, so concurrent changes (on any number of processes)
 *   publish 1, 2, 3… in order, each version reflecting every change before it.
 * - `saveVersion` accepts only the next sequence number (last + 1; DUPLICATE otherwise); versions
 *   are never rewritten or deleted.
 * - operator keys are generated in custody and sealed at rest (AES-256-GCM under their own HKDF
 *   subkey of the master key); no method returns private key material. `signer()` is the active
 *   key's, an ES256 key created on first use (once, across processes). At most one key is active
 *   and at most one pending; `prepareKey` creates the pending key (DUPLICATE if there is one),
 *   `rotateKey` activates it (or a new key of `alg` when none is pending) and retires the active
 *   key, which never signs again.
 * - `saveCachedList` never goes back: a lower sequence number than the one cached for that
 *   jurisdiction is TRUST_LIST_ROLLBACK; the same one replaces the row (a later fetch time).
 */
export interface TrustListStore {
  lock(): Promise<number>;
  issuers(): Promise<TrustedIssuer[]>;
  getIssuer(id: string): Promise<TrustedIssuer | undefined>;
  /** Inserts or replaces the entry with this id. */
  putIssuer(issuer: TrustedIssuer): Promise<void>;
  recognitions(): Promise<Recognition[]>;
  /** Inserts or replaces the recognition of this jurisdiction. */
  putRecognition(recognition: Recognition): Promise<void>;
  /** False when the jurisdiction was not recognised. */
  deleteRecognition(jurisdiction: string): Promise<boolean>;
  saveVersion(version: TrustListVersion): Promise<void>;
  latestVersion(): Promise<TrustListVersion | undefined>;
  getVersion(sequenceNumber: number): Promise<TrustListVersion | undefined>;
  keys(): Promise<TrustListKeyRecord[]>;
  signer(): Promise<Signer>;
  prepareKey(alg?: SignatureAlg): Promise<TrustListKeyRecord>;
  rotateKey(alg?: SignatureAlg): Promise<{ activated: TrustListKeyRecord; retired: TrustListKeyRecord[] }>;
  saveCachedList(list: CachedTrustList): Promise<void>;
  cachedLists(): Promise<CachedTrustList[]>;
}

// ---------------------------------------------------------------------------------------------
// The foundational registry (core/src/registry): people, their identity numbers, adjudication,
// virtual IDs and the access audit.
// ---------------------------------------------------------------------------------------------

/**
 * The registry's storage. Contract:
 * - `insertPerson` stores an active record with a UIN from `nextUin`, drawing again while the UIN
 *   is taken (a UNIQUE constraint, so two concurrent enrolments never share one; UIN_UNAVAILABLE
 *   after 20 draws); a duplicate id is DUPLICATE. The record is found by its blocking keys from
 *   then on, in this transaction and after it commits.
 * - `lockKeys` (inside a transaction) serialises enrolments whose keys overlap until the
 *   transaction ends, so two desks enrolling the same person at once cannot both miss the other:
 *   the second waits, then finds the first among its candidates. `lockKeys('all')` excludes every
 *   other enrolment until the transaction ends.
 * - `findCandidates` returns pending and active records (never deactivated, deceased or merged
 *   ones) that share at least one key, at most `limit`, as `MatchCandidate`s (a store may return
 *   whole records). `findCandidatesForQueries` answers many lookups at once (a bulk import
 *   batch, one lookup per row): the records any of them finds, each once, and for each lookup
 *   the records it finds, so the caller need not match keys to records itself; a store that
 *   keeps keys hashed may count a record found by a key whose hash it shares (scoring sorts such
 *   rare extra candidates out). With `known`, a candidate for which `known(id, version)` is true
 *   may come without its data (`KnownCandidate`): a bulk import that keeps the profiles of the
 *   records it met saves fetching them again. Every candidate that comes with data has the data
 *   of its version.
 * - `caseNamedRecords` answers, for pending records, the record their open adjudication case
 *   names first, when that record is active: the person a pending record most likely repeats,
 *   until a supervisor settles the case (`scorePendingMatch`). Other ids are left out of the map.
 *   `known` as for `findCandidatesForQueries`.
 * - `updatePerson` is a compare-and-set on `expectedVersion` (PERSON_VERSION_CONFLICT otherwise,
 *   PERSON_UNKNOWN for no record): the version it replaces is kept with who, when and why, and
 *   the record's blocking keys and guardian links follow its data.
 * - `decideCase` moves a pending case to decided once (undefined if it was not pending).
 * - a VID is stored only as a keyed digest (HMAC under a key the database does not hold), so a
 *   database copy does not reveal the VIDs nor lets anyone test guesses offline; `insertVid`
 *   refuses a VID already stored (DUPLICATE).
 * - access records and history are never rewritten; accesses are listed newest first.
 * - import rows are stored once per (import, row key).
 */
/**
 * Lookups prepared by a store ahead of their transaction (`RegistryStore.prepareQueries`): only
 * the store that prepared them reads them.
 */
export interface PreparedQueries {
  /** How many lookups: `matches` has as many lists. */
  readonly lookups: number;
}

/** What `RegistryStore.findCandidatesForQueries` returns. */
export interface CandidatesForQueries {
  candidates: Array<MatchCandidate | KnownCandidate>;
  matches: number[][];
}

export interface RegistryStore {
  /** `'all'`: the whole registry, exclusively (a bulk import batch). */
  lockKeys(keys: readonly string[] | 'all'): Promise<void>;
  findCandidates(keys: readonly string[], options?: { limit?: number }): Promise<MatchCandidate[]>;
  /**
   * `limit` bounds the candidates of all lookups together. `matches[i]` are the positions in
   * `candidates` of the records sharing a key with `queries[i]`, ascending, each once.
   */
  findCandidatesForQueries(
    queries: ReadonlyArray<readonly string[]> | PreparedQueries,
    options?: { limit?: number; known?: (id: string, version: number) => boolean },
  ): Promise<CandidatesForQueries>;
  /**
   * Optional: the work `findCandidatesForQueries` does on the lookups before it asks the database
   * (a bulk import batch's ~150,000 keys hashed and sorted), done ahead, outside any transaction,
   * so a bulk import does it while the database still works on the batch before. Touches no data.
   */
  prepareQueries?(queries: ReadonlyArray<readonly string[]>): PreparedQueries;
  /** Keyed by the pending record's id. */
  caseNamedRecords(
    pendingIds: readonly string[],
    options?: { known?: (id: string, version: number) => boolean },
  ): Promise<Map<string, MatchCandidate | KnownCandidate>>;
  insertPerson(person: NewPerson, nextUin: () => string): Promise<PersonRecord>;
  /** Many at once (bulk import), with the same guarantees as `insertPerson`; in input order. */
  insertPersons(persons: readonly NewPerson[], nextUin: () => string): Promise<PersonRecord[]>;
  getPerson(id: string): Promise<PersonRecord | undefined>;
  getPersonByUin(uin: string): Promise<PersonRecord | undefined>;
  /** Records of every state by id, after `after` (exclusive), at most `limit` (re-keying). */
  listPersons(options: { after?: string; limit: number }): Promise<PersonRecord[]>;
  /**
   * Replaces the blocking keys of existing records, data and version untouched (the keys are
   * derived from the data: after a change to how they are derived). PERSON_UNKNOWN for an id
   * without a record, nothing changed then.
   */
  replaceBlockingKeys(entries: ReadonlyArray<{ id: string; keys: readonly string[] }>): Promise<void>;
  updatePerson(
    id: string,
    change: PersonChange,
    meta: ChangeMetadata,
    expectedVersion: number,
    nextUin?: () => string,
  ): Promise<PersonRecord>;
  /** Previous versions, oldest first. */
  history(id: string): Promise<PersonVersion[]>;
  /** Records naming `guardianId` as a guardian. */
  wardsOf(guardianId: string): Promise<string[]>;
  createCase(record: AdjudicationCase): Promise<void>;
  /** Many at once (bulk import), with the same checks as `createCase`. */
  createCases(records: readonly AdjudicationCase[]): Promise<void>;
  getCase(id: string): Promise<AdjudicationCase | undefined>;
  /** Cases by state (default pending), oldest first. */
  listCases(options?: {
    state?: AdjudicationCase['state'];
    limit?: number;
    offset?: number;
  }): Promise<AdjudicationCase[]>;
  decideCase(
    id: string,
    decision: NonNullable<AdjudicationCase['decision']>,
  ): Promise<AdjudicationCase | undefined>;
  insertVid(record: VidRecord, vid: string): Promise<void>;
  findVid(vid: string): Promise<VidRecord | undefined>;
  getVid(id: string): Promise<VidRecord | undefined>;
  /** Marks a VID revoked at `at` (a revoked one keeps its first revocation time). */
  revokeVid(id: string, at: number): Promise<VidRecord | undefined>;
  listVids(personId: string): Promise<VidRecord[]>;
  recordAccess(record: AccessRecord): Promise<void>;
  listAccesses(personId: string, options?: { limit?: number; offset?: number }): Promise<AccessRecord[]>;
  /** Records that a credential was issued for the person, so a lifecycle change can reach it. */
  linkCredential(personId: string, credentialId: string, at: number): Promise<void>;
  credentialsOf(personId: string): Promise<string[]>;
  importedRows(importId: string, rowKeys: readonly string[]): Promise<Map<string, ImportRowResult>>;
  saveImportRows(importId: string, rows: readonly ImportRowResult[], at: number): Promise<void>;
}

/**
 * All stores of one installation. Contract: `transaction` runs `work` so that either all of its
 * writes are committed or none is; stores passed to `work` act inside that transaction.
 */
export interface Stores {
  keys: IssuerKeyCustody;
  credentials: CredentialStore;
  statusLists: StatusListStore;
  settings: SettingsStore;
  log: TransparencyLogStore;
  apiKeys: ApiKeyStore;
  credentialOffers: CredentialOfferStore;
  presentationRequests: PresentationRequestStore;
  webhookDeliveries: WebhookDeliveryStore;
  registry: RegistryStore;
  trustLists: TrustListStore;
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
