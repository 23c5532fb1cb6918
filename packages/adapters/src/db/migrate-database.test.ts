import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAdapterError } from '../errors.js';
import { generateMasterKey } from '../keys/master-key.js';
import { openStores } from '../stores/sql/open-stores.js';
import type { Database } from './database.js';
import { MIGRATIONS_DIRECTORY, migrateDatabase, readMigrations } from './migrate-database.js';
import { openPgliteDatabase } from './open-pglite-database.js';
import { openPostgresDatabase } from './open-postgres-database.js';
import { createServerTestDatabase } from './test-databases.test-util.js';

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isAdapterError(e) ? e.code : `uncoded: ${String(e)}`),
  );
}

describe('migrateDatabase on PGlite', () => {
  let db: Database;
  let scratch: string;

  beforeAll(async () => {
    db = await openPgliteDatabase({ dataDir: 'memory://' });
    scratch = await mkdtemp(join(tmpdir(), 'trieste-migrations-'));
  });
  afterAll(async () => {
    await db.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('ships numbered migrations with the package', async () => {
    const migrations = await readMigrations();
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(MIGRATIONS_DIRECTORY).toMatch(/packages[/\\]adapters[/\\]migrations[/\\]?$/);
  });

  it('stores refuse a database that was not migrated', async () => {
    expect(await codeOf(openStores({ database: db, masterKey: generateMasterKey() }))).toBe(
      'MIGRATION_FAILED',
    );
  });

  it('applies every migration once and is idempotent', async () => {
    const all = (await readMigrations()).map((m) => m.version);
    expect(await migrateDatabase(db)).toEqual({ applied: all });
    expect(await migrateDatabase(db)).toEqual({ applied: [] });
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(all);
    await expect(openStores({ database: db, masterKey: generateMasterKey() })).resolves.toBeDefined();
  });

  it('refuses a migration edited after it was applied', async () => {
    const edited = join(scratch, 'edited');
    await cp(MIGRATIONS_DIRECTORY, edited, { recursive: true });
    await writeFile(join(edited, '0001_initial.sql'), '-- edited\nSELECT 1;');
    expect(await codeOf(migrateDatabase(db, { directory: edited }))).toBe('MIGRATION_FAILED');
  });

  it('rolls back a failing migration as a whole', async () => {
    const broken = join(scratch, 'broken');
    await cp(MIGRATIONS_DIRECTORY, broken, { recursive: true });
    await writeFile(join(broken, '9998_good.sql'), 'CREATE TABLE later_one (id integer);');
    await writeFile(join(broken, '9999_bad.sql'), 'CREATE TABLE later_two (id no_such_type);');
    expect(await codeOf(migrateDatabase(db, { directory: broken }))).toBe('MIGRATION_FAILED');
    const tables = await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'later_one'");
    expect(tables).toEqual([]);
  });

  it('refuses a file not named NNNN_name.sql', async () => {
    const odd = join(scratch, 'odd');
    await cp(MIGRATIONS_DIRECTORY, odd, { recursive: true });
    await writeFile(join(odd, 'extra.sql'), 'SELECT 1;');
    expect(await codeOf(migrateDatabase(db, { directory: odd }))).toBe('MIGRATION_FAILED');
  });
});

describe('migrateDatabase on a PostgreSQL server', () => {
  let server: Awaited<ReturnType<typeof createServerTestDatabase>>;
  beforeAll(async () => {
    server = await createServerTestDatabase();
  });
  afterAll(() => server.drop());

  it('migrates once when two processes start at the same time', async () => {
    const first = await openPostgresDatabase({ databaseUrl: server.url });
    const second = await openPostgresDatabase({ databaseUrl: server.url });
    try {
      const results = await Promise.all([migrateDatabase(first), migrateDatabase(second)]);
      const all = (await readMigrations()).map((m) => m.version);
      expect(results.map((r) => r.applied).sort((a, b) => b.length - a.length)).toEqual([all, []]);
      expect(await migrateDatabase(first)).toEqual({ applied: [] });
    } finally {
      await first.close();
      await second.close();
    }
  });
});
