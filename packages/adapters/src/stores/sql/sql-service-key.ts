import type { PublicJwk, Signer } from '@trieste/core';
import type { Queryable } from '../../db/database.js';
import type { SealedPrivateKey } from '../../keys/seal-private-key.js';

/** A sealed single-purpose key of the installation (the log's, the verifier's): one row in its table. */
export interface StoredServiceKey {
  kid: string;
  publicJwk: PublicJwk;
  sealed: SealedPrivateKey;
  createdAt: number;
}

export interface ServiceKeyTable {
  table: 'log_keys' | 'verifier_keys';
  alg: 'EdDSA' | 'ES256';
  /** The advisory lock that makes creation happen once across processes. */
  lock: string;
}

/**
 * Reads the installation's key from its table, or creates it on first use: under an advisory
 * lock, so a second process waits, then finds the first one's key. `onCreated` receives the new
 * signer (to cache it) only when this call created the key.
 */
export async function readOrCreateServiceKey(
  db: Queryable,
  key: ServiceKeyTable,
  create: () => { stored: StoredServiceKey; signer: Signer },
  onCreated: (signer: Signer) => void,
): Promise<StoredServiceKey> {
  return (
    (await readServiceKey(db, key.table)) ??
    db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [key.lock]);
      const existing = await readServiceKey(tx, key.table);
      if (existing) return existing;
      const created = create();
      await tx.query(
        `INSERT INTO ${key.table} (kid, alg, public_jwk, private_key_ciphertext, private_key_nonce, created_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
        [
          created.stored.kid,
          key.alg,
          JSON.stringify(created.stored.publicJwk),
          toParam(created.stored.sealed.ciphertext),
          toParam(created.stored.sealed.nonce),
          created.stored.createdAt,
        ],
      );
      onCreated(created.signer);
      return created.stored;
    })
  );
}

async function readServiceKey(
  db: Queryable,
  table: ServiceKeyTable['table'],
): Promise<StoredServiceKey | undefined> {
  const rows = await db.query<{
    kid: string;
    public_jwk: PublicJwk;
    private_key_ciphertext: Uint8Array;
    private_key_nonce: Uint8Array;
    created_at: number;
  }>(`SELECT kid, public_jwk, private_key_ciphertext, private_key_nonce, created_at FROM ${table}`);
  const row = rows[0];
  return (
    row && {
      kid: row.kid,
      publicJwk: row.public_jwk,
      sealed: {
        ciphertext: new Uint8Array(row.private_key_ciphertext),
        nonce: new Uint8Array(row.private_key_nonce),
      },
      createdAt: row.created_at,
    }
  );
}

/** pg serialises Buffers as bytea; PGlite takes them as Uint8Arrays. */
function toParam(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
