import type { Queryable } from './database.js';

/**
 * Nested transactions as savepoints, shared by both drivers. Nested transactions of one
 * transaction are run one at a time: two savepoints interleaved on one connection would release
 * or roll back each other's work.
 */
export function nestedTransactions(tx: Queryable): Queryable['transaction'] {
  let depth = 0;
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: (inner: Queryable) => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      const name = `trieste_sp_${++depth}`;
      await tx.exec(`SAVEPOINT ${name}`);
      try {
        const result = await work(tx);
        await tx.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      } finally {
        depth--;
      }
    };
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}
