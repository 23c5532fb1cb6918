// The foundational registry section of `npm run bench` (issue 5): synthetic registries built with
// the bulk path on PGlite (the default database, on disk), the import rate, the latency of an
// enrolment with deduplication at each size, and the matcher's precision and recall on the
// synthetic set; then the same import on a PostgreSQL server, when one answers. scripts/bench.mjs calls `benchRegistry` and puts `report()` in BENCHMARKS.md; run
// alone (`node scripts/bench-registry.mjs`, after `tsc -b`) it prints the section.
//
// Environment (all optional):
//   TRIESTE_BENCH_REGISTRY_SIZES       registry sizes in synthetic people, ascending, comma-separated
//                                      (default 100000,1000000); `none` skips the section
//   TRIESTE_BENCH_REGISTRY_BUDGET_SECONDS  time for the whole section (default 660); the build stops
//                                      before a chunk it cannot finish in time, and the report says
//                                      which sizes were not reached
//   TRIESTE_BENCH_REGISTRY_ENROLMENTS  timed enrolments per size (default 300)
//   TRIESTE_BENCH_REGISTRY_CHUNK       people generated and imported per CSV file (default 50000)
//   TRIESTE_BENCH_REGISTRY_BATCH       rows per import transaction (default: the CLI's, 2000)
//   TRIESTE_BENCH_REGISTRY_DIR         where the database lives (default a temporary directory,
//                                      removed afterwards)
//   TRIESTE_BENCH_REGISTRY_IMPORTED    synthetic people built through the real import (default
//                                      100000): the import rate and the matcher's precision and recall
//                                      are measured on them. The registry is filled beyond with the
//                                      base-population loader (distinct people, no deduplication:
//                                      keys and records written in large batches), so the largest size
//                                      fits the budget; the enrolment latency at every size still goes
//                                      through enrolPerson with its deduplication. `all` imports every size.
//   TRIESTE_BENCH_REGISTRY_PG          a PostgreSQL server to measure the same import on (a connection
//                                      URL to a database it may create databases from; default
//                                      TRIESTE_TEST_DATABASE_URL, as the rest of the bench, else
//                                      postgres://postgres@127.0.0.1:5432/postgres); `off` skips it.
//                                      Skipped, and said so, when the server does not answer. The import
//                                      runs into a database of its own, dropped afterwards.
//   TRIESTE_BENCH_REGISTRY_PG_PEOPLE   synthetic people imported on PostgreSQL (default 100000): the
//                                      first files of the PGlite build, the same rows
//   TRIESTE_BENCH_REGISTRY_PG_SECONDS  time for the PostgreSQL import (default 120); it stops before a
//                                      file it cannot finish in time
//   TRIESTE_BENCH_REGISTRY_EVALUATE    people for core evaluateMatcher (default 100000, `off` skips):
//                                      the matcher's precision and recall with every review adjudicated,
//                                      on seed 1000, which the thresholds were not chosen on
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

/** Targets of issue 5. */
export const REGISTRY_TARGETS = Object.freeze({
  importPerSecond: 2000,
  p95Ms: 50,
  p95AtPeople: 1_000_000,
  recall: 0.98,
  precision: 0.99,
});

const fmt = (n) => Math.round(n).toLocaleString('en');
const ms = (n) => (n === undefined ? '—' : n < 10 ? n.toFixed(2) : n.toFixed(1));
const ratio = (a, b) => (b === 0 ? 1 : a / b);

function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function readOptions(env) {
  const sizesText = (env.TRIESTE_BENCH_REGISTRY_SIZES ?? '100000,1000000').trim();
  const sizes =
    sizesText === 'none' || sizesText === ''
      ? []
      : sizesText
          .split(',')
          .map((s) => Number(s.trim()))
          .sort((a, b) => a - b);
  if (sizes.some((s) => !Number.isSafeInteger(s) || s < 1)) {
    throw new TypeError('TRIESTE_BENCH_REGISTRY_SIZES takes positive whole numbers, comma-separated');
  }
  const number = (name, fallback) => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new TypeError(`${name} must be a positive number`);
    return value;
  };
  return {
    sizes,
    budgetSeconds: number('TRIESTE_BENCH_REGISTRY_BUDGET_SECONDS', 660),
    enrolments: Math.round(number('TRIESTE_BENCH_REGISTRY_ENROLMENTS', 300)),
    chunk: Math.round(number('TRIESTE_BENCH_REGISTRY_CHUNK', 50_000)),
    batch:
      env.TRIESTE_BENCH_REGISTRY_BATCH === undefined
        ? undefined
        : Math.round(number('TRIESTE_BENCH_REGISTRY_BATCH', 2000)),
    dir: env.TRIESTE_BENCH_REGISTRY_DIR,
    imported:
      (env.TRIESTE_BENCH_REGISTRY_IMPORTED ?? '').trim() === 'all'
        ? Number.POSITIVE_INFINITY
        : Math.round(number('TRIESTE_BENCH_REGISTRY_IMPORTED', 100_000)),
    pg:
      (env.TRIESTE_BENCH_REGISTRY_PG ?? '').trim() === 'off'
        ? undefined
        : env.TRIESTE_BENCH_REGISTRY_PG ||
          env.TRIESTE_TEST_DATABASE_URL ||
          'postgres://postgres@127.0.0.1:5432/postgres',
    pgPeople: Math.round(number('TRIESTE_BENCH_REGISTRY_PG_PEOPLE', 100_000)),
    pgSeconds: number('TRIESTE_BENCH_REGISTRY_PG_SECONDS', 120),
    evaluate:
      (env.TRIESTE_BENCH_REGISTRY_EVALUATE ?? '').trim() === 'off'
        ? 0
        : Math.round(number('TRIESTE_BENCH_REGISTRY_EVALUATE', 100_000)),
  };
}

/**
 * Builds the registry size by size and measures it. Returns the figures and `report()`, the
 * BENCHMARKS.md section. `core` and `adapters` are the built packages (scripts/bench.mjs passes them).
 */
export async function benchRegistry({ core, adapters, log = console.log, env = process.env }) {
  const options = readOptions(env);
  if (options.sizes.length === 0) return { skipped: true, report: () => skippedMarkdown() };
  // The CLI's import, as `trieste registry import` runs it: CSV parsing, deduplication (core
  // enrolBatch), per-row outcomes stored for resuming.
  const cli = new URL('../apps/cli/dist/commands/registry/', import.meta.url);
  const { importPeopleCsv, IMPORT_CACHE_MEGABYTES, IMPORT_DATABASE } = await import(
    new URL('import-people.js', cli).href
  );
  const { formatPeopleCsvRow, peopleCsvColumns } = await import(new URL('people-csv.js', cli).href);

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'trieste-bench-registry-'));
  // The import opens the embedded database as `trieste registry import` does (IMPORT_DATABASE: its
  // page cache, in a worker thread of its own); the loader and the timed enrolments reopen the same
  // database in this thread, as the server opens it, with the same page cache.
  const clock = { now: () => Date.now() / 1000 };
  const masterKey = adapters.generateMasterKey();
  // The synthetic population has minors but no guardian links: the jurisdiction's guardian rule is
  // left out here, every other rule of the demo jurisdiction applies.
  const rules = { ...core.DEFAULT_JURISDICTION_RULES, guardianRequiredUnder: undefined };
  const context = { stores: undefined, crypto: adapters.nodeCrypto(), clock, rules };
  let database;
  let stores;
  let threaded;
  const useDatabase = async (thread) => {
    if (database && threaded === thread) return;
    await database?.close();
    database = await adapters.openDatabase({
      dataDir: join(dir, 'pg'),
      ...(thread ? IMPORT_DATABASE : { cacheMegabytes: IMPORT_CACHE_MEGABYTES }),
    });
    threaded = thread;
    await adapters.migrateDatabase(database);
    stores = await adapters.openStores({ database, masterKey, clock });
    context.stores = stores;
  };
  await useDatabase(true);
  const columns = peopleCsvColumns(['Latn', 'Arab', 'Cyrl']);
  const csv = join(dir, 'chunk.csv');

  const newTruth = () => ({
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    refusals: 0,
    refusalsRight: 0,
    invalid: 0,
    repeats: 0,
  });
  // Ground truth: every synthetic person is (chunk, number); the registry's record ids map to them.
  const truth = newTruth();
  const personOf = new Map();
  let people = 0;
  let chunkIndex = 0;
  let lastChunkRate;
  const sizes = [];
  const notReached = [];
  const latencyReserve = 20 + options.enrolments * 0.1;

  // One CSV file of synthetic people (the seed names the file: the same seed, the same rows)
  // imported into the registry of `into`, each row's outcome counted in `tally` against the truth.
  const importFile = async (count, seedIndex, into, tally, owners) => {
    const records = core.generateSyntheticPopulation({ people: count, seed: 1000 + seedIndex });
    writeFileSync(
      csv,
      `${[columns.join(','), ...records.map((r) => formatPeopleCsvRow(columns, r.data))].join('\r\n')}\r\n`,
    );
    const base = seedIndex * 10_000_000;
    const cpu = process.cpuUsage();
    const report = await importPeopleCsv(
      {
        file: csv,
        office: 'bench',
        operator: 'cli:bench',
        ...(options.batch === undefined ? {} : { batch: options.batch }),
        onRow: (row) => {
          const record = records[row.line - 2];
          if (!record) throw new Error(`no synthetic record for line ${row.line}`);
          const who = base + record.person;
          const repeat = record.occurrence > 0;
          if (row.outcome === 'invalid') {
            tally.invalid++;
            return;
          }
          if (repeat) tally.repeats++;
          const stopped = row.outcome !== 'created';
          if (repeat && stopped) tally.tp++;
          else if (repeat) tally.fn++;
          else if (stopped) tally.fp++;
          else tally.tn++;
          if (row.outcome === 'duplicate') {
            tally.refusals++;
            if (owners.get(row.matchId) === who) tally.refusalsRight++;
          } else if (row.personId) owners.set(row.personId, who);
        },
      },
      into,
    );
    const used = process.cpuUsage(cpu);
    return { rows: report.rows, seconds: report.seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  };
  const importChunk = async (count) => {
    await useDatabase(true);
    const chunk = await importFile(count, chunkIndex, context, truth, personOf);
    chunkIndex++;
    people += count;
    return chunk;
  };

  // The same import on a PostgreSQL server, where a national registry's bulk import would run: the
  // database works in the server's process, so this process's CPU time is the import's own work.
  // The first files of the PGlite build, into a database of its own, dropped afterwards.
  const importOnPostgres = async () => {
    if (options.pg === undefined) return undefined;
    let admin;
    try {
      admin = await adapters.openPostgresDatabase({ databaseUrl: options.pg, maxConnections: 1 });
    } catch (error) {
      log(`registry import on PostgreSQL: not measured (${error.message})`);
      return { skipped: error.message };
    }
    const name = `trieste_bench_registry_${process.pid}`;
    const url = new URL(options.pg);
    url.pathname = `/${name}`;
    await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.exec(`CREATE DATABASE ${name}`);
    let server;
    try {
      server = await adapters.openPostgresDatabase({ databaseUrl: url.toString(), maxConnections: 2 });
      await adapters.migrateDatabase(server);
      const serverStores = await adapters.openStores({
        database: server,
        masterKey: adapters.generateMasterKey(),
        clock,
      });
      const into = { ...context, stores: serverStores };
      const tally = newTruth();
      const owners = new Map();
      const t0 = performance.now();
      const done = { people: 0, rows: 0, seconds: 0, cpuSeconds: 0, tally };
      for (let file = 0; done.people < options.pgPeople; file++) {
        const count = Math.min(options.chunk, options.pgPeople - done.people);
        const rate = done.rows > 0 ? done.rows / done.seconds : undefined;
        const spent = (performance.now() - t0) / 1000;
        if (rate && spent + (count * 1.22) / rate > options.pgSeconds) break;
        const chunk = await importFile(count, file, into, tally, owners);
        done.people += count;
        done.rows += chunk.rows;
        done.seconds += chunk.seconds;
        done.cpuSeconds += chunk.cpuSeconds;
        log(
          `${'registry import on PostgreSQL'.padEnd(52)} ${fmt(done.people).padStart(10)} people, ${fmt(chunk.rows / chunk.seconds)} rows/s, ${((1000 * chunk.cpuSeconds) / chunk.rows).toFixed(2)} CPU-s per 1,000 rows`,
        );
      }
      return done;
    } finally {
      await server?.close();
      await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    }
  };

  // The base-population loader: distinct synthetic people (each person's first record), their
  // blocking keys computed by the core as an enrolment would, written with the store's bulk insert,
  // without deduplication. For sizes beyond what the budget lets the import build.
  const loaded = { rows: 0, seconds: 0, indexSeconds: 0 };
  let lastLoadRate;
  // While it loads, the key table has no index: tens of thousands of rows a batch go into the
  // heap alone, and the index is built once afterwards by sorting (`CREATE INDEX`), several
  // times cheaper than inserting every row into a b-tree that outgrows the cache. Only between two
  // measured sizes: every timed enrolment, and the import, run with the index in place.
  let keyIndexDropped = false;
  // Seconds per person of a key index build, from the last one (a guess before the first).
  let indexSecondsPerPerson = 40e-6;
  const dropKeyIndex = async () => {
    if (keyIndexDropped) return;
    await database.exec('DROP INDEX registry_blocking_keys_key');
    keyIndexDropped = true;
  };
  const buildKeyIndex = async () => {
    if (!keyIndexDropped) return;
    const t0 = performance.now();
    await database.exec('CREATE INDEX registry_blocking_keys_key ON registry_blocking_keys (key)');
    keyIndexDropped = false;
    const seconds = (performance.now() - t0) / 1000;
    loaded.seconds += seconds;
    loaded.indexSeconds += seconds;
    indexSecondsPerPerson = seconds / Math.max(1, people);
    log(
      `${'registry build (key index built)'.padEnd(52)} ${fmt(people).padStart(10)} people, ${seconds.toFixed(1)} s`,
    );
  };
  const fillChunk = async (count) => {
    await useDatabase(false);
    await dropKeyIndex();
    const t0 = performance.now();
    const records = core
      .generateSyntheticPopulation({ people: count, seed: 1000 + chunkIndex, duplicateRate: 0 })
      .filter((r) => r.occurrence === 0);
    const crypto = context.crypto;
    for (let i = 0; i < records.length; i += 5000) {
      const at = clock.now();
      const batch = records.slice(i, i + 5000).map((r) => ({
        id: core.newRegistryId(crypto),
        state: 'active',
        data: r.data,
        enrolment: { registrar: 'cli:bench-loader', office: 'bench', at },
        blockingKeys: core.storedBlockingKeys(core.matchProfile(r.data)),
      }));
      await stores.transaction((tx) => tx.registry.insertPersons(batch, () => core.generateUin(crypto)));
    }
    const seconds = (performance.now() - t0) / 1000;
    loaded.rows += records.length;
    loaded.seconds += seconds;
    lastLoadRate = records.length / seconds;
    chunkIndex++;
    people += count;
    return { rows: records.length, seconds };
  };

  const measureLatency = async (seed) => {
    await useDatabase(false);
    const sample = core.generateSyntheticPopulation({
      people: Math.max(1, Math.round(options.enrolments / 1.22)),
      seed,
    });
    const enrol = (data) => core.enrolPerson({ data, registrar: 'cli:bench-desk', office: 'bench' }, context);
    // A few untimed enrolments first: the first transactions after a bulk import warm the caches.
    for (const r of core.generateSyntheticPopulation({ people: 5, seed: seed + 1 })) await enrol(r.data);
    const times = [];
    const outcomes = { created: 0, duplicate: 0, review: 0 };
    for (const r of sample) {
      const t0 = performance.now();
      const result = await enrol(r.data);
      times.push(performance.now() - t0);
      outcomes[result.outcome]++;
    }
    times.sort((a, b) => a - b);
    return {
      count: times.length,
      repeats: sample.filter((r) => r.occurrence > 0).length,
      p50: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      p99: percentile(times, 0.99),
      outcomes,
    };
  };

  try {
    for (const [i, target] of options.sizes.entries()) {
      const segment = { rows: 0, seconds: 0, cpuSeconds: 0, from: people };
      let stopped = false;
      while (people < target) {
        const importing = people < options.imported;
        const count = Math.min(
          options.chunk,
          target - people,
          importing ? options.imported - people : Infinity,
        );
        const rate = importing ? lastChunkRate : (lastLoadRate ?? lastChunkRate);
        const estimate =
          (rate ? (count * (importing ? 1.22 : 1)) / rate : 0) +
          (importing ? 0 : (people + count) * indexSecondsPerPerson);
        if (elapsed() + estimate + latencyReserve > options.budgetSeconds) {
          stopped = true;
          break;
        }
        if (importing) {
          const chunk = await importChunk(count);
          segment.rows += chunk.rows;
          segment.seconds += chunk.seconds;
          segment.cpuSeconds += chunk.cpuSeconds;
          lastChunkRate = chunk.rows / chunk.seconds;
        } else {
          segment.loaded = (segment.loaded ?? 0) + (await fillChunk(count)).rows;
        }
        log(
          `${(importing ? 'registry build (import)' : 'registry build (base-population loader)').padEnd(52)} ${fmt(people).padStart(10)} people, ${fmt(importing ? lastChunkRate : lastLoadRate)} rows/s (${elapsed().toFixed(0)} s)`,
        );
      }
      await buildKeyIndex();
      if (people === segment.from && stopped && sizes.length > 0) {
        notReached.push(...options.sizes.slice(i));
        break;
      }
      const records = Number(
        (
          await database.query(
            "SELECT count(*) AS n FROM registry_persons WHERE state IN ('active', 'pending')",
          )
        )[0].n,
      );
      const latency = await measureLatency(900_000 + i * 1000);
      sizes.push({
        target,
        people,
        records,
        rows: segment.rows,
        seconds: segment.seconds,
        cpuSeconds: segment.cpuSeconds,
        loaded: segment.loaded ?? 0,
        reached: !stopped,
        latency,
      });
      log(
        `${`enrol with dedup at ${fmt(people)} people`.padEnd(52)} p50 ${ms(latency.p50)} ms, p95 ${ms(latency.p95)} ms, p99 ${ms(latency.p99)} ms`,
      );
      if (stopped) {
        notReached.push(...options.sizes.slice(i));
        break;
      }
    }
    const bytes = Number((await database.query('SELECT pg_database_size(current_database()) AS n'))[0].n);
    const postgres = await importOnPostgres();
    // The matcher alone, as docs/registry.md measures it: each record decided against those before
    // it, every review adjudicated at once, on a seed the thresholds were not chosen on.
    const evaluation =
      options.evaluate > 0
        ? core.evaluateMatcher({ people: options.evaluate, seed: 1000, now: () => performance.now() })
        : undefined;
    if (evaluation) {
      log(
        `${`evaluateMatcher, ${fmt(options.evaluate)} people`.padEnd(52)} precision ${evaluation.precision.toFixed(4)}, recall ${evaluation.recall.toFixed(4)} (${(evaluation.milliseconds / 1000).toFixed(0)} s)`,
      );
    }
    const results = {
      evaluation,
      sizes,
      notReached,
      truth,
      precision: ratio(truth.tp, truth.tp + truth.fp),
      recall: ratio(truth.tp, truth.tp + truth.fn),
      refusalPrecision: ratio(truth.refusalsRight, truth.refusals),
      loaded,
      importRows: sizes.reduce((a, s) => a + s.rows, 0),
      importSeconds: sizes.reduce((a, s) => a + s.seconds, 0),
      importCpuSeconds: sizes.reduce((a, s) => a + s.cpuSeconds, 0),
      postgres,
      lastChunkRate,
      bytes,
      seconds: elapsed(),
      options,
      cacheMegabytes: IMPORT_CACHE_MEGABYTES,
      cores: availableParallelism(),
    };
    log(
      `${'matcher on the synthetic registry'.padEnd(52)} precision ${results.precision.toFixed(4)}, recall ${results.recall.toFixed(4)}`,
    );
    return { ...results, report: () => registryMarkdown(results) };
  } finally {
    await database.close();
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  }
}

function evaluationRows(e, t) {
  if (!e) return '';
  const n = fmt(e.people);
  return `| matcher recall ≥ ${t.recall}, \`evaluateMatcher\` (${n} people, seed 1000) | ${e.recall.toFixed(4)} (${fmt(e.truePositives)} of ${fmt(e.duplicates)} repeats stopped; blocking found ${(100 * e.blockingRecall).toFixed(2)}%) | ${e.recall >= t.recall ? 'met' : 'NOT met'} |
| matcher precision ≥ ${t.precision}, \`evaluateMatcher\` (${n} people, seed 1000) | ${e.precision.toFixed(4)} (${fmt(e.falsePositives)} new people stopped; refusals right ${(100 * e.duplicatePrecision).toFixed(2)}%) | ${e.precision >= t.precision ? 'met' : 'NOT met'} |
`;
}

function skippedMarkdown() {
  return `
## Foundational registry

Not measured in this run (\`TRIESTE_BENCH_REGISTRY_SIZES=none\`).
`;
}

function registryMarkdown(r) {
  const t = REGISTRY_TARGETS;
  const met = (ok) => (ok ? 'met' : 'NOT met');
  const importRate = r.importSeconds > 0 ? r.importRows / r.importSeconds : 0;
  const cpuPer1000 = (cpu, rows) => ((1000 * cpu) / Math.max(1, rows)).toFixed(2);
  const pg = r.postgres;
  const pgRate = pg && !pg.skipped && pg.seconds > 0 ? pg.rows / pg.seconds : undefined;
  const pgRow =
    pgRate === undefined
      ? `| import ≥ ${fmt(t.importPerSecond)} people/s, PostgreSQL server | ${pg ? `not measured: ${pg.skipped}` : 'not measured (`TRIESTE_BENCH_REGISTRY_PG=off`)'} | |`
      : `| import ≥ ${fmt(t.importPerSecond)} people/s, PostgreSQL server | ${fmt(pgRate)} rows/s over ${fmt(pg.rows)} rows (${fmt(pg.people)} people); ${cpuPer1000(pg.cpuSeconds, pg.rows)} CPU-s per 1,000 rows in this process; precision ${ratio(pg.tally.tp, pg.tally.tp + pg.tally.fp).toFixed(4)}, recall ${ratio(pg.tally.tp, pg.tally.tp + pg.tally.fn).toFixed(4)} | ${met(pgRate >= t.importPerSecond)} |`;
  const atTarget = r.sizes.find((s) => s.people >= t.p95AtPeople);
  const largest = r.sizes[r.sizes.length - 1];
  const rows = r.sizes
    .map(
      (s) =>
        `| ${fmt(s.people)}${s.reached ? '' : ` (of ${fmt(s.target)}: budget)`} | ${fmt(s.records)} | ${s.rows > 0 ? fmt(s.rows / s.seconds) : '—'}${s.loaded > 0 ? ` (+ ${fmt(s.loaded)} people loaded)` : ''} | ${ms(s.latency.p50)} / ${ms(s.latency.p95)} / ${ms(s.latency.p99)} | ${s.latency.count}: ${s.latency.outcomes.created} created, ${s.latency.outcomes.duplicate} refused, ${s.latency.outcomes.review} queued |`,
    )
    .join('\n');
  const missing =
    r.notReached.length === 0
      ? ''
      : `\n**Not reached within the budget** (${fmt(r.options.budgetSeconds)} s, \`TRIESTE_BENCH_REGISTRY_BUDGET_SECONDS\`): ${r.notReached
          .map(fmt)
          .join(
            ', ',
          )} people. The build stopped at ${fmt(largest?.people ?? 0)} people; at the last measured rate (${fmt(r.lastChunkRate ?? 0)} rows/s) the missing ${fmt(
          (r.notReached[r.notReached.length - 1] - (largest?.people ?? 0)) * 1.22,
        )} rows would take about ${(((r.notReached[r.notReached.length - 1] - (largest?.people ?? 0)) * 1.22) / (r.lastChunkRate || 1) / 60).toFixed(0)} more minutes. The latency at the largest size reached is the figure shown for it.\n`;
  return `
## Foundational registry

\`scripts/bench-registry.mjs\`: PGlite on disk (the default database), with the page cache the
import opens it with (\`IMPORT_CACHE_MEGABYTES\`, ${r.cacheMegabytes} MB; the server keeps PGlite's 128 MB), on ${r.cores} core${r.cores === 1 ? '' : 's'}.
The registry is built with the bulk path, \`trieste registry import\`'s own code
(\`apps/cli/src/commands/registry/import-people.ts\`: CSV parsing, deduplication of every row against
the registry and the rows before it by core \`enrolBatch\`, each row's outcome stored for resuming),
from CSV files of ${fmt(r.options.chunk)} synthetic people each (core \`generateSyntheticPopulation\`, a
seed per file; about one row in six is a repeat enrolment of a person of the same file, with the
errors of a repeat: other script or spelling, typos, swapped names, shifted or partial dates).
The import runs with the embedded database in a worker thread of its own and one batch in flight
while the next is read and prepared (\`IMPORT_DATABASE\`; its CPU time below counts both threads);
the loader and the timed enrolments reopen the same database in this thread, as the server opens it.
${
  r.loaded.rows > 0
    ? `The first ${fmt(r.options.imported)} people are imported that way; beyond them the registry is filled with
the base-population loader (${fmt(r.loaded.rows)} distinct people, their blocking keys computed by the core as an
enrolment would, written in batches of 5,000 without deduplication, the key table's index built once after each
fill (${r.loaded.indexSeconds.toFixed(0)} s of the total), ${fmt(r.loaded.rows / (r.loaded.seconds || 1))} people/s), so the
largest size fits the time budget; the import rate and the matcher's figures below are those of the import. `
    : ''
}Sizes count distinct synthetic people; the registry also holds the repeats the matcher let
through and the queued ones (pending). At each size, ${r.options.enrolments} new people's records
(about one in six of them a repeat of one enrolled moments before) are enrolled one by one with
core \`enrolPerson\`, each in its own transaction with its deduplication; the time of each is measured.

| registry (synthetic people) | active + pending records | import rows/s (to this size) | enrolment p50 / p95 / p99 (ms) | timed enrolments |
|---|---:|---:|---|---|
${rows}
${missing}
| target | figure | |
|---|---:|---|
| import ≥ ${fmt(t.importPerSecond)} people/s, PGlite | ${fmt(importRate)} rows/s over ${fmt(r.importRows)} rows; ${cpuPer1000(r.importCpuSeconds, r.importRows)} CPU-s per 1,000 rows, the database's work included | ${met(importRate >= t.importPerSecond)} |
${pgRow}
| enrolment p95 < ${t.p95Ms} ms at ${fmt(t.p95AtPeople)} people | ${atTarget ? `${ms(atTarget.latency.p95)} ms` : `not measured at ${fmt(t.p95AtPeople)}; ${ms(largest?.latency.p95)} ms at ${fmt(largest?.people ?? 0)}`} | ${atTarget ? met(atTarget.latency.p95 < t.p95Ms) : 'not measured'} |
${evaluationRows(r.evaluation, t)}| matcher recall ≥ ${t.recall}, in the import (nobody adjudicates) | ${r.recall.toFixed(4)} (${fmt(r.truth.tp)} of ${fmt(r.truth.tp + r.truth.fn)} repeats stopped) | ${met(r.recall >= t.recall)} |
| matcher precision ≥ ${t.precision}, in the import (nobody adjudicates) | ${r.precision.toFixed(4)} (${fmt(r.truth.fp)} new people stopped) | ${met(r.precision >= t.precision)} |

The matcher's figures come two ways, both at the registry's default thresholds, a repeat
enrolment caught when it is refused as a duplicate or queued for adjudication, a new person a
false alarm when refused or queued. Core \`evaluateMatcher\` decides each record of one synthetic
population (seed 1000; the review line was chosen on seeds 1 and 2, docs/registry.md) against
those before it with every review adjudicated at once, as a registry whose supervisors keep up
would: the matcher's own figure. In the import, nobody adjudicates the queue, so queued records,
repeats and false alarms alike, stay in the registry as further candidates for every later row,
and precision there is lower (docs/registry.md measures that effect alone). The PostgreSQL row imports the first files of the same build, the same rows,
into a fresh database on the server (\`TRIESTE_BENCH_REGISTRY_PG\`), the database's work in the
server's process. Of the ${fmt(r.truth.refusals)} outright refusals, ${(100 * r.refusalPrecision).toFixed(2)}% named a
record of the same person.${r.truth.invalid > 0 ? ` ${fmt(r.truth.invalid)} rows were invalid and skipped.` : ''} The database was ${(r.bytes / 2 ** 30).toFixed(2)} GiB at the end; the section took ${(r.seconds / 60).toFixed(1)} min.
`;
}

// Run alone: the section on its own.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const core = await import('@trieste/core');
  const adapters = await import('@trieste/adapters');
  const result = await benchRegistry({ core, adapters });
  console.log(result.report());
}
