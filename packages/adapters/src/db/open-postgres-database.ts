import pg from 'pg';
import { AdapterError } from '../errors.js';
import { type Database, type Queryable, sqlState } from './database.js';
import { nestedTransactions } from './savepoints.js';

/** Options of a PostgreSQL server connection. */
export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database`; the password never appears in an error. */
  databaseUrl: string;
  /** Maximum pool connections (default 10). */
  maxConnections?: number;
  /**
   * Called with errors of idle pooled connections (server restart, network loss); the pool drops
   * the connection and opens a new one on demand. Default: ignore, so the process does not crash.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens a pg.Pool and checks that the server answers. Transactions take one pooled client and run
 * BEGIN/COMMIT/ROLLBACK on it, at READ COMMITTED; the stores lock rows where they need to.
 */
export async function openPostgresDatabase(options: PostgresDatabaseOptions): Promise<Database> {
  if (typeof options.databaseUrl !== 'string' || options.databaseUrl === '') {
    throw new TypeError('databaseUrl must be a postgres:// connection string');
  }
  const where = describeServer(options.databaseUrl);
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
  pool.on('error', options.onIdleError ?? (() => {}));
  const unavailable = (cause: unknown) =>
    new AdapterError('DATABASE_UNAVAILABLE', `cannot reach PostgreSQL at ${where}`, { cause });
  try {
    await pool.query('SELECT 1');
  } catch (cause) {
    await pool.end().catch(() => {});
    throw unavailable(cause);
  }
  // Connection-level failures become DATABASE_UNAVAILABLE; SQL errors keep their SQLSTATE.
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw isConnectionFailure(error) ? unavailable(error) : error;
    }
  };
  let closed = false;
  return {
    driver: 'postgres',
    query: <T extends object>(sql: string, params?: readonly unknown[]) =>
      guard(async () => (await pool.query(sql, params ? [...params] : undefined)).rows as T[]),
    exec: (sql) => guard(async () => void (await pool.query(sql))),
    async transaction(work) {
      const client = await guard(() => pool.connect());
      let ended = false;
      const tx = clientQueryable(client, () => ended);
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        ended = true;
        client.release();
        return result;
      } catch (error) {
        ended = true;
        // A client whose ROLLBACK fails is broken: destroy it rather than return it to the pool.
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(rolledBack ? undefined : true);
        throw isConnectionFailure(error) ? unavailable(error) : error;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

function clientQueryable(client: pg.PoolClient, ended: () => boolean): Queryable {
  const check = () => {
    if (ended()) throw new TypeError('transaction handle used after its transaction ended');
  };
  const queryable: Queryable = {
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      check();
      return (await client.query(sql, params ? [...params] : undefined)).rows as T[];
    },
    async exec(sql) {
      check();
      await client.query(sql);
    },
    transaction: (work) => nested(work),
  };
  const nested = nestedTransactions(queryable);
  return queryable;
}

function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state === undefined) {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code); // ECONNREFUSED, ECONNRESET, ETIMEDOUT…
  }
  // Class 08: connection exception; 57P01–57P03: the server is shutting down or starting.
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03';
}

function describeServer(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return '(unparseable connection string)';
  }
}
