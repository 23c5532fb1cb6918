import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AdapterError } from '../errors.js';
import { ADVISORY_LOCK } from './advisory-locks.js';
import { type Queryable, toSafeInteger } from './database.js';

/** The SQL files shipped with the package: `packages/adapters/migrations/NNNN_name.sql`. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('../../migrations/', import.meta.url));

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** SHA-256 of the file, hex: an applied migration that was edited afterwards is refused. */
  checksum: string;
}

/** Reads the migration files of `directory` in version order. */
export async function readMigrations(directory: string = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of names) {
    const match = FILE_NAME.exec(file);
    if (!match)
      throw new AdapterError('MIGRATION_FAILED', `migration file ${file} is not named NNNN_name.sql`);
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new AdapterError('MIGRATION_FAILED', `two migration files have version ${version}`);
    }
    const sql = await readFile(`${directory}/${file}`, 'utf8');
    migrations.push({
      version,
      name: match[2]!,
      sql,
      checksum: createHash('sha256').update(sql).digest('hex'),
    });
  }
  return migrations;
}

/**
 * Applies the pending migrations in version order, in one transaction that holds an advisory lock,
 * so two processes starting at once do not both migrate (the second waits, then finds nothing to
 * do). Each applied version is recorded with its checksum. Idempotent.
 *
 * @returns the versions applied by this call (empty when the schema was up to date).
 */
export async function migrateDatabase(
  db: Queryable,
  options: { directory?: string; now?: () => number } = {},
): Promise<{ applied: number[] }> {
  const migrations = await readMigrations(options.directory);
  const now = options.now ?? (() => Date.now() / 1000);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [ADVISORY_LOCK.migrate]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at double precision NOT NULL
    )`);
    const rows = await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((row) => [toSafeInteger(row.version, 'version'), row.checksum]));
    const applied: number[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new AdapterError(
            'MIGRATION_FAILED',
            `migration ${label(migration)} was edited after it was applied: add a new migration instead`,
          );
        }
        continue;
      }
      try {
        await tx.exec(migration.sql);
      } catch (cause) {
        throw new AdapterError('MIGRATION_FAILED', `migration ${label(migration)} failed`, { cause });
      }
      await tx.query(
        'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)',
        [migration.version, migration.name, migration.checksum, now()],
      );
      applied.push(migration.version);
    }
    return { applied };
  });
}

/** Fails fast when the database has not been migrated to (at least) the shipped schema. */
export async function assertMigrated(db: Queryable, directory?: string): Promise<void> {
  const migrations = await readMigrations(directory);
  const latest = migrations.at(-1)?.version ?? 0;
  let current = 0;
  try {
    const rows = await db.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    current = rows[0]?.version ?? 0;
  } catch (cause) {
    throw new AdapterError('MIGRATION_FAILED', 'the database has no Trieste schema: run the migrations', {
      cause,
    });
  }
  if (current < latest) {
    throw new AdapterError(
      'MIGRATION_FAILED',
      `the database schema is at version ${current}, ${latest} is needed`,
    );
  }
}

function label(migration: Migration): string {
  return `${String(migration.version).padStart(4, '0')}_${migration.name}`;
}
