import {
  type Clock,
  type RandomSource,
  randomIndex,
  type StatusListInfo,
  type StatusListStore,
  type StatusListVersion,
  TriesteError,
} from '@trieste/core';
import { ADVISORY_LOCK } from '../../db/advisory-locks.js';
import { type Queryable, toSafeInteger } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import { checkIndex, newStatusListId } from '../record-checks.js';
import {
  allocationCap,
  checkBits,
  checkSize,
  checkStatusValue,
  MAX_INDEX_PICKS,
  type ResolvedStatusListOptions,
} from '../status-list-options.js';

interface ListRow {
  id: string;
  bits: number;
  size: number;
  allocated: number;
  revision: string | number;
  created_at: number;
}

interface VersionRow {
  list_id: string;
  version: number;
  revision: string | number;
  token: string;
  issued_at: number;
  expires_at: number;
}

const LIST_COLUMNS = 'id, bits, size, allocated, revision, created_at';
const VERSION_COLUMNS = 'list_id, version, revision, token, issued_at, expires_at';

/**
 * StatusListStore over SQL. Lock order, everywhere: the status_lists row first, then entries.
 * Every write to a list (allocate, setStatus, saveVersion) updates its row, so writes to one list
 * are serialized by that row lock until commit, and the revision and version counters can never
 * lose an increment. Row locks are NO KEY UPDATE: they serialize writers but do not conflict with
 * the KEY SHARE locks that foreign-key checks (a credential inserted for an entry) take, so an
 * issuance transaction and a revocation cannot deadlock on one entry.
 */
export function sqlStatusListStore(
  db: Queryable,
  clock: Clock,
  defaults: ResolvedStatusListOptions,
): StatusListStore {
  const outOfRange = () =>
    new TriesteError('STATUS_INDEX_OUT_OF_RANGE', 'status index was not allocated in this list');

  const finalStatus = () =>
    new TriesteError('STATUS_TRANSITION_NOT_ALLOWED', 'the entry has a final status and cannot change');

  async function insertList(tx: Queryable, bits: number, size: number): Promise<StatusListInfo> {
    const rows = await tx.query<ListRow>(
      `INSERT INTO status_lists (id, bits, size, created_at) VALUES ($1, $2, $3, $4) RETURNING ${LIST_COLUMNS}`,
      [newStatusListId(), bits, size, clock.now()],
    );
    return toInfo(rows[0]!);
  }

  /** Claims one allocation in an open list of this shape, opening a list if none has room. */
  async function claimSlot(tx: Queryable, bits: number, size: number, cap: number): Promise<string> {
    const findOpen = async () =>
      (
        await tx.query<{ id: string }>(
          `SELECT id FROM status_lists WHERE bits = $1 AND size = $2 AND allocated < $3
           ORDER BY created_at, id LIMIT 1`,
          [bits, size, cap],
        )
      )[0]?.id;
    for (let attempt = 0; attempt < 16; attempt++) {
      let id = await findOpen();
      if (id === undefined) {
        // One opener at a time; the others wait, then find the list it opened.
        await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [ADVISORY_LOCK.statusListOpen]);
        id = (await findOpen()) ?? (await insertList(tx, bits, size)).id;
      }
      // Re-checked under the row lock: another allocator may have filled the list meanwhile.
      const claimed = await tx.query(
        'UPDATE status_lists SET allocated = allocated + 1 WHERE id = $1 AND allocated < $2 RETURNING id',
        [id, cap],
      );
      if (claimed.length === 1) return id;
    }
    throw new TriesteError('STATUS_LIST_FULL', 'no status list with free entries could be claimed');
  }

  return {
    async createList({ bits, size }) {
      checkBits(bits);
      checkSize(size);
      return insertList(db, bits, size);
    },

    async getList(id) {
      const rows = await db.query<ListRow>(`SELECT ${LIST_COLUMNS} FROM status_lists WHERE id = $1`, [id]);
      return rows[0] && toInfo(rows[0]);
    },

    async lists() {
      const rows = await db.query<ListRow>(
        `SELECT ${LIST_COLUMNS} FROM status_lists ORDER BY created_at, id`,
      );
      return rows.map(toInfo);
    },

    async allocate(random: RandomSource, options = {}) {
      const bits = options.bits ?? defaults.bits;
      const size = options.size ?? defaults.size;
      checkBits(bits);
      checkSize(size);
      const cap = allocationCap(size, defaults.fillThreshold);
      return db.transaction(async (tx) => {
        const listId = await claimSlot(tx, bits, size, cap);
        // The list row is locked until commit, so the only conflicts are committed entries; at a
        // fill below the threshold each pick succeeds with probability above 1 - fillThreshold.
        for (let pick = 0; pick < MAX_INDEX_PICKS; pick++) {
          const idx = randomIndex(random, size);
          const inserted = await tx.query(
            'INSERT INTO status_entries (list_id, idx) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING idx',
            [listId, idx],
          );
          if (inserted.length === 1) return { listId, idx };
        }
        throw new TriesteError('STATUS_LIST_FULL', 'no free status index found in the open list');
      });
    },

    async setStatus(listId, idx, status, options) {
      checkIndex(idx);
      return db.transaction(async (tx) => {
        const lists = await tx.query<{ bits: number; revision: string | number }>(
          'SELECT bits, revision FROM status_lists WHERE id = $1 FOR NO KEY UPDATE',
          [listId],
        );
        const list = lists[0];
        if (!list) throw outOfRange();
        checkStatusValue(status, list.bits);
        const entries = await tx.query<{ status: number }>(
          'SELECT status FROM status_entries WHERE list_id = $1 AND idx = $2 FOR NO KEY UPDATE',
          [listId, idx],
        );
        const previous = entries[0]?.status;
        if (previous === undefined) throw outOfRange();
        if (previous !== status && options?.final?.includes(previous)) throw finalStatus();
        if (previous === status) return { previous, revision: toSafeInteger(list.revision, 'revision') };
        await tx.query('UPDATE status_entries SET status = $3 WHERE list_id = $1 AND idx = $2', [
          listId,
          idx,
          status,
        ]);
        const updated = await tx.query<{ revision: string | number }>(
          'UPDATE status_lists SET revision = revision + 1 WHERE id = $1 RETURNING revision',
          [listId],
        );
        return { previous, revision: toSafeInteger(updated[0]!.revision, 'revision') };
      });
    },

    async getStatus(listId, idx) {
      checkIndex(idx);
      const rows = await db.query<{ status: number }>(
        'SELECT status FROM status_entries WHERE list_id = $1 AND idx = $2',
        [listId, idx],
      );
      const status = rows[0]?.status;
      if (status === undefined) throw outOfRange();
      return status;
    },

    async snapshot(listId) {
      // One statement, so the list's revision and its entries come from one MVCC snapshot.
      const rows = await db.query<ListRow & { idx: number | null; status: number | null }>(
        `SELECT l.id, l.bits, l.size, l.allocated, l.revision, l.created_at, e.idx, e.status
         FROM status_lists l LEFT JOIN status_entries e ON e.list_id = l.id AND e.status <> 0
         WHERE l.id = $1 ORDER BY e.idx`,
        [listId],
      );
      if (!rows[0]) throw new AdapterError('NOT_FOUND', 'no such status list');
      return {
        list: toInfo(rows[0]),
        entries: rows.flatMap((row) =>
          row.idx === null || row.status === null ? [] : [{ idx: row.idx, status: row.status }],
        ),
      };
    },

    async saveVersion(version) {
      return db.transaction(async (tx) => {
        // Claiming the number and locking the list in one statement: versions 1, 2, 3… without gaps.
        const claimed = await tx.query<{ last_version: number; revision: string | number }>(
          'UPDATE status_lists SET last_version = last_version + 1 WHERE id = $1 RETURNING last_version, revision',
          [version.listId],
        );
        const list = claimed[0];
        if (!list) throw new AdapterError('NOT_FOUND', 'no such status list');
        const current = toSafeInteger(list.revision, 'revision');
        if (!Number.isSafeInteger(version.revision) || version.revision < 0 || version.revision > current) {
          throw new TypeError('version revision must be an integer between 0 and the list revision');
        }
        const rows = await tx.query<VersionRow>(
          `INSERT INTO status_list_versions (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
           RETURNING ${VERSION_COLUMNS}`,
          [
            version.listId,
            list.last_version,
            version.revision,
            version.token,
            version.issuedAt,
            version.expiresAt,
          ],
        );
        return toVersion(rows[0]!);
      });
    },

    async latestVersion(listId) {
      const rows = await db.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM status_list_versions WHERE list_id = $1 ORDER BY version DESC LIMIT 1`,
        [listId],
      );
      return rows[0] && toVersion(rows[0]);
    },
  };
}

function toInfo(row: ListRow): StatusListInfo {
  return {
    id: row.id,
    bits: row.bits as StatusListInfo['bits'],
    size: row.size,
    allocated: row.allocated,
    createdAt: row.created_at,
    revision: toSafeInteger(row.revision, 'revision'),
  };
}

function toVersion(row: VersionRow): StatusListVersion {
  return {
    listId: row.list_id,
    version: row.version,
    revision: toSafeInteger(row.revision, 'revision'),
    token: row.token,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
  };
}
