import { PGlite, type Transaction } from '@electric-sql/pglite';
import { AdapterError } from '../errors.js';
import type { Database, Queryable } from './database.js';
import { nestedTransactions } from './savepoints.js';

const INT8 = 20;

/**
 * Opens an embedded PGlite database. `dataDir` is a directory (created if missing) or
 * `memory://` for a throwaway in-memory database. PGlite is one connection: it runs one
 * transaction at a time and queues the rest, so transactions are serializable by construction.
 */
export async function openPgliteDatabase(options: { dataDir: string }): Promise<Database> {
  if (typeof options.dataDir !== 'string' || options.dataDir === '') {
    throw new TypeError('dataDir must be a directory path or memory://');
  }
  let db: PGlite;
  try {
    // int8 stays a string, as pg returns it: one value mapping for both drivers.
    db = await PGlite.create(options.dataDir, { parsers: { [INT8]: (value: string) => value } });
  } catch (cause) {
    throw new AdapterError('DATABASE_UNAVAILABLE', 'cannot open the embedded database', { cause });
  }
  return {
    driver: 'pglite',
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      return (await db.query<T>(sql, params ? [...params] : undefined)).rows;
    },
    async exec(sql) {
      await db.exec(sql);
    },
    transaction(work) {
      return db.transaction((tx) => work(wrapTransaction(tx)));
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

function wrapTransaction(tx: Transaction): Queryable {
  const queryable: Queryable = {
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      return (await tx.query<T>(sql, params ? [...params] : undefined)).rows;
    },
    async exec(sql) {
      await tx.exec(sql);
    },
    transaction: (work) => nested(work),
  };
  const nested = nestedTransactions(queryable);
  return queryable;
}
