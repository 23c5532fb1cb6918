/**
 * The worker-thread side of `openPgliteThreadDatabase`: the embedded database opened here with
 * `openPgliteDatabase`, and each message from the opening thread run on it. A message starts its
 * statement at once, without waiting for the ones before to finish: PGlite runs one statement at a
 * time, in the order they were started, so the order of the messages is kept. A transaction is
 * held open by a promise the opening thread settles with an `end` message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Database, Queryable } from './database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import type { ThreadReply, ThreadRequest, ThreadStart } from './pglite-thread-protocol.js';
import { threadError } from './pglite-thread-protocol.js';

const port = parentPort;
if (!port) throw new Error('pglite-thread runs as a worker thread');

const start = workerData as ThreadStart;
let database: Database;
try {
  database = await openPgliteDatabase({
    dataDir: start.dataDir,
    ...(start.cacheMegabytes === undefined ? {} : { cacheMegabytes: start.cacheMegabytes }),
  });
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: threadError(error) } satisfies ThreadReply);
  process.exit(0);
}
port.postMessage({ id: 0, ok: true, value: null } satisfies ThreadReply);

/** Open transactions: their handle, and how to end them (commit with true). */
const transactions = new Map<number, { tx: Queryable; end: (commit: boolean) => void }>();
/** Promises of the open transactions' ends. */
const ends = new Map<number, Promise<void>>();
let nextTransaction = 1;

const reply = (id: number, work: Promise<unknown>) => {
  work.then(
    (value) => port.postMessage({ id, ok: true, value: value ?? null } satisfies ThreadReply),
    (error: unknown) => port.postMessage({ id, ok: false, error: threadError(error) } satisfies ThreadReply),
  );
};

/** The handle a statement runs on: an open transaction's, or the database's. */
const handle = (tx: number | undefined): Queryable => {
  if (tx === undefined) return database;
  const open = transactions.get(tx);
  if (!open) throw new Error('the transaction has ended');
  return open.tx;
};

port.on('message', (request: ThreadRequest) => {
  switch (request.op) {
    case 'query':
      reply(request.id, (async () => handle(request.tx).query(request.sql, request.params))());
      break;
    case 'exec':
      reply(request.id, (async () => handle(request.tx).exec(request.sql))());
      break;
    case 'begin': {
      const id = nextTransaction++;
      let began: (() => void) | undefined;
      const ready = new Promise<void>((resolve) => {
        began = resolve;
      });
      // Resolves with the transaction's end: committed, or rolled back by the rejection.
      const done = database.transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            transactions.set(id, {
              tx,
              end: (commit) => (commit ? resolve() : reject(new RolledBack())),
            });
            began!();
          }),
      );
      ready.then(() => port.postMessage({ id: request.id, ok: true, value: id } satisfies ThreadReply));
      // Reported to the `end` message; a failure to begin at all is reported here.
      ends.set(id, done);
      done.catch((error: unknown) => {
        if (!transactions.has(id))
          port.postMessage({ id: request.id, ok: false, error: threadError(error) } satisfies ThreadReply);
      });
      break;
    }
    case 'end': {
      const open = transactions.get(request.tx);
      const done = ends.get(request.tx);
      if (!open || !done) {
        reply(request.id, Promise.reject(new Error('the transaction has ended')));
        break;
      }
      transactions.delete(request.tx);
      ends.delete(request.tx);
      open.end(request.commit);
      reply(
        request.id,
        done.catch((error: unknown) => {
          if (!(error instanceof RolledBack)) throw error;
        }),
      );
      break;
    }
    case 'close':
      reply(
        request.id,
        // The opening thread ends this thread once it has the reply.
        database.close(),
      );
      break;
  }
});

/** The rejection that rolls a transaction back on the opening thread's word. */
class RolledBack extends Error {}
