import { type CredentialRecord, type CredentialStore, TriesteError } from '@trieste/core';
import { type Queryable, sqlState } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import { checkCredentialRecord, checkPage } from '../record-checks.js';

interface CredentialRow {
  id: string;
  vct: string;
  issuer_kid: string;
  holder_key_thumbprint: string | null;
  status_list_id: string | null;
  status_index: number | null;
  issued_at: number;
  expires_at: number | null;
}

const COLUMNS =
  'id, vct, issuer_kid, holder_key_thumbprint, status_list_id, status_index, issued_at, expires_at';

export function sqlCredentialStore(db: Queryable): CredentialStore {
  return {
    async insert(record) {
      checkCredentialRecord(record);
      let rows: unknown[];
      try {
        // ON CONFLICT DO NOTHING: a duplicate is reported without aborting the caller's transaction.
        rows = await db.query(
          `INSERT INTO credentials (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT DO NOTHING RETURNING id`,
          [
            record.id,
            record.vct,
            record.issuerKid,
            record.holderKeyThumbprint ?? null,
            record.statusListId ?? null,
            record.statusIndex ?? null,
            record.issuedAt,
            record.expiresAt ?? null,
          ],
        );
      } catch (error) {
        if (sqlState(error) === '23503') {
          throw new TriesteError(
            'STATUS_INDEX_OUT_OF_RANGE',
            'credential refers to an unallocated status entry',
            {
              cause: error,
            },
          );
        }
        throw error;
      }
      if (rows.length === 0) {
        throw new AdapterError('DUPLICATE', 'a credential with this id or status entry exists already');
      }
    },
    async get(id) {
      const rows = await db.query<CredentialRow>(`SELECT ${COLUMNS} FROM credentials WHERE id = $1`, [id]);
      return rows[0] && toRecord(rows[0]);
    },
    async list(options) {
      const { limit, offset } = checkPage(options);
      const rows = await db.query<CredentialRow>(
        `SELECT ${COLUMNS} FROM credentials ORDER BY issued_at, id LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return rows.map(toRecord);
    },
  };
}

function toRecord(row: CredentialRow): CredentialRecord {
  return {
    id: row.id,
    vct: row.vct,
    issuerKid: row.issuer_kid,
    ...(row.holder_key_thumbprint === null ? {} : { holderKeyThumbprint: row.holder_key_thumbprint }),
    ...(row.status_list_id === null || row.status_index === null
      ? {}
      : { statusListId: row.status_list_id, statusIndex: row.status_index }),
    issuedAt: row.issued_at,
    ...(row.expires_at === null ? {} : { expiresAt: row.expires_at }),
  };
}
