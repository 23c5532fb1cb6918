import { type ExecProtocolResult, PGlite, parse, protocol, type Transaction } from '@electric-sql/pglite';
import { AdapterError } from '../errors.js';
import type { Database, Queryable } from './database.js';
import { nestedTransactions } from './savepoints.js';

const INT8 = 20;

/** Statements kept prepared per database (the SQL texts of the stores are a fixed, small set). */
const MAX_PREPARED_STATEMENTS = 256;

/**
 * Opens an embedded PGlite database. `dataDir` is a directory (created if missing) or
 * `memory://` for a throwaway in-memory database. PGlite is one connection: it runs one
 * transaction at a time and queues the rest, so transactions are serializable by construction.
 * `cacheMegabytes` sizes its page cache (`shared_buffers`; PGlite's default is 128 MB), from 16 to
 * 1,024: a bulk import whose working set outgrows the default reads and writes pages through the
 * file system again and again. The cache is memory the process holds from the start.
 */
export async function openPgliteDatabase(options: PgliteOptions): Promise<Database> {
  checkPgliteOptions(options);
  const cache = options.cacheMegabytes;
  let db: PGlite;
  try {
    // int8 stays a string, as pg returns it: one value mapping for both drivers.
    db = await PGlite.create(options.dataDir, {
      parsers: { [INT8]: (value: string) => value },
      ...(cache === undefined
        ? {}
        : { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${cache}MB`] }),
    });
  } catch (cause) {
    throw new AdapterError('DATABASE_UNAVAILABLE', 'cannot open the embedded database', { cause });
  }
  const run = pipelinedQuery(db);
  return {
    driver: 'pglite',
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      const values = textValues(params);
      if (!values) return (await db.query<T>(sql, params ? [...params] : undefined)).rows;
      await db._checkReady();
      // As db.query: after any transaction in progress, then one statement at a time.
      return db._runExclusiveTransaction(() => db.runExclusive(() => run<T>(sql, values, true)));
    },
    async exec(sql) {
      await db.exec(sql);
    },
    transaction(work) {
      return db.transaction((tx) => work(wrapTransaction(db, tx, run)));
    },
    async close() {
      if (!db.closed) await db.close();
    },
  };
}

export interface PgliteOptions {
  dataDir: string;
  cacheMegabytes?: number;
}

/** TypeError for a missing data directory or a page cache out of range (16 to 1,024 MB). */
export function checkPgliteOptions(options: PgliteOptions): void {
  if (typeof options?.dataDir !== 'string' || options.dataDir === '') {
    throw new TypeError('dataDir must be a directory path or memory://');
  }
  const cache = options.cacheMegabytes;
  if (cache !== undefined && (!Number.isInteger(cache) || cache < 16 || cache > 1024)) {
    throw new TypeError('cacheMegabytes must be a whole number from 16 to 1024');
  }
}

type Run = <T>(sql: string, values: Array<string | null>, syncToFs: boolean) => Promise<T[]>;

function wrapTransaction(db: PGlite, tx: Transaction, run: Run): Queryable {
  const queryable: Queryable = {
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      const values = textValues(params);
      if (!values || tx.closed) return (await tx.query<T>(sql, params ? [...params] : undefined)).rows;
      // The transaction holds PGlite's transaction lock; its statements still go one at a time,
      // and are made durable by its COMMIT (as tx.query does, no sync per statement).
      return db.runExclusive(() => run<T>(sql, values, false));
    },
    async exec(sql) {
      await tx.exec(sql);
    },
    transaction: (work) => nested(work),
  };
  const nested = nestedTransactions(queryable);
  return queryable;
}

/**
 * One statement as one call into PGlite, where `db.query` makes six (Parse, Describe, Bind,
 * Describe, Execute, Sync) and parses and plans the text every time. The first use of a SQL text
 * sends Parse (under a name: the statement stays prepared, so PostgreSQL neither parses nor plans
 * it again), Describe, Bind, Execute and Sync together and keeps the row description; later uses
 * send Bind, Execute and Sync only. Should a table change under a prepared statement, PostgreSQL
 * refuses to run it with another row type (so a kept description is never read against other
 * rows), and it is prepared afresh on its next use. Parameters are sent as text with their types
 * left to PostgreSQL (from the statement, as with pg); the rows are read with PGlite's own type
 * parsers. A statement that fails is reported as db.query reports it (PGlite's DatabaseError,
 * SQLSTATE in `code`); the Sync ends the pipeline, so the session is ready for the next one.
 */
function pipelinedQuery(db: PGlite): Run {
  const prepared = new Map<string, { name: string; rows: BackendMessage | undefined }>();
  let counter = 0;
  const { serialize } = protocol;
  const executeAndSync = concat([serialize.execute({}), serialize.sync()]);
  const unnamedTail = concat([serialize.describe({ type: 'P' }), executeAndSync]);
  return async <T>(sql: string, values: Array<string | null>, syncToFs: boolean) => {
    const known = prepared.get(sql);
    let message: Uint8Array;
    let fresh: string | undefined;
    if (known) {
      message = concat([serialize.bind({ statement: known.name, values }), executeAndSync]);
    } else if (prepared.size < MAX_PREPARED_STATEMENTS) {
      fresh = `trieste_${++counter}`;
      message = concat([
        serialize.parse({ name: fresh, text: sql, types: [] }),
        serialize.describe({ type: 'S', name: fresh }),
        serialize.bind({ statement: fresh, values }),
        executeAndSync,
      ]);
    } else {
      // Past the bound, a text is parsed each time as the unnamed statement.
      message = concat([
        serialize.parse({ name: '', text: sql, types: [] }),
        serialize.bind({ statement: '', values }),
        unnamedTail,
      ]);
    }
    const { messages } = await db.execProtocol(message, { syncToFs, throwOnError: false });
    // A statement that parsed stays prepared even if its execution failed.
    if (fresh !== undefined && messages.some((m) => m.name === 'parseComplete')) {
      const described = messages.some((m) => m.name === 'noData' || m.name === 'rowDescription');
      // Kept with its description (a row description, or none for a statement without rows).
      if (described)
        prepared.set(sql, { name: fresh, rows: messages.find((m) => m.name === 'rowDescription') });
    }
    const error = messages.find(isError);
    if (error) {
      // The table changed under the prepared statement (PostgreSQL refuses to run it with another
      // row type): it is dropped, and prepared again on its next use.
      if (known && (error as { code?: unknown }).code === '0A000') {
        prepared.delete(sql);
        const close = concat([serialize.close({ type: 'S', name: known.name }), serialize.sync()]);
        await db.execProtocol(close, { syncToFs: false, throwOnError: false });
      }
      throw error;
    }
    const results = parse.parseResults(known?.rows ? [known.rows, ...messages] : messages, db.parsers);
    return (results[0]?.rows ?? []) as T[];
  };
}

type BackendMessage = ExecProtocolResult['messages'][number];

function isError(message: BackendMessage): message is BackendMessage & Error {
  return message.name === 'error';
}

/**
 * The parameters as PostgreSQL text, or undefined if one is of a kind left to PGlite's own
 * serialisers (arrays, objects): strings as they are (JSON is passed as text with a ::jsonb cast),
 * numbers and bigints in decimal, booleans as t/f, bytes as \x hex, null and undefined as NULL.
 */
export function textValues(params: readonly unknown[] | undefined): Array<string | null> | undefined {
  const values: Array<string | null> = [];
  for (const param of params ?? []) {
    if (param === null || param === undefined) values.push(null);
    else if (typeof param === 'string') values.push(param);
    else if (typeof param === 'number' || typeof param === 'bigint') values.push(param.toString());
    else if (typeof param === 'boolean') values.push(param ? 't' : 'f');
    else if (param instanceof Uint8Array) values.push(byteaText(param));
    else if (Array.isArray(param)) {
      const literal = arrayLiteral(param);
      if (literal === undefined) return undefined;
      values.push(literal);
    } else return undefined;
  }
  return values;
}

function byteaText(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/**
 * A one-dimensional array as PostgreSQL's array literal, as node-postgres writes it for the server
 * (every element double-quoted with `\` and `"` escaped, NULL bare), so the element type comes from
 * the statement (`$1::bytea[]`) on both databases. The batched statements (log sequencing, registry
 * import) then take the one-call path. Anything else (nested arrays, objects) is left to PGlite.
 */
function arrayLiteral(items: readonly unknown[]): string | undefined {
  const parts: string[] = [];
  for (const item of items) {
    let text: string;
    if (item === null || item === undefined) {
      parts.push('NULL');
      continue;
    }
    if (typeof item === 'string') text = item;
    else if (typeof item === 'number' || typeof item === 'bigint') text = item.toString();
    else if (typeof item === 'boolean') text = item ? 't' : 'f';
    else if (item instanceof Uint8Array) text = byteaText(item);
    else return undefined;
    // Escaped only when it holds a `\` or `"`: most values hold neither, and a replace copies each.
    parts.push(NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, '\\$&')}"` : `"${text}"`);
  }
  return `{${parts.join(',')}}`;
}

const NEEDS_ESCAPE = /[\\"]/;
const ESCAPED = /[\\"]/g;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, part) => n + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
