import type { JsonObject, PublicJwk } from '@trieste/core';
import { WalletError } from './wallet-error';

/** A display entry of issuer metadata (OpenID4VCI 1.0 §12.2.4): a name in one locale. */
export interface DisplayName {
  name: string;
  locale?: string;
}

/** How the issuer says a credential and its claims are shown, as published in its metadata. */
export interface CredentialDisplay {
  issuer: DisplayName[];
  credential: DisplayName[];
  claims: Array<{ path: Array<string | number | null>; display: DisplayName[] }>;
  backgroundColor?: string;
  textColor?: string;
}

/**
 * A credential in the wallet. The holder key's private half is a non-extractable WebCrypto key:
 * IndexedDB stores the CryptoKey object itself (structured clone), so the key material never
 * exists as bytes this page could read or send.
 */
export interface StoredCredential {
  id: string;
  /** The issued SD-JWT with every disclosure (never sent whole: presentations select). */
  sdJwt: string;
  holderKey: { privateKey: CryptoKey; publicJwk: PublicJwk };
  issuer: string;
  vct: string;
  /** The verified claims, every disclosure resolved (for display and for choosing disclosures). */
  claims: JsonObject;
  issuedAt?: number;
  expiresAt?: number;
  receivedAt: number;
  display: CredentialDisplay;
  /**
   * One batch of single-use credentials (OpenID4VCI 1.0 §8.2 `proofs`, one key each): the same
   * claims under different keys, salts and signatures, so two presentations cannot be linked by
   * anything they carry. Absent on credentials kept before batches existed (they are reusable).
   */
  batchId?: string;
  /** Shown at most once: marked `usedAt` once shared (or a share was attempted) and never offered again. */
  singleUse?: boolean;
  /** Seconds since the epoch: when this single-use credential was given away. */
  usedAt?: number;
}

/** What the holder gave to whom: kept on the device only. Claim values are not copied here. */
export interface ConsentReceipt {
  id: string;
  /** Seconds since the epoch. */
  at: number;
  kind: 'online' | 'offline';
  outcome: 'shared' | 'declined' | 'failed';
  /** The verifier's name as its signed request states it (online), or what the holder typed (offline). */
  verifierName?: string;
  /** The verifier's client identifier (online) or the KB-JWT audience (offline). */
  audience: string;
  purpose?: string;
  claims: Array<{
    credentialId: string;
    credentialName: string;
    path: Array<string | number>;
    label: string;
  }>;
  /** A failure's code (WalletErrorCode or the verifier's error). */
  code?: string;
}

const DB_NAME = 'trieste-wallet';
const DB_VERSION = 1;
const CREDENTIALS = 'credentials';
const RECEIPTS = 'receipts';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
    tx.onerror = () => reject(tx.error);
  });
}

/** The wallet's storage on this device: credentials with their keys, and consent receipts. */
export interface WalletStore {
  credentials(): Promise<StoredCredential[]>;
  credential(id: string): Promise<StoredCredential | undefined>;
  putCredential(credential: StoredCredential): Promise<void>;
  deleteCredential(id: string): Promise<void>;
  receipts(): Promise<ConsentReceipt[]>;
  addReceipt(receipt: ConsentReceipt): Promise<void>;
}

let opened: Promise<IDBDatabase> | undefined;

function openDatabase(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new WalletError('STORAGE_UNAVAILABLE', 'IndexedDB is not available'));
  opened ??= new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(CREDENTIALS)) db.createObjectStore(CREDENTIALS, { keyPath: 'id' });
      if (!db.objectStoreNames.contains(RECEIPTS)) db.createObjectStore(RECEIPTS, { keyPath: 'id' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () =>
      reject(
        new WalletError('STORAGE_UNAVAILABLE', 'the wallet database cannot be opened', { cause: open.error }),
      );
    open.onblocked = () => reject(new WalletError('STORAGE_UNAVAILABLE', 'the wallet database is blocked'));
  });
  opened.catch(() => {
    opened = undefined;
  });
  return opened;
}

async function all<T>(store: string): Promise<T[]> {
  const db = await openDatabase();
  const tx = db.transaction(store, 'readonly');
  return request(tx.objectStore(store).getAll() as IDBRequest<T[]>);
}

async function write(store: string, change: (s: IDBObjectStore) => void): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction(store, 'readwrite');
  change(tx.objectStore(store));
  await done(tx);
}

export const walletStore: WalletStore = {
  async credentials() {
    const list = await all<StoredCredential>(CREDENTIALS);
    return list.sort((a, b) => b.receivedAt - a.receivedAt);
  },
  async credential(id) {
    const db = await openDatabase();
    const tx = db.transaction(CREDENTIALS, 'readonly');
    return (await request(tx.objectStore(CREDENTIALS).get(id))) as StoredCredential | undefined;
  },
  putCredential: (credential) => write(CREDENTIALS, (s) => s.put(credential)),
  deleteCredential: (id) => write(CREDENTIALS, (s) => s.delete(id)),
  async receipts() {
    const list = await all<ConsentReceipt>(RECEIPTS);
    return list.sort((a, b) => b.at - a.at);
  },
  addReceipt: (receipt) => write(RECEIPTS, (s) => s.add(receipt)),
};

/** A random identifier for records of this device (128 bits, base64url-like hex). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Seconds since the epoch: the wallet's clock (the core takes time as a parameter). */
export const walletClock = { now: () => Date.now() / 1000 };
