import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type AdjudicationCase,
  adjudicateCase,
  applyCredentialEffects,
  type CredentialEffects,
  deactivatePerson,
  enrolPerson,
  formatIsoTime,
  listAccesses,
  type MatchReference,
  type PartialDate,
  type PersonRecord,
  type RegistryContext,
  reactivatePerson,
  readPerson,
  recordDeath,
  rekeyPersons,
  type StateChangeResult,
  updatePerson,
} from '@trieste/core';
import type { Command } from 'commander';
import { CliError } from '../errors.js';
import { type Output, print } from '../io.js';
import type { EmbeddedDatabaseOptions, Runtime } from '../runtime.js';
import {
  IMPORT_DATABASE,
  type ImportProgress,
  type ImportReport,
  importPeopleCsv,
} from './registry/import-people.js';
import { parsePersonJson } from './registry/parse-person-json.js';
import { type SearchHit, searchPeopleByName } from './registry/search-people.js';

// `trieste registry`: the foundational registry (issue 5) for operators at the installation,
// through the same core use cases as the HTTP API (apps/server/src/registry/registry-routes.ts):
// every read names its purpose and is recorded in the access audit, every lifecycle change and
// the status changes of the person's credentials run in one transaction, and every change is
// logged (transparency log, queued in that transaction). The CLI's operator
// has the database and the master key, so roles are not checked here; the four-eyes rule of
// adjudication is (the core's), with the operator's name as the actor: `cli:<name>`.

/** Who acts: `--operator <name>`, else the local OS user; recorded as `cli:<name>`. */
export function operatorOf(name: string | undefined): string {
  let chosen = name;
  if (chosen === undefined) {
    try {
      chosen = userInfo().username;
    } catch {
      chosen = undefined;
    }
  }
  if (chosen === undefined || !/^[A-Za-z0-9._@-]{1,64}$/.test(chosen)) {
    throw new CliError(
      'USAGE',
      '--operator takes a name of 1 to 64 letters, digits, . _ @ or - (default: the local user)',
    );
  }
  return `cli:${chosen}`;
}

export function parseRecordId(text: string): string {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(text)) {
    throw new CliError('USAGE', 'a record or case id is 16 to 64 base64url characters');
  }
  return text;
}

export function parseUinArgument(text: string): string {
  if (!/^\d{6,20}$/.test(text)) throw new CliError('USAGE', 'a UIN is 6 to 20 digits');
  return text;
}

/** A reason, purpose, office or note: what the audit and the history keep. */
export function parseText(text: string | undefined, what: string, max = 300, min = 3): string {
  const value = text?.trim() ?? '';
  if (value.length < min || value.length > max) {
    throw new CliError('USAGE', `${what} takes ${min} to ${max} characters`);
  }
  return value;
}

export function parseVersion(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new CliError('USAGE', '--expected-version takes the version you read (1, 2, …)');
  }
  return Number(text);
}

function registryContext(runtime: Runtime, stores = runtime.stores): RegistryContext {
  return { stores, crypto: runtime.crypto, clock: runtime.clock };
}

const iso = (seconds: number) => formatIsoTime(Math.floor(seconds));
const score = (value: number) => Math.round(value * 1000) / 1000;

/** A record as the operator sees it (an allowlist, as the HTTP API's presenter). */
export function presentPerson(person: PersonRecord) {
  return {
    id: person.id,
    ...(person.uin ? { uin: person.uin } : {}),
    state: person.state,
    version: person.version,
    data: person.data,
    enrolment: {
      registrar: person.enrolment.registrar,
      office: person.enrolment.office,
      at: iso(person.enrolment.at),
    },
    createdAt: iso(person.createdAt),
    updatedAt: iso(person.updatedAt),
    ...(person.mergedInto ? { mergedInto: person.mergedInto } : {}),
    ...(person.dateOfDeath ? { dateOfDeath: person.dateOfDeath } : {}),
  };
}

const date = (d: PartialDate | undefined) => (d ? `${d.value}${d.estimated ? ' (estimated)' : ''}` : '-');

function nameLine(person: PersonRecord): string {
  const name = person.data.names[0];
  return name ? [name.given, name.middle, name.family].filter((p) => p).join(' ') : '-';
}

function personText(person: PersonRecord): string {
  const d = person.data;
  const place = (p: { locality?: string; region?: string; country?: string } | undefined) =>
    p ? [p.locality, p.region, p.country].filter((x) => x).join(', ') : undefined;
  const lines = [
    `${person.id}  ${person.uin ? `UIN ${person.uin}` : 'no UIN'}  ${person.state}  version ${person.version}`,
    ...d.names.map(
      (n) => `  name (${n.script}): ${[n.given, n.middle, n.family].filter((p) => p).join(' ')}`,
    ),
    `  born: ${date(d.dateOfBirth)}`,
    ...(d.sex ? [`  sex: ${d.sex}`] : []),
    ...(d.placeOfBirth ? [`  place of birth: ${place(d.placeOfBirth)}`] : []),
    ...(d.nationality ? [`  nationality: ${d.nationality.join(', ') || 'none'}`] : []),
    ...(d.legalStatus ? [`  legal status: ${d.legalStatus}`] : []),
    ...(d.address
      ? [
          `  address: ${[...(d.address.lines ?? []), d.address.postalCode, place(d.address)].filter((x) => x).join(', ')}`,
        ]
      : []),
    ...(d.photo ? [`  photo: ${d.photo.ref}`] : []),
    ...(d.guardians ?? []).map((g) => `  guardian: ${g.personId} (${g.relationship})`),
    `  enrolled: ${iso(person.enrolment.at)} by ${person.enrolment.registrar} at ${person.enrolment.office}`,
    ...(person.mergedInto ? [`  merged into: ${person.mergedInto}`] : []),
    ...(person.dateOfDeath ? [`  died: ${date(person.dateOfDeath)}`] : []),
  ];
  return lines.join('\n');
}

const presentMatch = (m: MatchReference) => ({
  personId: m.personId,
  ...(m.uin ? { uin: m.uin } : {}),
  score: score(m.score),
});

const matchText = (m: MatchReference) =>
  `${m.personId}${m.uin ? ` (UIN ${m.uin})` : ''}, score ${score(m.score)}`;

export async function registryEnrol(
  runtime: Runtime,
  out: Output,
  personFile: string,
  options: { office: string; operator: string },
): Promise<void> {
  const data = parsePersonJson(personFile);
  const result = await enrolPerson(
    { data, registrar: options.operator, office: options.office },
    registryContext(runtime),
  );
  if (result.outcome === 'created') {
    print(out, `created ${result.person.id}, UIN ${result.person.uin}`, {
      outcome: 'created',
      person: presentPerson(result.person),
    });
    return;
  }
  if (result.outcome === 'review') {
    print(
      out,
      [
        `queued for review: case ${result.caseId}; record ${result.person.id} is pending (no UIN until a supervisor decides)`,
        ...result.candidates.map((c) => `  candidate ${matchText(c)}`),
      ].join('\n'),
      {
        outcome: 'review',
        caseId: result.caseId,
        person: presentPerson(result.person),
        candidates: result.candidates.map(presentMatch),
      },
    );
    return;
  }
  // The matching reference goes to stdout (what the operator acts on); the coded line to stderr.
  print(out, `duplicate of ${matchText(result.match)}`, {
    outcome: 'duplicate',
    match: presentMatch(result.match),
    candidates: result.candidates.map(presentMatch),
  });
  throw new CliError('DUPLICATE', 'this person is enrolled already: nothing was created');
}

export async function registryShow(
  runtime: Runtime,
  out: Output,
  target: { id: string } | { uin: string },
  options: { purpose: string; operator: string },
): Promise<void> {
  const { person } = await readPerson(
    {
      ...('id' in target ? { personId: target.id } : { uin: target.uin }),
      accessor: options.operator,
      purpose: options.purpose,
    },
    registryContext(runtime),
  );
  print(out, personText(person), presentPerson(person));
}

export async function registrySearch(
  runtime: Runtime,
  out: Output,
  query: { name: string; born: string; limit?: number; minScore?: number },
  options: { purpose: string; operator: string },
): Promise<void> {
  const hits: SearchHit[] = await searchPeopleByName(
    { ...query, accessor: options.operator, purpose: options.purpose },
    registryContext(runtime),
  );
  print(
    out,
    hits.length === 0
      ? 'no record found'
      : hits
          .map(
            (h) =>
              `${String(score(h.score)).padStart(7)}  ${h.person.id}  ${h.person.uin ?? '(pending)'}  ${h.person.state}  ${nameLine(h.person)}  born ${date(h.person.data.dateOfBirth)}`,
          )
          .join('\n'),
    hits.map((h) => ({ score: score(h.score), person: presentPerson(h.person) })),
  );
}

function presentCase(c: AdjudicationCase) {
  return {
    id: c.id,
    subjectId: c.subjectId,
    state: c.state,
    createdAt: iso(c.createdAt),
    candidates: c.candidates.map((k) => ({ personId: k.personId, score: score(k.score) })),
    ...(c.decision
      ? {
          decision: {
            outcome: c.decision.outcome,
            ...(c.decision.survivorId ? { survivorId: c.decision.survivorId } : {}),
            supervisor: c.decision.supervisor,
            at: iso(c.decision.at),
            ...(c.decision.note ? { note: c.decision.note } : {}),
          },
        }
      : {}),
  };
}

export async function registryCases(
  runtime: Runtime,
  out: Output,
  options: { decided: boolean; limit: number },
): Promise<void> {
  const cases = await runtime.stores.registry.listCases({
    state: options.decided ? 'decided' : 'pending',
    limit: options.limit,
  });
  print(
    out,
    cases.length === 0
      ? options.decided
        ? 'no decided cases'
        : 'no cases waiting for adjudication'
      : cases
          .map((c) =>
            [
              `${c.id}  subject ${c.subjectId}  opened ${iso(c.createdAt)}${c.decision ? `  ${c.decision.outcome} by ${c.decision.supervisor}` : ''}`,
              ...c.candidates.map((k) => `  candidate ${k.personId}, score ${score(k.score)}`),
            ].join('\n'),
          )
          .join('\n'),
    cases.map(presentCase),
  );
}

const presentEffects = (effects: CredentialEffects, changed: number) => ({
  credentialsChanged: changed,
  reissue: effects.reissue,
});

export async function registryAdjudicate(
  runtime: Runtime,
  out: Output,
  caseId: string,
  outcome: 'distinct' | 'same',
  options: { survivor?: string; note?: string; operator: string },
): Promise<void> {
  const result = await runtime.stores.transaction(async (tx) => {
    let survivorId = options.survivor;
    if (outcome === 'same' && survivorId === undefined) {
      // One candidate: the survivor is not in doubt. Several: the supervisor must say which.
      const found = await tx.registry.getCase(caseId);
      if (found && found.candidates.length === 1) survivorId = found.candidates[0]!.personId;
      else if (found)
        throw new CliError('USAGE', 'the case has several candidates: name one with --survivor');
    }
    const decided = await adjudicateCase(
      {
        caseId,
        outcome,
        ...(survivorId ? { survivorId } : {}),
        ...(options.note ? { note: options.note } : {}),
        supervisor: options.operator,
      },
      registryContext(runtime, tx),
    );
    const applied = await applyCredentialEffects(decided.effects, runtime.issuance, tx);
    return { ...decided, changed: applied.changed };
  });
  const subject = result.subject;
  print(
    out,
    outcome === 'distinct'
      ? `case ${caseId}: distinct; ${subject.id} is active with UIN ${subject.uin}`
      : `case ${caseId}: same person; ${subject.id} is merged into ${result.survivor?.id} (kept as a tombstone), ${result.changed} credential(s) revoked`,
    {
      case: presentCase(result.case),
      subject: presentPerson(subject),
      ...(result.survivor ? { survivor: presentPerson(result.survivor) } : {}),
      effects: presentEffects(result.effects, result.changed),
    },
  );
}

export async function registryUpdate(
  runtime: Runtime,
  out: Output,
  id: string,
  personFile: string,
  options: { expectedVersion: number; reason: string; operator: string },
): Promise<void> {
  const data = parsePersonJson(personFile);
  const result = await runtime.stores.transaction(async (tx) => {
    const updated = await updatePerson(
      {
        personId: id,
        data,
        expectedVersion: options.expectedVersion,
        by: options.operator,
        reason: options.reason,
      },
      registryContext(runtime, tx),
    );
    const applied = await applyCredentialEffects(updated.effects, runtime.issuance, tx);
    return { ...updated, changed: applied.changed };
  });
  print(
    out,
    `updated ${result.person.id} to version ${result.person.version}; ${result.changed} credential(s) revoked${result.effects.reissue && result.effects.revoke.length > 0 ? ': issue the person a new credential' : ''}`,
    { person: presentPerson(result.person), effects: presentEffects(result.effects, result.changed) },
  );
}

export async function registryChangeState(
  runtime: Runtime,
  out: Output,
  change: 'deactivate' | 'reactivate' | 'death',
  id: string,
  options: { reason: string; operator: string; dateOfDeath?: PartialDate },
): Promise<void> {
  const result = await runtime.stores.transaction(async (tx) => {
    const request = { personId: id, by: options.operator, reason: options.reason };
    const context = registryContext(runtime, tx);
    let changed: StateChangeResult;
    if (change === 'deactivate') changed = await deactivatePerson(request, context);
    else if (change === 'reactivate') changed = await reactivatePerson(request, context);
    else changed = await recordDeath({ ...request, dateOfDeath: options.dateOfDeath! }, context);
    const applied = await applyCredentialEffects(changed.effects, runtime.issuance, tx);
    return { ...changed, changed: applied.changed };
  });
  const what = change === 'deactivate' ? 'suspended' : change === 'reactivate' ? 'reinstated' : 'revoked';
  print(
    out,
    `${result.person.id} is ${result.person.state} (version ${result.person.version}); ${result.changed} credential(s) ${what}`,
    { person: presentPerson(result.person), effects: presentEffects(result.effects, result.changed) },
  );
}

export async function registryAccesses(
  runtime: Runtime,
  out: Output,
  id: string,
  options: { limit: number },
): Promise<void> {
  const accesses = await listAccesses(id, registryContext(runtime), { limit: options.limit });
  print(
    out,
    accesses.length === 0
      ? 'no recorded access'
      : accesses.map((a) => `${iso(a.at)}  ${a.accessor}  ${a.purpose}`).join('\n'),
    accesses.map((a) => ({ at: iso(a.at), accessor: a.accessor, purpose: a.purpose })),
  );
}

/** Progress on stderr: at most a line a second, and the last one when the import ends. */
export function progressPrinter(stderr: (text: string) => void, now: () => number = () => performance.now()) {
  let last = now();
  return (progress: ImportProgress, final = false) => {
    const at = now();
    if (!final && at - last < 1000) return;
    last = at;
    const fresh = progress.done - progress.resumed;
    const rate = progress.seconds > 0 ? Math.round(fresh / progress.seconds) : 0;
    const percent = progress.total === 0 ? 100 : (100 * progress.done) / progress.total;
    stderr(
      `registry import: ${progress.done.toLocaleString('en')} / ${progress.total.toLocaleString('en')} rows (${percent.toFixed(1)}%), ${rate.toLocaleString('en')} rows/s${progress.resumed > 0 ? `, ${progress.resumed.toLocaleString('en')} resumed` : ''}`,
    );
  };
}

/** How many invalid rows the human report lists (all of them are in --json). */
const INVALID_LINES_SHOWN = 100;

export async function registryImport(
  runtime: Runtime,
  out: Output,
  file: string,
  options: { office: string; operator: string; batch?: number; progress: boolean },
): Promise<ImportReport> {
  const progress = options.progress ? progressPrinter(out.stderr) : undefined;
  let lastProgress: ImportProgress | undefined;
  const report = await importPeopleCsv(
    {
      file,
      office: options.office,
      operator: options.operator,
      ...(options.batch === undefined ? {} : { batch: options.batch }),
      onProgress: (p) => {
        lastProgress = p;
        progress?.(p);
      },
    },
    registryContext(runtime),
  );
  if (progress && lastProgress) progress(lastProgress, true);
  const { counts } = report;
  const human = [
    `imported ${report.rows.toLocaleString('en')} rows in ${report.seconds.toFixed(1)} s (${Math.round(report.rowsPerSecond).toLocaleString('en')} rows/s)${report.resumed > 0 ? `, ${report.resumed.toLocaleString('en')} of them done by an earlier run` : ''}`,
    `  created    ${counts.created.toLocaleString('en')}`,
    `  duplicate  ${counts.duplicate.toLocaleString('en')}  (refused: the person is enrolled already)`,
    `  queued     ${counts.review.toLocaleString('en')}  (pending records with an adjudication case each: \`trieste registry cases\`)`,
    `  invalid    ${counts.invalid.toLocaleString('en')}  (skipped)`,
    ...report.invalid
      .slice(0, INVALID_LINES_SHOWN)
      .map((row) => `line ${row.line}: ${row.code}: ${row.errors.join(', ')}`),
    ...(report.invalid.length > INVALID_LINES_SHOWN
      ? [`… and ${report.invalid.length - INVALID_LINES_SHOWN} more invalid rows (all of them with --json)`]
      : []),
  ].join('\n');
  print(out, human, {
    importId: report.importId,
    rows: report.rows,
    resumed: report.resumed,
    counts: {
      created: counts.created,
      duplicate: counts.duplicate,
      queued: counts.review,
      invalid: counts.invalid,
    },
    invalid: report.invalid,
    duplicates: report.duplicates,
    queued: report.review,
    seconds: Math.round(report.seconds * 1000) / 1000,
    rowsPerSecond: Math.round(report.rowsPerSecond),
  });
  return report;
}

/**
 * `trieste registry rekey`: every record's blocking keys computed again and stored, page by page
 * (docs/registry-cli.md), after an upgrade that changes how keys are made. Safe to interrupt and
 * to run again: each page is one transaction, and a page done twice gives the same keys.
 */
export async function registryRekey(
  runtime: Runtime,
  out: Output,
  options: { page?: number; progress: boolean },
): Promise<{ rekeyed: number }> {
  const started = performance.now();
  let last = started;
  let rekeyed = 0;
  let after: string | undefined;
  const context = registryContext(runtime);
  for (;;) {
    const page = await rekeyPersons(context, {
      ...(after === undefined ? {} : { after }),
      ...(options.page === undefined ? {} : { limit: options.page }),
    });
    rekeyed += page.rekeyed;
    if (page.last === undefined) break;
    after = page.last;
    const now = performance.now();
    if (options.progress && now - last >= 1000) {
      last = now;
      out.stderr(`registry rekey: ${rekeyed.toLocaleString('en')} records`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  print(out, `re-keyed ${rekeyed.toLocaleString('en')} records in ${seconds.toFixed(1)} s`, {
    rekeyed,
    seconds: Math.round(seconds * 1000) / 1000,
  });
  return { rekeyed };
}

export interface RegistryCommandHelpers {
  out: () => Output;
  /** `embedded`: how this command wants the embedded database (the bulk import's page cache and thread). */
  withRuntime: (
    work: (runtime: Runtime) => Promise<void>,
    create?: boolean,
    embedded?: EmbeddedDatabaseOptions,
  ) => Promise<void>;
  /** Reads a file argument (`-` for stdin). */
  readFile: (path: string, what: string) => string;
  /** Whether stderr is a terminal (progress is shown there by default). */
  stderrIsTty?: () => boolean;
}

function positiveInteger(text: string, what: string, max: number): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new CliError('USAGE', `${what} takes a whole number from 1 to ${max}`);
  }
  return Number(text);
}

export function registerRegistryCommands(program: Command, h: RegistryCommandHelpers): void {
  const registry = program
    .command('registry')
    .description(
      'the foundational identity registry: enrol, find, read (audited), adjudicate, update, lifecycle, bulk import',
    );
  const operatorOption = '--operator <name>';
  const operatorHelp = 'who acts, recorded as cli:<name> (default: the local user)';
  const personFile = (path: string) => h.readFile(path, 'person');

  registry
    .command('enrol')
    .description(
      'enrol a person (deduplicated): created with a UIN, refused as a duplicate (exit 2), or queued',
    )
    .argument('<person.json>', 'the person record (core PersonData as JSON), or - for stdin')
    .requiredOption('--office <text>', 'where: the office, desk or mobile unit')
    .option(operatorOption, operatorHelp)
    .action((file, opts) =>
      h.withRuntime((r) =>
        registryEnrol(r, h.out(), personFile(file), {
          office: parseText(opts.office, '--office', 300, 1),
          operator: operatorOf(opts.operator),
        }),
      ),
    );

  registry
    .command('show')
    .description('read a record by id or UIN; the read is recorded in the access audit')
    .argument('[id]', 'the record id')
    .option('--uin <uin>', 'find the record by its UIN instead')
    .requiredOption('--purpose <text>', 'why you read it: shown to the person')
    .option(operatorOption, operatorHelp)
    .action((id: string | undefined, opts) => {
      if ((id === undefined) === (opts.uin === undefined)) {
        throw new CliError('USAGE', 'give a record id or --uin: one of them');
      }
      return h.withRuntime((r) =>
        registryShow(
          r,
          h.out(),
          id === undefined ? { uin: parseUinArgument(opts.uin) } : { id: parseRecordId(id) },
          {
            purpose: parseText(opts.purpose, '--purpose'),
            operator: operatorOf(opts.operator),
          },
        ),
      );
    });

  registry
    .command('search')
    .description(
      'find records by UIN, or by name and birth date through the matcher; every record shown is recorded in the access audit',
    )
    .option('--uin <uin>', 'the UIN')
    .option('--name <text>', 'given name(s) and family name, family name last, in one script')
    .option('--born <date>', 'birth year, YYYY-MM or YYYY-MM-DD (needed with --name)')
    .option('--limit <n>', 'at most this many records (default 10)')
    .option('--min-score <bits>', 'leave out records the matcher scores below this (default 0)')
    .requiredOption('--purpose <text>', 'why you search: shown to each person found')
    .option(operatorOption, operatorHelp)
    .action((opts) => {
      const purpose = parseText(opts.purpose, '--purpose');
      const operator = operatorOf(opts.operator);
      if (opts.uin !== undefined) {
        if (opts.name !== undefined) throw new CliError('USAGE', 'search by --uin or by --name, not both');
        return h.withRuntime((r) =>
          registryShow(r, h.out(), { uin: parseUinArgument(opts.uin) }, { purpose, operator }),
        );
      }
      if (opts.name === undefined || opts.born === undefined) {
        throw new CliError('USAGE', 'search takes --uin, or --name with --born');
      }
      const minScore = opts.minScore === undefined ? undefined : Number(opts.minScore);
      if (minScore !== undefined && !Number.isFinite(minScore)) {
        throw new CliError('USAGE', '--min-score takes a number');
      }
      return h.withRuntime((r) =>
        registrySearch(
          r,
          h.out(),
          {
            name: opts.name,
            born: opts.born,
            ...(opts.limit === undefined ? {} : { limit: positiveInteger(opts.limit, '--limit', 100) }),
            ...(minScore === undefined ? {} : { minScore }),
          },
          { purpose, operator },
        ),
      );
    });

  registry
    .command('cases')
    .description('the adjudication queue: grey-zone enrolments waiting for a supervisor (oldest first)')
    .option('--decided', 'list decided cases instead')
    .option('--limit <n>', 'at most this many (default 50)')
    .action((opts) =>
      h.withRuntime((r) =>
        registryCases(r, h.out(), {
          decided: opts.decided === true,
          limit: opts.limit === undefined ? 50 : positiveInteger(opts.limit, '--limit', 1000),
        }),
      ),
    );

  registry
    .command('adjudicate')
    .description(
      'decide a case (a supervisor other than the enrolling registrar): distinct gives a UIN, same merges into the survivor',
    )
    .argument('<case-id>')
    .argument('<outcome>', 'distinct | same')
    .option(
      '--survivor <id>',
      'for same: the candidate that is the person (needed when the case has several)',
    )
    .option('--note <text>', 'the reasoning, kept with the decision')
    .option(operatorOption, operatorHelp)
    .action((caseId: string, outcome: string, opts) => {
      if (outcome !== 'distinct' && outcome !== 'same') {
        throw new CliError('USAGE', 'the outcome is distinct or same');
      }
      if (outcome === 'distinct' && opts.survivor !== undefined) {
        throw new CliError('USAGE', '--survivor goes with same');
      }
      return h.withRuntime((r) =>
        registryAdjudicate(r, h.out(), parseRecordId(caseId), outcome, {
          ...(opts.survivor === undefined ? {} : { survivor: parseRecordId(opts.survivor) }),
          ...(opts.note === undefined ? {} : { note: parseText(opts.note, '--note', 1000) }),
          operator: operatorOf(opts.operator),
        }),
      );
    });

  registry
    .command('update')
    .description(
      "replace a record's data (the previous version is kept); credentials carrying changed fields are revoked",
    )
    .argument('<id>')
    .argument('<person.json>', 'the whole new record (what is left out is removed), or - for stdin')
    .requiredOption('--expected-version <n>', 'the version you read: a concurrent change makes this fail')
    .requiredOption('--reason <text>', 'why: kept in the history')
    .option(operatorOption, operatorHelp)
    .action((id: string, file: string, opts) =>
      h.withRuntime((r) =>
        registryUpdate(r, h.out(), parseRecordId(id), personFile(file), {
          expectedVersion: parseVersion(opts.expectedVersion),
          reason: parseText(opts.reason, '--reason'),
          operator: operatorOf(opts.operator),
        }),
      ),
    );

  for (const [name, description] of [
    ['deactivate', 'deactivate an active record; its credentials are suspended'],
    ['reactivate', 'reactivate a deactivated record; its suspended credentials are reinstated'],
  ] as const) {
    registry
      .command(name)
      .description(description)
      .argument('<id>')
      .requiredOption('--reason <text>', 'why: kept in the history')
      .option(operatorOption, operatorHelp)
      .action((id: string, opts) =>
        h.withRuntime((r) =>
          registryChangeState(r, h.out(), name, parseRecordId(id), {
            reason: parseText(opts.reason, '--reason'),
            operator: operatorOf(opts.operator),
          }),
        ),
      );
  }

  registry
    .command('death')
    .description('record a death (final); the credentials are revoked, the VIDs too')
    .argument('<id>')
    .requiredOption('--date <date>', 'date of death: YYYY, YYYY-MM or YYYY-MM-DD')
    .option('--estimated', 'the date is estimated')
    .requiredOption('--reason <text>', 'why: kept in the history (e.g. the death certificate number)')
    .option(operatorOption, operatorHelp)
    .action((id: string, opts) =>
      h.withRuntime((r) =>
        registryChangeState(r, h.out(), 'death', parseRecordId(id), {
          reason: parseText(opts.reason, '--reason'),
          operator: operatorOf(opts.operator),
          dateOfDeath: { value: String(opts.date).trim(), ...(opts.estimated ? { estimated: true } : {}) },
        }),
      ),
    );

  registry
    .command('accesses')
    .description('who looked at this record: every recorded read, newest first')
    .argument('<id>')
    .option('--limit <n>', 'at most this many (default 100)')
    .action((id: string, opts) =>
      h.withRuntime((r) =>
        registryAccesses(r, h.out(), parseRecordId(id), {
          limit: opts.limit === undefined ? 100 : positiveInteger(opts.limit, '--limit', 1000),
        }),
      ),
    );

  registry
    .command('rekey')
    .description(
      "compute every record's blocking keys again and store them: after an upgrade that changes how keys are made, so older records are found as new ones are; safe to interrupt and run again",
    )
    .option('--page <n>', 'records per transaction (default 1000)')
    .option('--progress', 'progress on stderr even when it is not a terminal')
    .action((opts) =>
      h.withRuntime(async (r) => {
        await registryRekey(r, h.out(), {
          ...(opts.page === undefined ? {} : { page: positiveInteger(opts.page, '--page', 10_000) }),
          progress: opts.progress === true || (h.stderrIsTty?.() ?? false),
        });
      }),
    );

  registry
    .command('import')
    .description(
      'enrol every row of a people CSV, deduplicated; resumable (run it again after an interruption); bad rows are reported with their line and skipped',
    )
    .argument('<people.csv>', 'the file (docs/registry-cli.md describes its columns)')
    .option('--office <text>', 'where the rows were enrolled (default: bulk import)')
    .option('--batch <n>', 'rows per transaction (default 2000)')
    .option('--progress', 'progress on stderr even when it is not a terminal')
    .option(operatorOption, operatorHelp)
    .action((file: string, opts) =>
      h.withRuntime(
        async (r) => {
          await registryImport(r, h.out(), file, {
            office: opts.office === undefined ? 'bulk import' : parseText(opts.office, '--office', 300, 1),
            operator: operatorOf(opts.operator),
            ...(opts.batch === undefined ? {} : { batch: positiveInteger(opts.batch, '--batch', 10_000) }),
            progress: opts.progress === true || (h.stderrIsTty?.() ?? false),
          });
        },
        false,
        IMPORT_DATABASE,
      ),
    );
}
