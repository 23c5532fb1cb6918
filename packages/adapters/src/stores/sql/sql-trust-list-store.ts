import {
  type Clock,
  type PublicJwk,
  type Recognition,
  type SignatureAlg,
  TriesteError,
  type TrustedIssuer,
  type TrustListKeyRecord,
  type TrustListStore,
  type TrustListVersion,
} from '@trieste/core';
import { type Queryable, toSafeInteger } from '../../db/database.js';
import { AdapterError } from '../../errors.js';
import type { SignerCache } from '../../keys/create-key-custody.js';
import {
  checkCachedList,
  checkJurisdiction,
  checkKeyAlg,
  checkRecognition,
  checkTrustedIssuer,
  checkVersion,
} from '../../trust-list/trust-list-record-checks.js';
import { cachedTrustListSigner, generateTrustListKey } from '../../trust-list/trust-list-signing-key.js';

/** What the trust list stores share: the clock, the operator key sealing key and signer cache. */
export interface TrustListStoreContext {
  clock: Clock;
  /** From `deriveTrustListKeyEncryptionKey(masterKey)`. */
  encryptionKey: Uint8Array;
  signers: SignerCache;
}

interface KeyRow {
  kid: string;
  alg: SignatureAlg;
  public_jwk: PublicJwk;
  state: TrustListKeyRecord['state'];
  created_at: number;
  retired_at: number | null;
}

interface VersionRow {
  sequence_number: string | number;
  jws: string;
  issued_at: number;
  next_update: number;
  signed_by: string;
}

const KEY_COLUMNS = 'kid, alg, public_jwk, state, created_at, retired_at';
const VERSION_COLUMNS = 'sequence_number, jws, issued_at, next_update, signed_by';

/**
 * TrustListStore over SQL. One lock for everything that changes the operator's list: the
 * trust_list_state row (FOR UPDATE). Entry changes, version numbers and key creation or rotation
 * all happen under it, so no advisory lock is needed and processes on one database take turns.
 */
export function sqlTrustListStore(db: Queryable, context: TrustListStoreContext): TrustListStore {
  const { clock, encryptionKey, signers } = context;

  const readKeys = async (q: Queryable, where = '') =>
    (
      await q.query<KeyRow>(`SELECT ${KEY_COLUMNS} FROM trust_list_keys ${where} ORDER BY created_at, kid`)
    ).map(toKeyRecord);

  const signerOf = async (q: Queryable, record: TrustListKeyRecord) => {
    const cached = signers.get(record.kid);
    if (cached) return cached;
    const rows = await q.query<{ c: Uint8Array; n: Uint8Array }>(
      'SELECT private_key_ciphertext AS c, private_key_nonce AS n FROM trust_list_keys WHERE kid = $1',
      [record.kid],
    );
    const row = rows[0];
    if (!row) throw new AdapterError('NOT_FOUND', 'no such trust list key');
    return cachedTrustListSigner(signers, encryptionKey, record.kid, record.publicJwk, {
      ciphertext: new Uint8Array(row.c),
      nonce: new Uint8Array(row.n),
    });
  };

  const insertKey = async (
    q: Queryable,
    created: ReturnType<typeof generateTrustListKey>['stored'],
  ): Promise<void> => {
    await q.query(
      `INSERT INTO trust_list_keys (kid, alg, public_jwk, private_key_ciphertext, private_key_nonce, state, created_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`,
      [
        created.record.kid,
        created.record.alg,
        JSON.stringify(created.record.publicJwk),
        toParam(created.sealed.ciphertext),
        toParam(created.sealed.nonce),
        created.record.state,
        created.record.createdAt,
      ],
    );
  };

  return {
    lock: () => lockState(db),

    async issuers() {
      const rows = await db.query<{ entry: TrustedIssuer }>(
        'SELECT entry FROM trust_list_issuers ORDER BY id',
      );
      return rows.map((row) => row.entry);
    },

    async getIssuer(id) {
      if (typeof id !== 'string') return undefined;
      const rows = await db.query<{ entry: TrustedIssuer }>(
        'SELECT entry FROM trust_list_issuers WHERE id = $1',
        [id],
      );
      return rows[0]?.entry;
    },

    async putIssuer(issuer) {
      const checked = checkTrustedIssuer(issuer);
      await db.query(
        `INSERT INTO trust_list_issuers (id, entry, status, updated_at) VALUES ($1, $2::jsonb, $3, $4)
         ON CONFLICT (id) DO UPDATE SET entry = EXCLUDED.entry, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at`,
        [checked.id, JSON.stringify(checked), checked.status, clock.now()],
      );
    },

    async recognitions() {
      const rows = await db.query<{ recognition: Recognition }>(
        'SELECT recognition FROM trust_list_recognitions ORDER BY jurisdiction',
      );
      return rows.map((row) => row.recognition);
    },

    async putRecognition(recognition) {
      const checked = checkRecognition(recognition);
      await db.query(
        `INSERT INTO trust_list_recognitions (jurisdiction, recognition, updated_at) VALUES ($1, $2::jsonb, $3)
         ON CONFLICT (jurisdiction) DO UPDATE SET recognition = EXCLUDED.recognition, updated_at = EXCLUDED.updated_at`,
        [checked.jurisdiction, JSON.stringify(checked), clock.now()],
      );
    },

    async deleteRecognition(jurisdiction) {
      if (typeof jurisdiction !== 'string') return false;
      const rows = await db.query(
        'DELETE FROM trust_list_recognitions WHERE jurisdiction = $1 RETURNING jurisdiction',
        [jurisdiction],
      );
      return rows.length > 0;
    },

    async saveVersion(version) {
      checkVersion(version);
      await db.transaction(async (tx) => {
        // Claims the number only if it is the next one: a second writer, or a caller that skipped
        // the lock, finds no row to update.
        await ensureState(tx);
        const claimed = await tx.query(
          'UPDATE trust_list_state SET last_sequence = $1 WHERE last_sequence = $1 - 1 RETURNING last_sequence',
          [version.sequenceNumber],
        );
        if (claimed.length === 0) {
          throw new AdapterError('DUPLICATE', 'the trust list version is not the next sequence number');
        }
        await tx.query(`INSERT INTO trust_list_versions (${VERSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`, [
          version.sequenceNumber,
          version.jws,
          version.issuedAt,
          version.nextUpdate,
          version.signedBy,
        ]);
      });
    },

    async latestVersion() {
      const rows = await db.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM trust_list_versions ORDER BY sequence_number DESC LIMIT 1`,
      );
      return rows[0] && toVersion(rows[0]);
    },

    async getVersion(sequenceNumber) {
      if (!Number.isSafeInteger(sequenceNumber) || sequenceNumber < 1) return undefined;
      const rows = await db.query<VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM trust_list_versions WHERE sequence_number = $1`,
        [sequenceNumber],
      );
      return rows[0] && toVersion(rows[0]);
    },

    keys: () => readKeys(db),

    async signer() {
      const active = (await readKeys(db, "WHERE state = 'active'"))[0];
      if (active) return signerOf(db, active);
      // First use: created under the state row lock, so concurrent processes create one key.
      return db.transaction(async (tx) => {
        await lockState(tx);
        const existing = (await readKeys(tx, "WHERE state = 'active'"))[0];
        if (existing) return signerOf(tx, existing);
        const created = generateTrustListKey(encryptionKey, 'ES256', 'active', clock.now());
        await insertKey(tx, created.stored);
        signers.set(created.signer);
        return created.signer;
      });
    },

    async prepareKey(alg) {
      checkKeyAlg(alg);
      return db.transaction(async (tx) => {
        await lockState(tx);
        const keys = await readKeys(tx);
        if (keys.some((key) => key.state === 'pending')) {
          throw new AdapterError('DUPLICATE', 'a pending trust list key exists already');
        }
        const chosen = alg ?? keys.find((key) => key.state === 'active')?.alg ?? 'ES256';
        const created = generateTrustListKey(encryptionKey, chosen, 'pending', clock.now());
        await insertKey(tx, created.stored);
        signers.set(created.signer);
        return created.stored.record;
      });
    },

    async rotateKey(alg) {
      checkKeyAlg(alg);
      return db.transaction(async (tx) => {
        await lockState(tx);
        const now = clock.now();
        const keys = await readKeys(tx);
        const pending = keys.find((key) => key.state === 'pending');
        const current = keys.find((key) => key.state === 'active');
        // Retired before the new key is active: the unique index admits one active key.
        const retired = (
          await tx.query<KeyRow>(
            `UPDATE trust_list_keys SET state = 'retired', retired_at = $1 WHERE state = 'active' RETURNING ${KEY_COLUMNS}`,
            [now],
          )
        ).map(toKeyRecord);
        let activated: TrustListKeyRecord;
        if (pending) {
          const rows = await tx.query<KeyRow>(
            `UPDATE trust_list_keys SET state = 'active' WHERE kid = $1 RETURNING ${KEY_COLUMNS}`,
            [pending.kid],
          );
          activated = toKeyRecord(rows[0]!);
        } else {
          const created = generateTrustListKey(encryptionKey, alg ?? current?.alg ?? 'ES256', 'active', now);
          await insertKey(tx, created.stored);
          signers.set(created.signer);
          activated = created.stored.record;
        }
        return { activated, retired };
      });
    },

    async saveCachedList(list) {
      checkCachedList(list);
      // Moves the row forward only: an older list never replaces a newer one, even if a caller
      // (or a bug above) lets it through.
      const rows = await db.query(
        `INSERT INTO trust_list_cache (jurisdiction, jws, sequence_number, fetched_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (jurisdiction) DO UPDATE
           SET jws = EXCLUDED.jws, sequence_number = EXCLUDED.sequence_number, fetched_at = EXCLUDED.fetched_at
           WHERE trust_list_cache.sequence_number <= EXCLUDED.sequence_number
         RETURNING jurisdiction`,
        [list.jurisdiction, list.jws, list.sequenceNumber, list.fetchedAt],
      );
      if (rows.length === 0) {
        throw new TriesteError('TRUST_LIST_ROLLBACK', 'a newer list of this jurisdiction is cached');
      }
    },

    async cachedLists() {
      const rows = await db.query<{
        jurisdiction: string;
        jws: string;
        sequence_number: string | number;
        fetched_at: number;
      }>('SELECT jurisdiction, jws, sequence_number, fetched_at FROM trust_list_cache ORDER BY jurisdiction');
      return rows.map((row) => {
        checkJurisdiction(row.jurisdiction);
        return {
          jurisdiction: row.jurisdiction,
          jws: row.jws,
          sequenceNumber: toSafeInteger(row.sequence_number, 'sequence_number'),
          fetchedAt: row.fetched_at,
        };
      });
    },
  };
}

/** Locks the state row (recreated from the versions if a test truncated it) and returns the last sequence. */
async function lockState(db: Queryable): Promise<number> {
  await ensureState(db);
  const rows = await db.query<{ last_sequence: string | number }>(
    'SELECT last_sequence FROM trust_list_state FOR UPDATE',
  );
  return toSafeInteger(rows[0]!.last_sequence, 'last_sequence');
}

async function ensureState(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO trust_list_state (singleton, last_sequence)
     SELECT true, COALESCE(max(sequence_number), 0) FROM trust_list_versions
     ON CONFLICT (singleton) DO NOTHING`,
  );
}

function toKeyRecord(row: KeyRow): TrustListKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: row.public_jwk,
    state: row.state,
    createdAt: row.created_at,
    ...(row.retired_at === null ? {} : { retiredAt: row.retired_at }),
  };
}

function toVersion(row: VersionRow): TrustListVersion {
  return {
    sequenceNumber: toSafeInteger(row.sequence_number, 'sequence_number'),
    jws: row.jws,
    issuedAt: row.issued_at,
    nextUpdate: row.next_update,
    signedBy: row.signed_by,
  };
}

/** pg serialises Buffers as bytea; PGlite takes them as Uint8Arrays. */
function toParam(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
