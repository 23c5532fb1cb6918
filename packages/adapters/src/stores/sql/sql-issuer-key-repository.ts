import type { IssuerKeyRecord, KeyState, PublicJwk, SignatureAlg, TransparencyLogStore } from '@trieste/core';
import { ADVISORY_LOCK } from '../../db/advisory-locks.js';
import type { Queryable } from '../../db/database.js';
import type { IssuerKeyRepository } from '../../keys/issuer-key-repository.js';

interface KeyRow {
  kid: string;
  alg: SignatureAlg;
  public_jwk: PublicJwk;
  state: KeyState;
  created_at: number;
  retired_at: number | null;
}

// Never selects the sealed columns: only `sealed()` reads them, for custody to decrypt.
const COLUMNS = 'kid, alg, public_jwk, state, created_at, retired_at';

/** `log(db)`: the log store over the same handle, so entries join the key change's transaction. */
export function sqlIssuerKeyRepository(
  db: Queryable,
  log: (db: Queryable) => Pick<TransparencyLogStore, 'append'>,
): IssuerKeyRepository {
  return {
    async insert(record, sealed) {
      await db.query(
        `INSERT INTO issuer_keys (kid, alg, public_jwk, private_key_ciphertext, private_key_nonce, state, created_at, retired_at)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)`,
        [
          record.kid,
          record.alg,
          JSON.stringify(record.publicJwk),
          Buffer.from(sealed.ciphertext),
          Buffer.from(sealed.nonce),
          record.state,
          record.createdAt,
          record.retiredAt ?? null,
        ],
      );
    },
    async list() {
      const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM issuer_keys ORDER BY created_at, kid`);
      return rows.map(toRecord);
    },
    async get(kid) {
      const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM issuer_keys WHERE kid = $1`, [kid]);
      return rows[0] && toRecord(rows[0]);
    },
    async active() {
      const rows = await db.query<KeyRow>(`SELECT ${COLUMNS} FROM issuer_keys WHERE state = 'active'`);
      return rows[0] && toRecord(rows[0]);
    },
    async sealed(kid) {
      const rows = await db.query<{ private_key_ciphertext: Uint8Array; private_key_nonce: Uint8Array }>(
        'SELECT private_key_ciphertext, private_key_nonce FROM issuer_keys WHERE kid = $1',
        [kid],
      );
      const row = rows[0];
      return (
        row && {
          ciphertext: new Uint8Array(row.private_key_ciphertext),
          nonce: new Uint8Array(row.private_key_nonce),
        }
      );
    },
    async activatePending(kid) {
      const rows = await db.query<KeyRow>(
        `UPDATE issuer_keys SET state = 'active' WHERE kid = $1 AND state = 'pending' RETURNING ${COLUMNS}`,
        [kid],
      );
      return rows[0] && toRecord(rows[0]);
    },
    async retireActive(at) {
      const rows = await db.query<KeyRow>(
        `UPDATE issuer_keys SET state = 'retired', retired_at = $1 WHERE state = 'active' RETURNING ${COLUMNS}`,
        [at],
      );
      return rows.map(toRecord);
    },
    appendLogEntry: (entry) => log(db).append(entry),
    exclusive(work) {
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [ADVISORY_LOCK.issuerKeys]);
        return work(sqlIssuerKeyRepository(tx, log));
      });
    },
  };
}

function toRecord(row: KeyRow): IssuerKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: row.public_jwk,
    state: row.state,
    createdAt: row.created_at,
    ...(row.retired_at === null ? {} : { retiredAt: row.retired_at }),
  };
}
