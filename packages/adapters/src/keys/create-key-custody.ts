import {
  type Clock,
  type IssuerKeyCustody,
  type IssuerKeyRecord,
  isSignatureAlg,
  type SignatureAlg,
  type Signer,
  TriesteError,
} from '@trieste/core';
import { generatePrivateJwk, nodeSigner } from '../crypto/node-crypto.js';
import { AdapterError } from '../errors.js';
import {
  issuerKeyActivatedEntry,
  issuerKeyCreatedEntry,
  issuerKeyRetiredEntry,
} from './issuer-key-log-entries.js';
import type { IssuerKeyRepository } from './issuer-key-repository.js';
import { openSealedPrivateKey, sealPrivateKey } from './seal-private-key.js';

/** Decrypted signers kept in memory, most recently used last; shared by a store and its transactions. */
export class SignerCache {
  readonly #signers = new Map<string, Signer>();
  readonly #capacity: number;

  constructor(capacity = 8) {
    if (!Number.isInteger(capacity) || capacity < 0)
      throw new TypeError('signer cache size must be an integer >= 0');
    this.#capacity = capacity;
  }

  get(kid: string): Signer | undefined {
    const signer = this.#signers.get(kid);
    if (signer) {
      this.#signers.delete(kid);
      this.#signers.set(kid, signer);
    }
    return signer;
  }

  set(signer: Signer): void {
    if (this.#capacity === 0) return;
    this.#signers.delete(signer.kid);
    this.#signers.set(signer.kid, signer);
    while (this.#signers.size > this.#capacity)
      this.#signers.delete(this.#signers.keys().next().value as string);
  }
}

export interface KeyCustodyOptions {
  repository: IssuerKeyRepository;
  /** From `deriveIssuerKeyEncryptionKey(masterKey)`. */
  encryptionKey: Uint8Array;
  clock: Clock;
  cache: SignerCache;
}

/**
 * IssuerKeyCustody over a repository of sealed keys. Private keys are generated here, sealed before
 * they reach the repository and decrypted only to build a Signer. The key's state is read from the
 * repository on every `signer()` call, so a key retired by another process stops signing at once;
 * only the decryption is cached.
 *
 * Every change queues its transparency log entries in the transaction that makes it (see
 * issuer-key-log-entries.ts): created, then the keys it retires, then activated.
 *
 * `create(alg)` without `activate` activates the key only when no key is active (the first key);
 * otherwise the new key is pending: listed (so verifiers can learn it ahead of time), not signing
 * until `activate(kid)`. `rotate()` creates and activates in one step.
 */
export function createKeyCustody(options: KeyCustodyOptions): IssuerKeyCustody {
  const { repository, encryptionKey, clock, cache } = options;

  async function createKey(
    alg: SignatureAlg,
    activate: boolean | undefined,
  ): Promise<{ created: IssuerKeyRecord; retired: IssuerKeyRecord[] }> {
    if (!isSignatureAlg(alg)) throw new TypeError('alg must be ES256 or EdDSA');
    const jwk = generatePrivateJwk(alg);
    const signer = nodeSigner(jwk);
    const sealed = sealPrivateKey(encryptionKey, signer.kid, jwk);
    const result = await repository.exclusive(async (repo) => {
      const now = clock.now();
      const willActivate = activate ?? (await repo.active()) === undefined;
      const retired = willActivate ? await repo.retireActive(now) : [];
      const created: IssuerKeyRecord = {
        kid: signer.kid,
        alg,
        publicJwk: signer.publicJwk,
        state: willActivate ? 'active' : 'pending',
        createdAt: now,
      };
      await repo.insert(created, sealed);
      // Logged in the key change's transaction, in the order a reader replays them: the new key,
      // the keys it retires, then its activation, so the log never shows two active keys.
      await repo.appendLogEntry(issuerKeyCreatedEntry(created));
      for (const key of retired) await repo.appendLogEntry(issuerKeyRetiredEntry(key.kid, now));
      if (willActivate) await repo.appendLogEntry(issuerKeyActivatedEntry(created.kid, now));
      return { created, retired };
    });
    cache.set(signer);
    return result;
  }

  return {
    async create(alg, createOptions = {}) {
      return (await createKey(alg, createOptions.activate)).created;
    },
    list: () => repository.list(),
    get: (kid) => repository.get(kid),
    async signer(kid) {
      const record = kid === undefined ? await repository.active() : await repository.get(kid);
      if (record?.state !== 'active') {
        throw new TriesteError(
          'ISSUER_UNKNOWN',
          kid === undefined ? 'no active issuer key' : 'issuer key is unknown or retired',
        );
      }
      const cached = cache.get(record.kid);
      if (cached) return cached;
      const sealed = await repository.sealed(record.kid);
      if (!sealed) throw new TriesteError('ISSUER_UNKNOWN', 'issuer key is unknown or retired');
      const signer = nodeSigner(openSealedPrivateKey(encryptionKey, record.kid, sealed));
      if (signer.kid !== record.kid) {
        throw new AdapterError('MASTER_KEY_INVALID', 'sealed issuer key does not match its public key');
      }
      cache.set(signer);
      return signer;
    },
    async activate(kid) {
      return repository.exclusive(async (repo) => {
        if ((await repo.get(kid))?.state !== 'pending') {
          throw new TriesteError('ISSUER_UNKNOWN', 'only a pending issuer key can be activated');
        }
        const now = clock.now();
        const retired = await repo.retireActive(now);
        const activated = await repo.activatePending(kid);
        if (!activated)
          throw new TriesteError('ISSUER_UNKNOWN', 'only a pending issuer key can be activated');
        for (const key of retired) await repo.appendLogEntry(issuerKeyRetiredEntry(key.kid, now));
        await repo.appendLogEntry(issuerKeyActivatedEntry(kid, now));
        return { activated, retired };
      });
    },
    async rotate(alg) {
      const chosen = alg ?? (await repository.active())?.alg ?? 'ES256';
      return createKey(chosen, true);
    },
  };
}
