import type { Database } from './database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import { openPgliteThreadDatabase } from './open-pglite-thread-database.js';
import { openPostgresDatabase } from './open-postgres-database.js';

/** Where the data lives: exactly one of the two. The composition root decides, adapters read no env. */
export interface OpenDatabaseOptions {
  /** A PostgreSQL server: `postgres://user:password@host:port/database`. */
  databaseUrl?: string;
  /** An embedded PGlite data directory (created if missing), or `memory://` for a throwaway one. */
  dataDir?: string;
  /** PostgreSQL only: maximum pool connections (default 10). */
  maxConnections?: number;
  /** PGlite only: its page cache in MB (default PGlite's, 128; see `openPgliteDatabase`). */
  cacheMegabytes?: number;
  /**
   * PGlite only: run the database in a worker thread of its own (`openPgliteThreadDatabase`), so
   * its work overlaps this thread's (a bulk import's).
   */
  thread?: boolean;
}

/** Opens the database named by the options. Does not migrate: call `migrateDatabase` next. */
export function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { databaseUrl, dataDir } = options;
  if ((databaseUrl === undefined) === (dataDir === undefined)) {
    throw new TypeError('give exactly one of databaseUrl and dataDir');
  }
  if (databaseUrl !== undefined) {
    return openPostgresDatabase({
      databaseUrl,
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    });
  }
  return (options.thread === true ? openPgliteThreadDatabase : openPgliteDatabase)({
    dataDir: dataDir as string,
    ...(options.cacheMegabytes === undefined ? {} : { cacheMegabytes: options.cacheMegabytes }),
  });
}
