import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import { openPostgresDatabase } from './open-postgres-database.js';
import { createServerTestDatabase } from './test-databases.test-util.js';

// Issuance nests transactions three deep (the credential request, issueCredential, the status
// index allocation): each level must run, and roll back alone, on both drivers.
function nestingSuite(open: () => Promise<{ database: Database; drop(): Promise<void> }>) {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ database, drop } = await open());
    await database.exec('CREATE TABLE nesting (n int PRIMARY KEY)');
  }, 30_000);
  afterAll(() => drop());

  it('runs transactions nested three deep, siblings one after the other', async () => {
    await database.transaction((tx) =>
      tx.transaction(async (one) => {
        await one.query('INSERT INTO nesting VALUES (1)');
        await Promise.all(
          [2, 3].map((n) =>
            one.transaction(async (two) => {
              await two.query('INSERT INTO nesting VALUES ($1)', [n]);
              await two.transaction((three) => three.query('INSERT INTO nesting VALUES ($1)', [n * 10]));
            }),
          ),
        );
      }),
    );
    const rows = await database.query<{ n: number }>('SELECT n FROM nesting ORDER BY n');
    expect(rows.map((r) => r.n)).toEqual([1, 2, 3, 20, 30]);
  });

  it('rolls back an inner level alone', async () => {
    await database.transaction((tx) =>
      tx.transaction(async (one) => {
        await one.query('INSERT INTO nesting VALUES (4)');
        await expect(
          one.transaction(async (two) => {
            await two.query('INSERT INTO nesting VALUES (5)');
            await two.transaction((three) => three.query('INSERT INTO nesting VALUES (6)'));
            throw new Error('undo level two');
          }),
        ).rejects.toThrow('undo level two');
      }),
    );
    const rows = await database.query<{ n: number }>('SELECT n FROM nesting WHERE n BETWEEN 4 AND 6');
    expect(rows.map((r) => r.n)).toEqual([4]);
  });
}

describe('nested transactions on PGlite', () => {
  nestingSuite(async () => {
    const database = await openPgliteDatabase({ dataDir: 'memory://' });
    return { database, drop: () => database.close() };
  });
});

describe('nested transactions on a PostgreSQL server', () => {
  nestingSuite(async () => {
    const server = await createServerTestDatabase();
    const database = await openPostgresDatabase({ databaseUrl: server.url });
    return {
      database,
      drop: async () => {
        await database.close();
        await server.drop();
      },
    };
  });
});
