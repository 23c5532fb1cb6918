import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSyntheticPopulation } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';
import { IMPORT_DATABASE, importPeopleCsv } from './commands/registry/import-people.js';
import { formatPeopleCsvRow, peopleCsvColumns } from './commands/registry/people-csv.js';
import { readConfig } from './config.js';
import { openRuntime } from './runtime.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;

interface Report {
  importId: string;
  rows: number;
  resumed: number;
  counts: { created: number; duplicate: number; queued: number; invalid: number };
  invalid: Array<{ line: number; code: string; errors: string[] }>;
  duplicates: Array<{ line: number; matchId: string }>;
  queued: Array<{ line: number; personId: string; caseId: string }>;
}

/** What a report says row by row, apart from the random ids of what it created. */
const outcomes = (r: Report) => ({
  rows: r.rows,
  counts: r.counts,
  invalid: r.invalid,
  duplicates: r.duplicates.map((d) => d.line),
  queued: r.queued.map((q) => q.line),
});

describe('trieste registry import', () => {
  let dir: string;
  let csv: string;
  // Synthetic adults (no guardian links needed), about one row in six a repeat enrolment.
  const records = generateSyntheticPopulation({ people: 2500, seed: 55, birthYears: [1940, 2000] });
  const columns = peopleCsvColumns(['Latn', 'Arab', 'Cyrl']);
  const lines = [columns.join(','), ...records.map((r) => formatPeopleCsvRow(columns, r.data))];
  // Three broken rows, at known lines (the header is line 1).
  const brokenDate = formatPeopleCsvRow(columns, {
    ...records[3]!.data,
    dateOfBirth: { value: '1990-02-30' },
  });
  lines.splice(9, 0, brokenDate); // line 10
  lines.splice(199, 0, 'Amina,Haddad'); // line 200: too few fields
  lines.splice(299, 0, `x"y${','.repeat(columns.length - 1)}`); // line 300: a stray quote
  const rowCount = lines.length - 1;
  const BATCH = '100';

  const environment = (name: string) => ({
    TRIESTE_DATA_DIR: join(dir, name),
    TRIESTE_ISSUER: 'https://id.xa.example',
  });
  const initialised = async (name: string) => {
    const run = cli(environment(name));
    expect((await run(['init'])).status).toBe(0);
    return run;
  };
  const importAll = async (run: ReturnType<typeof cli>) => {
    const r = await run(['--json', 'registry', 'import', csv, '--batch', BATCH, '--operator', 'importer']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    return JSON.parse(r.stdout) as Report;
  };
  const count = async (name: string, table: string) => {
    const runtime = await openRuntime(readConfig(environment(name)));
    try {
      return Number(
        (await runtime.database.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n,
      );
    } finally {
      await runtime.close();
    }
  };
  let whole: Report;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-registry-import-'));
    csv = join(dir, 'people.csv');
    writeFileSync(csv, `${lines.join('\r\n')}\r\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file it cannot import before writing anything', async () => {
    const run = await initialised('refused');
    const unknown = join(dir, 'unknown.csv');
    writeFileSync(unknown, 'given_name,family_name,birthday\nAmina,Haddad,1990\n');
    expect((await run(['registry', 'import', unknown])).stderr).toBe(
      'trieste: INPUT_INVALID: unknown header column birthday',
    );
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from('given_name,family_name\nJos\xe9,Garc\xeda\n', 'latin1'));
    expect((await run(['registry', 'import', latin1])).stderr).toBe(
      'trieste: INPUT_INVALID: the file is not UTF-8 text',
    );
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    expect((await run(['registry', 'import', empty])).stderr).toBe(
      'trieste: INPUT_INVALID: the file is empty: a header row is needed',
    );
    expect((await run(['registry', 'import', join(dir, 'missing.csv')])).stderr).toBe(
      'trieste: INPUT_UNREADABLE: cannot read the people file',
    );
    expect((await run(['registry', 'import', csv, '--batch', '0'])).stderr).toBe(
      'trieste: USAGE: --batch takes a whole number from 1 to 10000',
    );
    expect(await count('refused', 'registry_persons')).toBe(0);
    // Seven processes that each open the embedded database: over 30 s on a loaded CI machine.
  }, 120_000);

  it('imports deduplicated, reports bad rows by line and code without their values, and skips them', async () => {
    const run = await initialised('whole');
    whole = await importAll(run);
    expect(whole.rows).toBe(rowCount);
    expect(whole.resumed).toBe(0);
    expect(whole.invalid).toEqual([
      { line: 10, code: 'PERSON_INVALID', errors: ['dateOfBirth format'] },
      { line: 200, code: 'INPUT_INVALID', errors: [`2 fields where the header has ${columns.length}`] },
      { line: 300, code: 'INPUT_INVALID', errors: ['a quote inside an unquoted field'] },
    ]);
    const { created, duplicate, queued, invalid } = whole.counts;
    expect(created + duplicate + queued + invalid).toBe(rowCount);
    // Most repeat enrolments are refused or queued rather than created again.
    const repeats = records.filter((r) => r.occurrence > 0).length;
    expect(duplicate + queued).toBeGreaterThan(repeats * 0.9);
    expect(created).toBeGreaterThan(2300);
    expect(await count('whole', 'registry_persons')).toBe(created + queued);
    expect(await count('whole', "registry_cases WHERE state = 'pending'")).toBe(queued);

    // The human report lists the bad rows by line and code, never a value.
    const again = await run(['registry', 'import', csv, '--batch', BATCH]);
    expect(again.stdout).toContain(
      `line 10: PERSON_INVALID: dateOfBirth format\nline 200: INPUT_INVALID: 2 fields`,
    );
    expect(again.stdout).not.toContain('Haddad');
    expect(again.stdout).toMatch(
      new RegExp(
        `^imported ${rowCount.toLocaleString('en')} rows in [\\d.]+ s \\(\\d+ rows/s\\), ${(rowCount - 2).toLocaleString('en')} of them done by an earlier run\n`,
      ),
    );
    // Importing the same file again creates nothing.
    expect(await count('whole', 'registry_persons')).toBe(created + queued);
  }, 240_000);

  it('resumes an import stopped after its first batches: the same outcome row by row, nothing created twice', async () => {
    await initialised('stopped');
    const runtime = await openRuntime(readConfig(environment('stopped')));
    let batches = 0;
    try {
      await expect(
        importPeopleCsv(
          {
            file: csv,
            office: 'bulk import',
            operator: 'cli:importer',
            batch: Number(BATCH),
            onProgress: () => {
              if (++batches === 3) throw new Error('interrupted');
            },
          },
          { stores: runtime.stores, crypto: runtime.crypto, clock: runtime.clock },
        ),
      ).rejects.toThrow('interrupted');
    } finally {
      await runtime.close();
    }
    // The third batch's report stopped it; the fourth batch had started (one is in flight while
    // the one before is reported) and was let finish: four committed batches, none half-written.
    expect(await count('stopped', 'registry_import_rows')).toBe(400);

    const resumed = await importAll(cli(environment('stopped')));
    expect(resumed.resumed).toBe(400);
    expect(outcomes(resumed)).toEqual(outcomes(whole));
    expect(await count('stopped', 'registry_persons')).toBe(whole.counts.created + whole.counts.queued);
    expect(await count('stopped', 'registry_import_rows')).toBe(rowCount - 2);
  }, 240_000);

  it('prepares the next batch only once the batch before has sent its lookup to the database', async () => {
    await initialised('ordered');
    // As the command opens it: the database's answers then come from another thread, between
    // this thread's turns, and the reading of the file could take their turns.
    const runtime = await openRuntime(readConfig(environment('ordered')), IMPORT_DATABASE);
    const events: string[] = [];
    const { stores } = runtime;
    try {
      const watched: typeof stores = {
        ...stores,
        registry: {
          ...stores.registry,
          prepareQueries: (queries) => {
            events.push('prepare');
            return stores.registry.prepareQueries!(queries);
          },
        },
        transaction: (work) =>
          stores.transaction((tx) =>
            work({
              ...tx,
              registry: {
                ...tx.registry,
                findCandidatesForQueries: (queries, options) => {
                  events.push('lookup');
                  return tx.registry.findCandidatesForQueries(queries, options);
                },
              },
            }),
          ),
      };
      const report = await importPeopleCsv(
        { file: csv, office: 'bulk import', operator: 'cli:importer', batch: 500 },
        { stores: watched, crypto: runtime.crypto, clock: runtime.clock },
      );
      expect(report.rows).toBe(rowCount);
      expect(report.counts.invalid).toBe(3);
    } finally {
      await runtime.close();
    }
    // Six batches (2,500 people and their repeats, 500 rows each): each prepared after the lookup
    // of the one before, so reading and preparing never holds a lookup back.
    expect(events.length).toBeGreaterThanOrEqual(12);
    expect(events).toEqual(events.map((_, i) => (i % 2 === 0 ? 'prepare' : 'lookup')));
  }, 240_000);

  it('resumes after the importing process was killed mid-way', async () => {
    await initialised('killed');
    const child = spawn(
      process.execPath,
      [BIN, 'registry', 'import', csv, '--batch', BATCH, '--progress', '--operator', 'importer'],
      { env: { ...process.env, ...environment('killed') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const killed = await new Promise<string>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        // The first progress line: some batches are committed, more are to come.
        const progress = /registry import: ([\d,]+) \/ ([\d,]+) rows/.exec(stderr);
        if (progress && progress[1] !== progress[2]) child.kill('SIGKILL');
      });
      child.on('exit', (_code, signal) => resolve(signal ?? `exit ${_code}: ${stderr}`));
    });
    expect(killed).toBe('SIGKILL');

    const resumed = await importAll(cli(environment('killed')));
    expect(resumed.resumed).toBeGreaterThan(0);
    expect(resumed.resumed).toBeLessThan(rowCount - 2);
    expect(outcomes(resumed)).toEqual(outcomes(whole));
    expect(await count('killed', 'registry_persons')).toBe(whole.counts.created + whole.counts.queued);
  }, 240_000);
});
