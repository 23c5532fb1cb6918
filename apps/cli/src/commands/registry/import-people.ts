import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  base64urlEncode,
  DEFAULT_IMPORT_BATCH,
  enrolBatch,
  MatchProfileCache,
  type RegistryContext,
} from '@trieste/core';
import { CliError } from '../../errors.js';
import { CsvParser, type CsvRecord } from './parse-csv.js';
import { checkPeopleCsvHeader, type PeopleCsvHeader, personFromCsvRow } from './people-csv.js';

/**
 * The embedded database's page cache during an import, in MB (PGlite's default is 128): a
 * 100,000-person registry's records and key index outgrow the default, and a batch then reads and
 * writes pages through the file system over and over. Two interleaved runs each of a 100,000-person
 * import on one core: 1,547 and 1,509 rows/s against 1,425 and 1,452 (docs/registry.md).
 */
export const IMPORT_CACHE_MEGABYTES = 512;

/**
 * How `trieste registry import` opens the embedded database: with that page cache, in a worker
 * thread of its own, so the database stores one batch while this thread scores the next
 * (docs/registry.md, "Bulk import on two threads").
 */
export const IMPORT_DATABASE = { cacheMegabytes: IMPORT_CACHE_MEGABYTES, thread: true } as const;

export interface ImportPeopleOptions {
  file: string;
  office: string;
  /** Who imports: the registrar recorded on every created record. */
  operator: string;
  /** Rows per transaction (default the core's DEFAULT_IMPORT_BATCH). */
  batch?: number;
  /** Called after every batch. */
  onProgress?: (progress: ImportProgress) => void;
  /** Called for every row once its outcome is known, in file order. */
  onRow?: (row: ImportedRow) => void;
}

export interface ImportProgress {
  /** Rows whose outcome is known, of `total` in the file. */
  done: number;
  total: number;
  /** Rows found done by an earlier, interrupted run. */
  resumed: number;
  /** Since the second pass over the file started. */
  seconds: number;
}

export type ImportOutcome = 'created' | 'duplicate' | 'review' | 'invalid';

/** One row's outcome. References only: no personal data. */
export interface ImportedRow {
  line: number;
  outcome: ImportOutcome;
  /** Imported by an earlier run of the same file. */
  resumed: boolean;
  personId?: string;
  uin?: string;
  /** The record a duplicate row repeats. */
  matchId?: string;
  caseId?: string;
  /** An invalid row: INPUT_INVALID (the CSV itself) or PERSON_INVALID (the jurisdiction's rules). */
  code?: 'INPUT_INVALID' | 'PERSON_INVALID';
  /** An invalid row's broken rules, as `field code` or the CSV rule: never a value. */
  errors?: string[];
}

export interface ImportReport {
  /** `csv:` and the file's SHA-256: the name rows are stored under, so a re-run resumes. */
  importId: string;
  rows: number;
  counts: Record<ImportOutcome, number>;
  /** Rows done by an earlier run (counted in `counts` by what they came to then). */
  resumed: number;
  invalid: Array<{ line: number; code: string; errors: string[] }>;
  duplicates: Array<{ line: number; matchId: string }>;
  review: Array<{ line: number; personId: string; caseId: string }>;
  seconds: number;
  /** Rows per second of this run, resumed rows left out. */
  rowsPerSecond: number;
}

/**
 * `trieste registry import`: enrols every row of a people CSV (people-csv.ts) through the core's
 * `enrolBatch`, so each row is deduplicated against the registry and the rows before it, and a
 * batch is one transaction that also stores what each of its rows came to. The import is named by
 * the file's content hash and each row by its line, so running the same file again after an
 * interruption skips the batches that were committed and does the rest: nothing is created twice
 * and nothing is half-written. A row the CSV grammar or the jurisdiction's rules reject is
 * reported with its line and skipped.
 *
 * Two passes over the file: the first hashes it, checks it is UTF-8 and its header, and counts the
 * rows (for progress), before anything is written; the second imports.
 */
export async function importPeopleCsv(
  options: ImportPeopleOptions,
  context: RegistryContext,
): Promise<ImportReport> {
  const batchSize = options.batch ?? DEFAULT_IMPORT_BATCH;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new CliError('USAGE', '--batch must be a whole number from 1 to 10000');
  }
  const first = await scan(options.file);
  const importId = `csv:${first.digest}`;
  const report: ImportReport = {
    importId,
    rows: first.rows,
    counts: { created: 0, duplicate: 0, review: 0, invalid: 0 },
    resumed: 0,
    invalid: [],
    duplicates: [],
    review: [],
    seconds: 0,
    rowsPerSecond: 0,
  };
  const started = performance.now();
  // The candidates' match profiles, from batch to batch of this run (most candidates recur).
  const profiles = new MatchProfileCache();
  let done = 0;
  const record = (row: ImportedRow) => {
    done++;
    report.counts[row.outcome]++;
    if (row.resumed) report.resumed++;
    if (row.outcome === 'invalid') {
      report.invalid.push({ line: row.line, code: row.code!, errors: row.errors ?? [] });
    } else if (row.outcome === 'duplicate' && row.matchId) {
      report.duplicates.push({ line: row.line, matchId: row.matchId });
    } else if (row.outcome === 'review' && row.personId && row.caseId) {
      report.review.push({ line: row.line, personId: row.personId, caseId: row.caseId });
    }
    options.onRow?.(row);
  };

  // Rows in file order until the batch is full: invalid ones are known at once, the others after
  // their batch ran; reporting waits so every row comes out in order. One batch is in flight while
  // the next is read and prepared: the database stores one while this thread scores the other
  // (docs/registry.md, "Bulk import on two threads"). A batch still waits for the one before to
  // commit before it looks up its candidates (the store's registry lock), so every row is
  // deduplicated against all the rows before it.
  let queued: Array<ImportedRow | { line: number; data: unknown }> = [];
  let valid = 0;
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    const batch = queued;
    queued = [];
    valid = 0;
    const rows = batch.filter((q): q is { line: number; data: unknown } => 'data' in q);
    let lookedUp = () => {};
    const lookup = new Promise<void>((resolve) => {
      lookedUp = resolve;
    });
    const running =
      rows.length > 0
        ? enrolBatch(
            {
              importId,
              registrar: options.operator,
              office: options.office,
              rows: rows.map((r) => ({ rowKey: `line ${r.line}`, data: r.data })),
            },
            context,
            { profiles, onLookup: () => lookedUp(), pause: nextTurn },
          )
        : undefined;
    const previous = inFlight;
    // Settled both before anything is reported: a failure then comes once the other batch is done too.
    inFlight = Promise.allSettled([previous, running]).then(([before, settled]) => {
      if (before.status === 'rejected') throw before.reason;
      if (settled.status === 'rejected') throw settled.reason;
      const result = settled.value;
      const outcomes = new Map<number, ImportedRow>();
      for (const [i, r] of (result?.rows ?? []).entries()) {
        const line = rows[i]!.line;
        outcomes.set(line, {
          line,
          outcome: r.outcome,
          resumed: r.resumed,
          ...(r.personId ? { personId: r.personId } : {}),
          ...(r.uin ? { uin: r.uin } : {}),
          ...(r.matchId ? { matchId: r.matchId } : {}),
          ...(r.caseId ? { caseId: r.caseId } : {}),
          ...(r.outcome === 'invalid' ? { code: 'PERSON_INVALID' as const, errors: r.errors ?? [] } : {}),
        });
      }
      for (const q of batch) record('data' in q ? outcomes.get(q.line)! : q);
      options.onProgress?.({
        done,
        total: report.rows,
        resumed: report.resumed,
        seconds: (performance.now() - started) / 1000,
      });
    });
    // The batch before this one done (or failed) before the next is read; and this one's lookup
    // sent to the database first, or this batch over: reading and preparing the next batch takes
    // this thread for a while, and the database would wait for the lookup all that time.
    await previous;
    if (running) await Promise.race([lookup, running.then(noop, noop)]);
  };

  let second: { digest: string; rows: number };
  try {
    second = await scan(options.file, async (csv, header) => {
      queued.push(toRow(csv, header));
      if (!('outcome' in queued[queued.length - 1]!)) valid++;
      if (valid >= batchSize) await flush();
    });
    if (queued.length > 0) await flush();
  } catch (error) {
    // The batch in flight ends before the error is reported.
    await inFlight.catch(() => undefined);
    throw error;
  }
  await inFlight;
  if (second.digest !== first.digest) {
    throw new CliError(
      'INPUT_INVALID',
      'the file changed while it was imported: the batches done are kept; check the file and run the import again',
    );
  }
  report.seconds = (performance.now() - started) / 1000;
  const fresh = done - report.resumed;
  report.rowsPerSecond = report.seconds > 0 ? fresh / report.seconds : 0;
  return report;
}

function noop(): void {}

/**
 * Resolves after the event loop's next turn for I/O: the database thread's answers that came in
 * meanwhile are taken first (`setImmediate` runs after the poll phase that delivers them).
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function toRow(csv: CsvRecord, header: PeopleCsvHeader): ImportedRow | { line: number; data: unknown } {
  const invalid = (errors: string[], code: 'INPUT_INVALID' | 'PERSON_INVALID'): ImportedRow => ({
    line: csv.line,
    outcome: 'invalid',
    resumed: false,
    code,
    errors,
  });
  if (csv.error) return invalid([csv.error], 'INPUT_INVALID');
  if (csv.fields.length !== header.columns.length) {
    return invalid(
      [`${csv.fields.length} fields where the header has ${header.columns.length}`],
      'INPUT_INVALID',
    );
  }
  const row = personFromCsvRow(header, csv.fields);
  if ('errors' in row) return invalid(row.errors, 'PERSON_INVALID');
  return { line: csv.line, data: row.data };
}

/**
 * One pass over the file: its SHA-256, strict UTF-8 (a BOM is dropped), the header checked, and
 * every row after it handed to `each` (or only counted).
 */
async function scan(
  file: string,
  each?: (record: CsvRecord, header: PeopleCsvHeader) => Promise<void>,
): Promise<{ digest: string; rows: number }> {
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new CsvParser();
  let header: PeopleCsvHeader | undefined;
  let rows = 0;
  const take = async (records: CsvRecord[]) => {
    for (const record of records) {
      if (!header) {
        if (record.error)
          throw new CliError('INPUT_INVALID', `the header row breaks the CSV rules: ${record.error}`);
        header = checkPeopleCsvHeader(record.fields);
        continue;
      }
      rows++;
      if (each) await each(record, header);
    }
  };
  try {
    for await (const chunk of createReadStream(file)) {
      hash.update(chunk as Uint8Array);
      let text: string;
      try {
        text = decoder.decode(chunk as Uint8Array, { stream: true });
      } catch (cause) {
        throw new CliError('INPUT_INVALID', 'the file is not UTF-8 text', { cause });
      }
      await take(parser.push(text));
    }
    let rest: string;
    try {
      rest = decoder.decode();
    } catch (cause) {
      throw new CliError('INPUT_INVALID', 'the file is not UTF-8 text', { cause });
    }
    await take([...parser.push(rest), ...parser.end()]);
  } catch (error) {
    if (error instanceof CliError || !isFileError(error)) throw error;
    throw new CliError('INPUT_UNREADABLE', 'cannot read the people file', { cause: error });
  }
  if (!header) throw new CliError('INPUT_INVALID', 'the file is empty: a header row is needed');
  return { digest: base64urlEncode(new Uint8Array(hash.digest())), rows };
}

/** A system call's failure (ENOENT, EACCES, EISDIR…), as node:fs reports it. */
function isFileError(error: unknown): boolean {
  return error instanceof Error && typeof (error as { syscall?: unknown }).syscall === 'string';
}
