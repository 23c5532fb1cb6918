import type {
  JsonObject,
  PresentationOutcome,
  PresentationRequestRecord,
  PresentationRequestStore,
  PresentationResponseMode,
} from '@trieste/core';
import { ADVISORY_LOCK } from '../../db/advisory-locks.js';
import type { Queryable } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import { cachedVerifierSigner, generateVerifierKey } from '../../keys/verifier-signing-key.js';
import {
  checkOutcome,
  checkPresentationRequest,
  isPresentationRequestId,
  openEncryptionKey,
  openResult,
  type PresentationStoreContext,
  requiredStatusEntries,
  sealEncryptionKey,
  sealResult,
} from '../presentation-request-checks.js';
import { readOrCreateServiceKey } from './sql-service-key.js';

interface RequestRow {
  id: string;
  nonce: string;
  state: string;
  api_key_id: string;
  query: JsonObject;
  purpose: string;
  purpose_code: string | null;
  response_mode: PresentationResponseMode;
  trusted_issuers: string[];
  webhook_url: string | null;
  transaction_data: string[] | null;
  template: JsonObject | null;
  status: PresentationRequestRecord['status'];
  reason: string | null;
  created_at: number;
  expires_at: number;
  answered_at: number | null;
  delete_at: number;
}

const COLUMNS =
  'id, nonce, state, api_key_id, query, purpose, purpose_code, response_mode, trusted_issuers, webhook_url, transaction_data, template, status, reason, created_at, expires_at, answered_at, delete_at';

export function sqlPresentationRequestStore(
  db: Queryable,
  context: PresentationStoreContext,
  now: () => number,
  /** Whether `db` is the database itself (each statement commits) rather than a transaction. */
  root = false,
): PresentationRequestStore {
  const { encryptionKey, signers } = context;
  return {
    async create(record, secrets) {
      checkPresentationRequest(record);
      const sealed = secrets?.encryptionKey
        ? sealEncryptionKey(encryptionKey, record.id, secrets.encryptionKey)
        : undefined;
      // ON CONFLICT DO NOTHING (any unique column): a duplicate is reported without aborting the
      // caller's transaction.
      const rows = await db.query(
        `INSERT INTO presentation_requests (id, nonce, state, api_key_id, query, purpose, response_mode,
           trusted_issuers, webhook_url, status, encryption_key_ciphertext, encryption_key_nonce,
           created_at, expires_at, delete_at, purpose_code, transaction_data, template)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb, $9, 'pending', $10, $11, $12, $13, $14, $15,
           $16::jsonb, $17::jsonb)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          record.id,
          record.nonce,
          record.state,
          record.apiKeyId,
          JSON.stringify(record.query),
          record.purpose,
          record.responseMode,
          JSON.stringify(record.trustedIssuers),
          record.webhookUrl ?? null,
          sealed ? toParam(sealed.ciphertext) : null,
          sealed ? toParam(sealed.nonce) : null,
          record.createdAt,
          record.expiresAt,
          record.deleteAt,
          record.purposeCode ?? null,
          record.transactionData === undefined ? null : JSON.stringify(record.transactionData),
          record.template === undefined ? null : JSON.stringify(record.template),
        ],
      );
      if (rows.length === 0) {
        throw new AdapterError('DUPLICATE', 'a presentation request with this id, nonce or state exists');
      }
    },
    async get(id) {
      if (!isPresentationRequestId(id)) return undefined;
      const rows = await db.query<RequestRow>(`SELECT ${COLUMNS} FROM presentation_requests WHERE id = $1`, [
        id,
      ]);
      return rows[0] && toRecord(rows[0]);
    },
    async encryptionKey(id) {
      if (!isPresentationRequestId(id)) return undefined;
      const rows = await db.query<{ c: Uint8Array | null; n: Uint8Array | null }>(
        'SELECT encryption_key_ciphertext AS c, encryption_key_nonce AS n FROM presentation_requests WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row?.c || !row.n) return undefined;
      return openEncryptionKey(encryptionKey, id, { ciphertext: toBytes(row.c), nonce: toBytes(row.n) });
    },
    async complete(id, outcome, current) {
      checkOutcome(outcome);
      if (!isPresentationRequestId(id)) return undefined;
      const sealed = outcome.result ? sealResult(encryptionKey, id, outcome.result) : undefined;
      // Given the pending record as read, only whether the row was updated is read back.
      const known = current?.id === id && current.status === 'pending' ? current : undefined;
      // One conditional UPDATE: of concurrent answers (on any number of processes) exactly one
      // finds the row pending; the others update nothing and are replays. The status entries the
      // answer relies on are counted VALID in the same statement (a subquery that does not refer
      // to the updated row, which Citus plans as a step of its own).
      const entries = requiredStatusEntries(outcome);
      const rows = await db.query<RequestRow>(
        `UPDATE presentation_requests
         SET status = $2, reason = $3, answered_at = $4, delete_at = $5, result_ciphertext = $6,
             result_nonce = $7, encryption_key_ciphertext = NULL, encryption_key_nonce = NULL
         WHERE id = $1 AND status = 'pending'${
           entries.length === 0
             ? ''
             : ` AND (SELECT count(*) FROM status_entries e
                 JOIN jsonb_to_recordset($8::jsonb) AS r(list_id text, idx integer)
                   ON e.list_id = r.list_id AND e.idx = r.idx
                 WHERE e.status = 0) = $9`
         } RETURNING ${known ? 'id' : COLUMNS}`,
        [
          id,
          outcome.status,
          outcome.reason ?? null,
          outcome.answeredAt,
          outcome.deleteAt,
          sealed ? toParam(sealed.ciphertext) : null,
          sealed ? toParam(sealed.nonce) : null,
          ...(entries.length === 0
            ? []
            : [JSON.stringify(entries.map((e) => ({ list_id: e.listId, idx: e.idx }))), entries.length]),
        ],
      );
      if (!rows[0]) return undefined;
      return known ? withOutcome(known, outcome) : toRecord(rows[0]);
    },
    async result(id) {
      if (!isPresentationRequestId(id)) return undefined;
      const rows = await db.query<{ c: Uint8Array | null; n: Uint8Array | null }>(
        'SELECT result_ciphertext AS c, result_nonce AS n FROM presentation_requests WHERE id = $1',
        [id],
      );
      const row = rows[0];
      if (!row?.c || !row.n) return undefined;
      return openResult(encryptionKey, id, { ciphertext: toBytes(row.c), nonce: toBytes(row.n) });
    },
    async delete(id) {
      if (!isPresentationRequestId(id)) return false;
      const rows = await db.query('DELETE FROM presentation_requests WHERE id = $1 RETURNING id', [id]);
      return rows.length > 0;
    },
    async deleteExpired(at) {
      if (!Number.isFinite(at)) throw new TypeError('now must be a number');
      const rows = await db.query('DELETE FROM presentation_requests WHERE delete_at <= $1 RETURNING id', [
        at,
      ]);
      return rows.length;
    },
    async signer() {
      const stored =
        context.committedKey ??
        (await readOrCreateServiceKey(
          db,
          { table: 'verifier_keys', alg: 'ES256', lock: ADVISORY_LOCK.verifierKey },
          () => generateVerifierKey(encryptionKey, now()),
          (signer) => signers.set(signer),
        ));
      if (root) context.committedKey = stored;
      return cachedVerifierSigner(signers, encryptionKey, stored);
    },
  };
}

/** A pending record as it reads once `outcome` is recorded (as toRecord would read the row). */
function withOutcome(
  record: PresentationRequestRecord,
  outcome: PresentationOutcome,
): PresentationRequestRecord {
  const { reason: _reason, answeredAt: _answeredAt, ...rest } = record;
  return {
    ...rest,
    status: outcome.status,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    answeredAt: outcome.answeredAt,
    deleteAt: outcome.deleteAt,
  };
}

function toRecord(row: RequestRow): PresentationRequestRecord {
  return {
    id: row.id,
    nonce: row.nonce,
    state: row.state,
    apiKeyId: row.api_key_id,
    query: row.query,
    purpose: row.purpose,
    ...(row.purpose_code === null ? {} : { purposeCode: row.purpose_code }),
    responseMode: row.response_mode,
    trustedIssuers: [...row.trusted_issuers],
    ...(row.webhook_url === null ? {} : { webhookUrl: row.webhook_url }),
    ...(row.transaction_data === null ? {} : { transactionData: [...row.transaction_data] }),
    ...(row.template === null ? {} : { template: row.template }),
    status: row.status,
    ...(row.reason === null ? {} : { reason: row.reason }),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    ...(row.answered_at === null ? {} : { answeredAt: row.answered_at }),
    deleteAt: row.delete_at,
  };
}

/** A plain Uint8Array copy: pg returns Buffers that may be views of a shared pool. */
function toBytes(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

/** pg serialises Buffers as bytea; PGlite takes them as Uint8Arrays. */
function toParam(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
