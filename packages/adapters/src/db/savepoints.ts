import type { Queryable } from './database.js';

/**
 * Nested transactions as savepoints, shared by both drivers. Nested transactions of one
 * transaction are run one at a time: two savepoints interleaved on one connection would release
 * or roll back each other's work. Each savepoint's `work` gets its own handle, whose nested
 * transactions queue among themselves: queued behind their parent, which waits for them, they
 * would never start (issuance nests three deep: credential request → issueCredential → allocate).
 */
export function nestedTransactions(tx: Queryable, level = 1): Queryable['transaction'] {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: (inner: Queryable) => Promise<T>): Promise<T> => {
    const run = async (): Promise<T> => {
      const name = `trieste_sp_${level}`;
      await tx.exec(`SAVEPOINT ${name}`);
      const inner: Queryable = {
        query: <R extends object>(sql: string, params?: readonly unknown[]) => tx.query<R>(sql, params),
        exec: (sql) => tx.exec(sql),
        transaction: (innerWork) => nested(innerWork),
      };
      const nested = nestedTransactions(inner, level + 1);
      try {
        const result = await work(inner);
        await tx.exec(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    };
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  };
}
