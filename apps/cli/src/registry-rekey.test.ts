import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticPopulation } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';
import { formatPeopleCsvRow, peopleCsvColumns } from './commands/registry/people-csv.js';
import { readConfig } from './config.js';
import { openRuntime } from './runtime.js';

describe('trieste registry rekey', () => {
  let dir: string;
  const environment = () => ({
    TRIESTE_DATA_DIR: join(dir, 'data'),
    TRIESTE_ISSUER: 'https://id.xa.example',
  });
  const keyRows = async () => {
    const runtime = await openRuntime(readConfig(environment()));
    try {
      const rows = await runtime.database.query<{ person_id: string; key: string }>(
        'SELECT person_id, key::text AS key FROM registry_blocking_keys ORDER BY person_id, key',
      );
      return rows.map((r) => `${r.person_id} ${r.key}`);
    } finally {
      await runtime.close();
    }
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-registry-rekey-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every record under the keys enrolment makes now, page by page, and again the same', async () => {
    const run = cli(environment());
    expect((await run(['init'])).status).toBe(0);
    const records = generateSyntheticPopulation({ people: 120, seed: 8, birthYears: [1940, 2000] });
    const columns = peopleCsvColumns(['Latn', 'Arab', 'Cyrl']);
    const csv = join(dir, 'people.csv');
    writeFileSync(
      csv,
      `${[columns.join(','), ...records.map((r) => formatPeopleCsvRow(columns, r.data))].join('\n')}\n`,
    );
    expect((await run(['registry', 'import', csv, '--operator', 'importer'])).status).toBe(0);
    const made = await keyRows();
    expect(made.length).toBeGreaterThan(1000);

    // Records stored by a release that made other keys: here, none at all.
    const runtime = await openRuntime(readConfig(environment()));
    let persons: number;
    try {
      await runtime.database.query('DELETE FROM registry_blocking_keys');
      await runtime.database.query("UPDATE registry_persons SET blocking_keys = '{}'");
      persons = Number(
        (await runtime.database.query<{ n: string }>('SELECT count(*) AS n FROM registry_persons'))[0]!.n,
      );
    } finally {
      await runtime.close();
    }
    expect(await keyRows()).toEqual([]);

    const rekeyed = await run(['--json', 'registry', 'rekey', '--page', '7']);
    expect(rekeyed.status, rekeyed.stderr).toBe(0);
    expect(JSON.parse(rekeyed.stdout)).toMatchObject({ rekeyed: persons });
    expect(await keyRows()).toEqual(made);

    const again = await run(['registry', 'rekey']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      new RegExp(`^re-keyed ${persons.toLocaleString('en')} records in \\d+\\.\\d s\\n?$`),
    );
    expect(await keyRows()).toEqual(made);

    expect((await run(['registry', 'rekey', '--page', '0'])).stderr).toBe(
      'trieste: USAGE: --page takes a whole number from 1 to 10000',
    );
  });
});
