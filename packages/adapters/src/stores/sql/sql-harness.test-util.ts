import type { Database } from '../../db/database.js';
import { migrateDatabase } from '../../db/migrate-database.js';
import type { StoresHarness } from '../stores-contract.test-util.js';
import { openStores } from './open-stores.js';

const TABLES = [
  'settings, issuer_keys, credentials, status_entries, status_list_versions, status_lists',
  // TRUNCATE fires no row triggers, so the append-only log tables empty too; the sequencer
  // recreates the log_state row it finds missing.
  'log_pending, log_entries, log_nodes, log_state, log_checkpoints, log_keys, log_witnesses, log_cosignatures',
  'api_keys',
  'credential_offers, credential_nonces, holder_key_bindings',
  'presentation_requests, verifier_keys',
].join(', ');

/** A contract harness over one migrated SQL database, emptied with TRUNCATE between tests. */
export function sqlHarness(
  connect: () => Promise<{ database: Database; dispose(): Promise<void> }>,
): StoresHarness {
  let database: Database | undefined;
  let dispose: (() => Promise<void>) | undefined;
  const db = () => {
    if (!database) throw new Error('harness not set up');
    return database;
  };
  return {
    async setup() {
      ({ database, dispose } = await connect());
      await migrateDatabase(database);
    },
    async teardown() {
      await dispose?.();
    },
    async reset() {
      await db().exec(`TRUNCATE ${TABLES}`);
    },
    open(options) {
      // The stores own their database; these share the harness's, so their close() leaves it open.
      const shared: Database = { ...db(), close: async () => {} };
      return openStores({ database: shared, ...options });
    },
    async rawIssuerKey(kid) {
      const rows = await db().query<{ text: string; ciphertext: Uint8Array; nonce: Uint8Array }>(
        `SELECT row_to_json(k)::text AS text, private_key_ciphertext AS ciphertext, private_key_nonce AS nonce
         FROM issuer_keys k WHERE kid = $1`,
        [kid],
      );
      const row = rows[0];
      if (!row) throw new Error('no such key row');
      return {
        text: row.text,
        sealed: { ciphertext: new Uint8Array(row.ciphertext), nonce: new Uint8Array(row.nonce) },
      };
    },
    async rawLogKey() {
      const rows = await db().query<{ kid: string; text: string; ciphertext: Uint8Array; nonce: Uint8Array }>(
        `SELECT kid, row_to_json(k)::text AS text, private_key_ciphertext AS ciphertext, private_key_nonce AS nonce
         FROM log_keys k`,
      );
      const row = rows[0];
      if (!row) throw new Error('no log key row');
      return {
        kid: row.kid,
        text: row.text,
        sealed: { ciphertext: new Uint8Array(row.ciphertext), nonce: new Uint8Array(row.nonce) },
      };
    },
    async rawPresentationRequest(id) {
      const rows = await db().query<{ text: string }>(
        'SELECT row_to_json(r)::text AS text FROM presentation_requests r WHERE id = $1',
        [id],
      );
      return rows[0]?.text ?? 'null';
    },
    sql: (text, params) => db().query(text, params),
  };
}
