import type { ApiKeyRecord, ApiKeyStore, Clock } from '@trieste/core';
import type { Queryable } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import { checkApiKey, isApiKeyId } from '../api-key-checks.js';

interface ApiKeyRow {
  id: string;
  name: string;
  roles: string[];
  secret_sha256: Uint8Array;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, name, roles, secret_sha256, created_at, revoked_at';

export function sqlApiKeyStore(db: Queryable, clock: Clock): ApiKeyStore {
  return {
    async insert(record, secretHash) {
      checkApiKey(record, secretHash);
      // ON CONFLICT DO NOTHING: a duplicate is reported without aborting the caller's transaction.
      const rows = await db.query(
        `INSERT INTO api_keys (id, name, roles, secret_sha256, created_at)
         VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT DO NOTHING RETURNING id`,
        [record.id, record.name, JSON.stringify(record.roles), secretHash, record.createdAt],
      );
      if (rows.length === 0) throw new AdapterError('DUPLICATE', 'an API key with this id exists already');
    },
    async find(id) {
      if (!isApiKeyId(id)) return undefined;
      const rows = await db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
      const row = rows[0];
      return row && { record: toRecord(row), secretHash: new Uint8Array(row.secret_sha256) };
    },
    async list() {
      const rows = await db.query<ApiKeyRow>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at, id`);
      return rows.map(toRecord);
    },
    async revoke(id) {
      if (!isApiKeyId(id)) throw new AdapterError('NOT_FOUND', 'no such API key');
      const rows = await db.query<ApiKeyRow>(
        `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, clock.now()],
      );
      if (!rows[0]) throw new AdapterError('NOT_FOUND', 'no such API key');
      return toRecord(rows[0]);
    },
  };
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    roles: [...row.roles],
    createdAt: row.created_at,
    ...(row.revoked_at === null ? {} : { revokedAt: row.revoked_at }),
  };
}
