import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Database, sqlState } from './database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import { openPgliteThreadDatabase } from './open-pglite-thread-database.js';

/**
 * The embedded database's statement path (one call into PGlite per statement, prepared on first
 * use): values in and out as db.query maps them, errors with their SQLSTATE, and a session that
 * stays usable after a failed statement, inside and outside transactions.
 */
describe.each([
  ['openPgliteDatabase', openPgliteDatabase],
  // The same statements through a worker thread: values, errors and ordering as in this thread.
  ['openPgliteThreadDatabase', openPgliteThreadDatabase],
] as const)('%s statements', (_name, open) => {
  let db: Database;
  beforeEach(async () => {
    db = await open({ dataDir: 'memory://' });
    await db.exec(`CREATE TABLE t (id text PRIMARY KEY, n integer, big bigint, f double precision,
      b boolean, bytes bytea, doc jsonb, note text)`);
  });
  afterEach(async () => {
    await db.close();
  });

  const insert = `INSERT INTO t (id, n, big, f, b, bytes, doc, note)
    VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING id`;

  it('maps every parameter and column type as db.query does, the first time and every later time', async () => {
    const bytes = new Uint8Array([0, 1, 127, 128, 255]);
    for (const id of ['a', 'b', 'c']) {
      expect(
        await db.query(insert, [id, 7, 9007199254740993n, 1.5, true, bytes, '{"k":[1,"é"]}', null]),
      ).toEqual([{ id }]);
    }
    // A view into a larger buffer: only its own bytes are sent.
    const view = new Uint8Array([9, 9, 1, 2, 9]).subarray(2, 4);
    await db.query(insert, ['d', -1, '5', -0.25, false, view, '[]', undefined]);
    const select = 'SELECT n, big, f, b, bytes, doc, note FROM t WHERE id = $1';
    for (let i = 0; i < 2; i++) {
      expect(await db.query(select, ['a'])).toEqual([
        { n: 7, big: '9007199254740993', f: 1.5, b: true, bytes, doc: { k: [1, 'é'] }, note: null },
      ]);
      expect(await db.query(select, ['d'])).toEqual([
        { n: -1, big: '5', f: -0.25, b: false, bytes: new Uint8Array([1, 2]), doc: [], note: null },
      ]);
    }
    expect(await db.query(select, ['none'])).toEqual([]);
    // A statement without rows, and one without parameters.
    expect(await db.query('UPDATE t SET note = $2 WHERE id = $1', ['a', "it's"])).toEqual([]);
    expect(await db.query('SELECT note FROM t WHERE id = $1', ['a'])).toEqual([{ note: "it's" }]);
    expect(await db.query('SELECT count(*)::int AS c FROM t')).toEqual([{ c: 4 }]);
    // Arrays go through PGlite's own serialisers, as before.
    expect(await db.query('SELECT cardinality($1::text[]) AS c', [['x', 'y']])).toEqual([{ c: 2 }]);
  });

  it('takes arrays of text, numbers, booleans and bytes with nulls, quotes and backslashes, every time', async () => {
    const texts = [
      'plain',
      '',
      'a,b',
      '{braces}',
      'quote " and \\ backslash',
      'NULL',
      ' spaced ',
      'é 中',
      null,
    ];
    const bytes = [new Uint8Array([0, 255]), new Uint8Array([]), null, new Uint8Array([92, 34, 44])];
    const numbers = [0, -7, 1.5, 9007199254740993n, null];
    const flags = [true, false, null];
    const statement = `SELECT $1::text[] AS texts, $2::bytea[] AS bytes, $3::numeric[]::text[] AS numbers,
      $4::boolean[] AS flags, (SELECT count(*) FROM unnest($1::text[]) AS u (v) WHERE v IS NULL) AS nulls`;
    for (let i = 0; i < 2; i++) {
      const [row] = await db.query<Record<string, unknown>>(statement, [texts, bytes, numbers, flags]);
      expect(row!['texts']).toEqual(texts);
      expect(row!['bytes']).toEqual(bytes);
      expect(row!['numbers']).toEqual(['0', '-7', '1.5', '9007199254740993', null]);
      expect(row!['flags']).toEqual(flags);
      expect(Number(row!['nulls'])).toBe(1);
      // And inside a transaction (the sequencer's and the import's batched statements).
      const [inside] = await db.transaction((tx) =>
        tx.query<Record<string, unknown>>(statement, [texts, bytes, numbers, flags]),
      );
      expect(inside).toEqual(row);
    }
    expect(await db.query('SELECT cardinality($1::text[]) AS n', [[]])).toEqual([{ n: 0 }]);
  });

  it('reports a failed statement with its SQLSTATE and stays usable, prepared or not', async () => {
    await db.query(insert, ['a', 1, 1, 1, true, new Uint8Array(), '{}', null]);
    for (let i = 0; i < 2; i++) {
      const duplicate = await db
        .query(insert, ['a', 1, 1, 1, true, new Uint8Array(), '{}', null])
        .catch((e) => e);
      expect(sqlState(duplicate)).toBe('23505');
      const invalid = await db
        .query(insert, ['b', 'x', 1, 1, true, new Uint8Array(), '{}', null])
        .catch((e) => e);
      expect(sqlState(invalid)).toBe('22P02');
      const syntax = await db.query('SELEC 1 FROM t WHERE id = $1', ['a']).catch((e) => e);
      expect(sqlState(syntax)).toBe('42601');
    }
    expect(await db.query(insert, ['b', 2, 2, 2, false, new Uint8Array(), '{}', null])).toEqual([
      { id: 'b' },
    ]);
    expect(await db.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 'a' }, { id: 'b' }]);
  });

  it('runs statements inside a transaction: committed, rolled back, and after a failure', async () => {
    await db.transaction(async (tx) => {
      await tx.query(insert, ['a', 1, 1, 1, true, new Uint8Array(), '{}', null]);
      expect(await tx.query('SELECT id FROM t WHERE id = $1', ['a'])).toEqual([{ id: 'a' }]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query(insert, ['b', 1, 1, 1, true, new Uint8Array(), '{}', null]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const failed = await db
      .transaction(async (tx) => {
        await tx.query(insert, ['c', 1, 1, 1, true, new Uint8Array(), '{}', null]);
        await tx.query(insert, ['a', 1, 1, 1, true, new Uint8Array(), '{}', null]);
      })
      .catch((e) => e);
    expect(sqlState(failed)).toBe('23505');
    // Concurrent statements and transactions wait for each other.
    await Promise.all([
      db.transaction(async (tx) => {
        await tx.query(insert, ['d', 1, 1, 1, true, new Uint8Array(), '{}', null]);
      }),
      db.query(insert, ['e', 1, 1, 1, true, new Uint8Array(), '{}', null]),
    ]);
    expect(await db.query('SELECT id FROM t ORDER BY id')).toEqual([{ id: 'a' }, { id: 'd' }, { id: 'e' }]);
  });

  it('never reads rows of a changed table with a description kept from before, and prepares again', async () => {
    const select = 'SELECT * FROM t WHERE id = $1';
    await db.query(insert, ['a', 1, 1, 1, true, new Uint8Array(), '{}', null]);
    expect(await db.query(select, ['a'])).toHaveLength(1);
    await db.exec('ALTER TABLE t ADD COLUMN extra text');
    // PostgreSQL refuses the prepared statement (0A000) rather than return rows of another shape.
    const changed = await db.query(select, ['a']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sqlState(changed)).toBe('0A000');
    // Prepared again under the table's new shape, it reads the new rows.
    expect(Object.keys((await db.query(select, ['a']))[0] ?? {})).toContain('extra');
  });
});

describe('openPgliteDatabase page cache', () => {
  it('sizes the page cache as asked, keeps PGlite’s default otherwise, and refuses a size out of range', async () => {
    const sized = await openPgliteDatabase({ dataDir: 'memory://', cacheMegabytes: 48 });
    try {
      expect(await sized.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '48MB' }]);
      // The rest of PGlite's start parameters still apply.
      expect(await sized.query('SHOW max_worker_processes')).toEqual([{ max_worker_processes: '0' }]);
    } finally {
      await sized.close();
    }
    const plain = await openPgliteDatabase({ dataDir: 'memory://' });
    try {
      expect(await plain.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '128MB' }]);
    } finally {
      await plain.close();
    }
    for (const cacheMegabytes of [0, 8, 1025, 1.5, Number.NaN]) {
      await expect(openPgliteDatabase({ dataDir: 'memory://', cacheMegabytes })).rejects.toThrow(TypeError);
    }
  });
});
