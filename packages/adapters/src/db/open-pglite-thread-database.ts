import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AdapterError } from '../errors.js';
import type { Database, Queryable } from './database.js';
import { checkPgliteOptions, type PgliteOptions, textValues } from './open-pglite-database.js';
import {
  fromThreadError,
  type ThreadReply,
  type ThreadRequest,
  type ThreadStart,
} from './pglite-thread-protocol.js';
import { nestedTransactions } from './savepoints.js';

/**
 * The embedded PGlite database of `openPgliteDatabase`, run in a worker thread of its own: the
 * same database and SQL, but the database's work no longer takes turns with this thread's. A bulk
 * import then scores one batch while the database stores the one before (docs/registry.md, "Bulk
 * import on two threads"). Statements started without waiting for each other run one at a time
 * in the order they were started, as on `openPgliteDatabase`; values cross threads by structured
 * cloning (rows as PGlite parses them: jsonb as objects, bytea as Uint8Array, int8 as text).
 */
export async function openPgliteThreadDatabase(options: PgliteOptions): Promise<Database> {
  // Checked here too, before a thread is started for nothing.
  checkPgliteOptions(options);
  const start: ThreadStart = {
    dataDir: options.dataDir,
    ...(options.cacheMegabytes === undefined ? {} : { cacheMegabytes: options.cacheMegabytes }),
  };
  const worker = new Worker(fileURLToPath(threadScript()), { workerData: start });
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  worker.on('message', (message: ThreadReply) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.ok) pending.resolve(message.value);
    else pending.reject(fromThreadError(message.error));
  });
  worker.on('error', (cause) =>
    fail(new AdapterError('DATABASE_UNAVAILABLE', 'the embedded database thread failed', { cause })),
  );
  let closing = false;
  worker.on('exit', () =>
    fail(
      new AdapterError(
        'DATABASE_UNAVAILABLE',
        closing ? 'the embedded database is closed' : 'the embedded database thread has stopped',
      ),
    ),
  );
  const send = <T>(request: DistributiveOmit<ThreadRequest, 'id'>, id = nextId++): Promise<T> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (id !== 0) worker.postMessage({ ...request, id });
    });
  };
  // Reply 0: the database opened in the thread, or why not.
  try {
    await send({ op: 'close' }, 0);
  } catch (error) {
    await worker.terminate();
    throw error;
  }

  const queryable = (tx?: number): Queryable => {
    const on = tx === undefined ? {} : { tx };
    const handle: Queryable = {
      query: <T extends object>(sql: string, params?: readonly unknown[]) =>
        send<T[]>({ op: 'query', ...on, sql, ...(params === undefined ? {} : { params: asText(params) }) }),
      exec: (sql: string) => send<void>({ op: 'exec', ...on, sql }).then(() => undefined),
      transaction: (work) => (tx === undefined ? transaction(work) : nested(work)),
    };
    const nested = nestedTransactions(handle);
    return handle;
  };
  const transaction = async <T>(work: (tx: Queryable) => Promise<T>): Promise<T> => {
    const tx = await send<number>({ op: 'begin' });
    let result: T;
    try {
      result = await work(queryable(tx));
    } catch (error) {
      await send({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await send({ op: 'end', tx, commit: true });
    return result;
  };
  const outer = queryable();
  return {
    driver: 'pglite',
    query: outer.query,
    exec: outer.exec,
    transaction,
    async close() {
      if (failure || closing) return;
      closing = true;
      try {
        await send({ op: 'close' });
      } finally {
        await worker.terminate();
      }
    },
  };
}

/**
 * The parameters as PostgreSQL text where `openPgliteDatabase` would turn them into text anyway
 * (arrays into array literals): the work is done on this thread, and one string crosses instead
 * of an array of them. Others (objects, nested arrays) go as they are.
 */
function asText(params: readonly unknown[]): unknown[] {
  return textValues(params) ?? [...params];
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * The thread's module, built next to this one. Under vitest this module runs from its TypeScript
 * source, and the thread runs the built module (`npm test` builds first).
 */
function threadScript(): URL {
  const built = new URL('./pglite-thread.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  return new URL('../../dist/db/pglite-thread.js', import.meta.url);
}
