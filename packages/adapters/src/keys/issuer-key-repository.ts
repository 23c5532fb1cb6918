import type { IssuerKeyRecord } from '@trieste/core';
import type { SealedPrivateKey } from './seal-private-key.js';

/**
 * Where custody keeps issuer keys: only sealed private keys ever reach it. Implemented over SQL
 * and in memory; custody's logic (sealing, activation, the signer cache) is shared by both.
 */
export interface IssuerKeyRepository {
  insert(record: IssuerKeyRecord, sealed: SealedPrivateKey): Promise<void>;
  list(): Promise<IssuerKeyRecord[]>;
  get(kid: string): Promise<IssuerKeyRecord | undefined>;
  active(): Promise<IssuerKeyRecord | undefined>;
  sealed(kid: string): Promise<SealedPrivateKey | undefined>;
  /** Makes a pending key active (no other key may be active); returns it, or undefined if not pending. */
  activatePending(kid: string): Promise<IssuerKeyRecord | undefined>;
  /** Retires every active key at `at`; returns the keys it retired. */
  retireActive(at: number): Promise<IssuerKeyRecord[]>;
  /**
   * Queues a transparency log entry in the repository's transaction: inside `exclusive`, it is
   * sequenced only if the key change it records commits.
   */
  appendLogEntry(entry: Uint8Array): Promise<void>;
  /**
   * Runs `work` in a transaction that excludes every other key change (create, rotate), so two
   * rotations at once cannot leave two active keys.
   */
  exclusive<T>(work: (repository: IssuerKeyRepository) => Promise<T>): Promise<T>;
}
