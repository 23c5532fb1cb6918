import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors.js';
import { type Database, sqlState } from './database.js';
import { openPgliteThreadDatabase } from './open-pglite-thread-database.js';

/**
 * What the worker thread adds to the embedded database (the statements themselves are tested on
 * both in open-pglite-database.test.ts): statements started together keep their order, nested
 * transactions are savepoints, the data stays on disk across a close, and a closed or failed
 * database says so with a coded error.
 */
describe('openPgliteThreadDatabase', () => {
  const dirs: string[] = [];
  const opened: Database[] = [];
  const open = async (dataDir: string, cacheMegabytes?: number) => {
    const db = await openPgliteThreadDatabase({
      dataDir,
      ...(cacheMegabytes === undefined ? {} : { cacheMegabytes }),
    });
    opened.push(db);
    return db;
  };
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('runs statements started without waiting in the order they were started, in and out of transactions', async () => {
    const db = await open('memory://');
    await db.exec('CREATE TABLE seq (n integer PRIMARY KEY)');
    await Promise.all(Array.from({ length: 50 }, (_, n) => db.query('INSERT INTO seq VALUES ($1)', [n])));
    const inside = await db.transaction(async (tx) => {
      const writes = Array.from({ length: 50 }, (_, n) =>
        tx.query<{ c: number }>(
          'WITH i AS (INSERT INTO seq VALUES ($1) RETURNING n) SELECT count(*)::int AS c FROM seq',
          [50 + n],
        ),
      );
      return (await Promise.all(writes)).map(([row]) => row!.c);
    });
    // Each insert saw exactly the rows of the statements started before it.
    expect(inside).toEqual(Array.from({ length: 50 }, (_, n) => 50 + n));
    expect(await db.query('SELECT count(*)::int AS c FROM seq')).toEqual([{ c: 100 }]);
  });

  it('nests transactions as savepoints, and rolls back the outer one on a failure', async () => {
    const db = await open('memory://');
    await db.exec('CREATE TABLE t (id text PRIMARY KEY)');
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES ($1)', ['kept']);
      await tx
        .transaction(async (inner) => {
          await inner.query('INSERT INTO t VALUES ($1)', ['undone']);
          throw new Error('inner fails');
        })
        .catch(() => undefined);
    });
    const failed = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1)', ['lost']);
        await tx.query('INSERT INTO t VALUES ($1)', ['kept']);
      })
      .catch((e: unknown) => e);
    expect(sqlState(failed)).toBe('23505');
    expect(await db.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 'kept' }]);
  });

  it('keeps its data on disk across a close, with the page cache asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trieste-thread-db-'));
    dirs.push(dir);
    const first = await open(join(dir, 'pg'), 48);
    expect(await first.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '48MB' }]);
    await first.exec('CREATE TABLE t (id text PRIMARY KEY)');
    await first.query('INSERT INTO t VALUES ($1)', ['a']);
    await first.close();
    const again = await open(join(dir, 'pg'));
    expect(await again.query('SELECT id FROM t')).toEqual([{ id: 'a' }]);
  });

  it('refuses bad options, and answers DATABASE_UNAVAILABLE once closed', async () => {
    await expect(openPgliteThreadDatabase({ dataDir: '' })).rejects.toThrow(TypeError);
    await expect(openPgliteThreadDatabase({ dataDir: 'memory://', cacheMegabytes: 8 })).rejects.toThrow(
      TypeError,
    );
    const db = await openPgliteThreadDatabase({ dataDir: 'memory://' });
    await db.close();
    await db.close();
    const closed = await db.query('SELECT 1').catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(AdapterError);
    expect((closed as AdapterError).code).toBe('DATABASE_UNAVAILABLE');
  });
});
