import { createHash } from 'node:crypto';
import type {
  ApiKeyRecord,
  CachedTrustList,
  CredentialOfferRecord,
  CredentialRecord,
  IssuerKeyRecord,
  PresentationRequestRecord,
  Recognition,
  StatusListInfo,
  StatusListVersion,
  TrustedIssuer,
  TrustListVersion,
  WebhookDeliveryRecord,
} from '@trieste/core';
import type { SealedData } from '../../keys/seal-data.js';
import type { SealedPrivateKey } from '../../keys/seal-private-key.js';
import type { StoredVerifierKey } from '../../keys/verifier-signing-key.js';
import type { StoredLogKey } from '../../log/log-signing-key.js';
import type { StoredTrustListKey } from '../../trust-list/trust-list-signing-key.js';
import { emptyMemoryRegistry, type MemoryRegistry } from './memory-registry-store.js';

export interface MemoryList {
  info: StatusListInfo;
  /** Allocated entries: index → status. */
  entries: Map<number, number>;
  versions: StatusListVersion[];
}

/** The transparency log, laid out like its tables. */
export interface MemoryLog {
  /** Queued entries, oldest first. */
  pending: Array<{ data: Uint8Array; queuedAt: number }>;
  entries: Uint8Array[];
  /** nodes[level][index]: every complete subtree hash; level 0 holds the leaf hashes. */
  nodes: Uint8Array[][];
  rootHash: Uint8Array;
  /** By ascending size. */
  checkpoints: Array<{ size: number; note: string; createdAt: number }>;
  key: StoredLogKey | undefined;
  /** name → vkey. */
  witnesses: Map<string, string>;
  /** size → witness → cosignature line. */
  cosignatures: Map<number, Map<string, string>>;
}

/** Offers with their sealed secrets, c_nonces (nonce → expiry), holder key bindings. */
export interface MemoryCredentialOffers {
  offers: Map<string, { record: CredentialOfferRecord; sealedCode?: SealedData; sealedClaims?: SealedData }>;
  nonces: Map<string, number>;
  holderKeys: Map<string, { subject: string; createdAt: number }>;
}

/** The operator's trust list and the verifier's cache of accepted lists, laid out like their tables. */
export interface MemoryTrustLists {
  lastSequence: number;
  issuers: Map<string, TrustedIssuer>;
  recognitions: Map<string, Recognition>;
  /** By ascending sequence number. */
  versions: TrustListVersion[];
  /** kid → operator key, in creation order. */
  keys: Map<string, StoredTrustListKey>;
  /** jurisdiction → the newest list accepted. */
  cache: Map<string, CachedTrustList>;
}

export interface MemoryState {
  settings: Map<string, string>;
  keys: Map<string, { record: IssuerKeyRecord; sealed: SealedPrivateKey }>;
  credentials: Map<string, CredentialRecord>;
  lists: Map<string, MemoryList>;
  log: MemoryLog;
  /** id → record and SHA-256 of the secret. */
  apiKeys: Map<string, { record: ApiKeyRecord; secretHash: Uint8Array }>;
  /** The issuer's OpenID4VCI sessions, laid out like their tables. */
  credentialOffers: MemoryCredentialOffers;
  /** id → the verifier's presentation request and its sealed secrets. */
  presentationRequests: Map<
    string,
    { record: PresentationRequestRecord; sealedKey?: SealedData; sealedResult?: SealedData }
  >;
  verifierKey: StoredVerifierKey | undefined;
  /** The foundational registry (memory-registry-store.ts). */
  registry: MemoryRegistry;
  trustLists: MemoryTrustLists;
  /** request id → the verifier's webhook delivery and the lease of its current claim. */
  webhookDeliveries: Map<string, { record: WebhookDeliveryRecord; lease?: string }>;
}

function emptyState(): MemoryState {
  return {
    settings: new Map(),
    keys: new Map(),
    credentials: new Map(),
    lists: new Map(),
    log: {
      pending: [],
      entries: [],
      nodes: [],
      // The empty tree's root, SHA-256 of the empty string (RFC 9162 §2.1.1).
      rootHash: new Uint8Array(createHash('sha256').digest()),
      checkpoints: [],
      key: undefined,
      witnesses: new Map(),
      cosignatures: new Map(),
    },
    apiKeys: new Map(),
    credentialOffers: { offers: new Map(), nonces: new Map(), holderKeys: new Map() },
    presentationRequests: new Map(),
    webhookDeliveries: new Map(),
    verifierKey: undefined,
    registry: emptyMemoryRegistry(),
    trustLists: {
      lastSequence: 0,
      issuers: new Map(),
      recognitions: new Map(),
      versions: [],
      keys: new Map(),
      cache: new Map(),
    },
  };
}

/**
 * An atomic section over the state. `run` takes a synchronous function, so nothing interleaves
 * with it; `transaction` gives `work` a copy of the state and keeps it only if `work` resolves.
 */
export interface MemoryScope {
  run<T>(section: (state: MemoryState) => T): Promise<T>;
  transaction<T>(work: (scope: MemoryScope) => Promise<T>): Promise<T>;
}

let readScope: (data: MemoryStoreData) => MemoryScope;

/** The root scope of `data`, for the stores of this folder only (not exported from the package). */
export function memoryScope(data: MemoryStoreData): MemoryScope {
  return readScope(data);
}

/**
 * The data behind in-memory stores, shareable between several `createMemoryStores` calls (e.g. to
 * reopen it with another master key). Like PGlite it runs one transaction at a time: operations
 * outside a transaction wait for it to end.
 */
export class MemoryStoreData {
  #state: MemoryState = emptyState();
  #tail: Promise<unknown> = Promise.resolve();

  static {
    readScope = (data) => data.#scope;
  }

  readonly #scope: MemoryScope = {
    run: (section) => this.#exclusive(async () => section(this.#state)),
    transaction: (work) =>
      this.#exclusive(async () => {
        const inner = transactionScope(structuredClone(this.#state));
        const result = await work(inner.scope);
        this.#state = inner.state();
        return result;
      }),
  };

  /** A JSON-able copy of everything stored, as a database dump would show it (bytes as hex). */
  dump(): unknown {
    return JSON.parse(
      JSON.stringify(this.#state, (_key, value: unknown) => {
        if (value instanceof Map) return Object.fromEntries(value);
        if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
        return value;
      }),
    );
  }

  #exclusive<T>(section: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(section, section);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

function transactionScope(initial: MemoryState): { scope: MemoryScope; state: () => MemoryState } {
  let state = initial;
  let tail: Promise<unknown> = Promise.resolve();
  const scope: MemoryScope = {
    run: async (section) => section(state),
    transaction(work) {
      // A nested transaction: a savepoint, one at a time like on the SQL drivers.
      const run = async () => {
        const inner = transactionScope(structuredClone(state));
        const result = await work(inner.scope);
        state = inner.state();
        return result;
      };
      const result = tail.then(run, run);
      tail = result.catch(() => undefined);
      return result;
    },
  };
  return { scope, state: () => state };
}

export function createMemoryStoreData(): MemoryStoreData {
  return new MemoryStoreData();
}
