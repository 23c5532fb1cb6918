/**
 * One small interface over both database drivers (embedded PGlite, PostgreSQL through pg.Pool), so
 * the stores run the same SQL on both. Keep SQL to PostgreSQL 15: the server may be 15 while the
 * embedded PGlite is 18.
 *
 * Value mapping, identical on both drivers: int2/int4/float8 → number, int8 → string (pg cannot
 * return it as a number without losing precision; convert with `toSafeInteger`), bytea →
 * Uint8Array (a Buffer on pg), json/jsonb → parsed value. Pass jsonb parameters as JSON text with an
 * explicit `::jsonb` cast, so a JS array is never turned into a PostgreSQL array by the driver.
 */
export interface Queryable {
  /**
   * Runs one parameterised statement ($1, $2…) and returns its rows. Statements started on one
   * transaction without waiting for each other run one at a time, in the order they were started
   * (PGlite queues them, in process or in its thread; pg queues them on the connection).
   */
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of one or more statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` in a transaction: committed if it resolves, rolled back if it rejects. Inside a
   * transaction this opens a savepoint. Use only the `tx` given to `work` inside it: the outer
   * handle waits for the transaction to end (PGlite is single-connection), so using it there
   * deadlocks on PGlite and escapes the transaction on PostgreSQL.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
}

export interface Database extends Queryable {
  readonly driver: 'pglite' | 'postgres';
  /** Ends the connection(s); the handle cannot be used afterwards. */
  close(): Promise<void>;
}

/** Converts an int8/int4 column value (a string on pg, a number elsewhere) to a safe JS integer. */
export function toSafeInteger(value: unknown, column: string): number {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'bigint' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new RangeError(`column ${column} does not hold a safe integer`);
  }
  return n;
}

/** The SQLSTATE of a driver error, if it has one (both drivers put it in `code`). */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
