import { isTriesteError } from '../errors.js';
import { type BlockingKeys, blockingKeys } from './blocking-keys.js';
import { decideMatch, type ScoredCandidate } from './decide-match.js';
import { checkGuardians } from './enrol-person.js';
import { validatePerson } from './jurisdiction-rules.js';
import { type MatchProfile, matchProfile } from './match-profile.js';
import type { MatchProfileCache } from './match-profile-cache.js';
import type { KnownCandidate, MatchCandidate, PersonData, PersonRecord } from './person.js';
import {
  checkText,
  newRegistryId,
  type RegistryContext,
  resolveRegistryContext,
  uinSource,
} from './registry-context.js';
import { importLogEntry, type LifecycleEvent } from './registry-log-entries.js';
import type { AdjudicationCase, ImportRowResult, NewPerson } from './registry-records.js';
import {
  completePendingScore,
  type MatchScore,
  scoreMatchAtLeast,
  scorePendingMatchAtLeast,
} from './score-match.js';

export interface BatchEnrolmentRequest {
  /** Names the import: rows already imported under it are skipped (resuming an interrupted import). */
  importId: string;
  registrar: string;
  office: string;
  /** `rowKey` is the caller's stable name for the row (a line number, a source id): unique per import. */
  rows: ReadonlyArray<{ rowKey: string; data: unknown }>;
}

export interface BatchEnrolmentResult {
  /** One result per row, in order; rows imported before report what they came to then. */
  rows: Array<ImportRowResult & { resumed: boolean }>;
  counts: { created: number; duplicate: number; review: number; invalid: number; resumed: number };
}

/**
 * Rows per transaction. A batch holds the registry's lock row exclusively, so single enrolments wait
 * for at most one batch (about a second and a half at 2,000 rows); larger batches share more of
 * their candidates and keys (a fifth less CPU time a row than at 500, docs/registry.md).
 */
export const DEFAULT_IMPORT_BATCH = 2000;

export interface BatchEnrolmentOptions {
  /**
   * The match profiles of the candidates met so far, kept from batch to batch of one import: the
   * store then sends those again without their data, and they are not profiled again.
   */
  profiles?: MatchProfileCache;
  /**
   * Called once, as soon as the batch has asked the store for its candidates (inside its
   * transaction). A caller that prepares its next batch on this thread while this one runs waits
   * for it first: the lookup is then not held up behind that work (docs/registry.md, "The lookup
   * first").
   */
  onLookup?: () => void;
  /**
   * Awaited after every `PREPARE_PART` rows prepared, before the transaction: a caller whose
   * thread also waits for the database (the batch before's answers) lets them in here, so
   * preparing this batch does not hold that one up.
   */
  pause?: () => Promise<void>;
}

/** Rows prepared between two `pause`s (~10 ms of work). */
const PREPARE_PART = 100;

/** New records per insert statement of a batch: the store writes one part while the next is scored. */
const INSERT_PART = 500;

/**
 * Enrols many rows in one transaction, for bulk import: each row is validated, deduplicated
 * against the registry and against the rows before it in the batch, and created, refused or
 * queued exactly as `enrolPerson` would; an invalid row is reported (with its broken rules) and
 * skipped, never half-written. The outcome of every row is stored under (importId, rowKey) in the
 * same transaction, so a batch either happened entirely or not at all, and re-running an import
 * skips the rows already done. One query fetches the candidates of the whole batch and the new
 * records are inserted together; one transparency-log entry covers the batch.
 *
 * `options.profiles`, kept from batch to batch of one import, holds the match profiles of the
 * candidates met so far (`BatchEnrolmentOptions`).
 */
export async function enrolBatch(
  request: BatchEnrolmentRequest,
  context: RegistryContext,
  options: BatchEnrolmentOptions = {},
): Promise<BatchEnrolmentResult> {
  const { profiles, onLookup, pause } = options;
  const ctx = resolveRegistryContext(context);
  checkText(request?.importId, 'importId', 200);
  checkText(request.registrar, 'registrar');
  checkText(request.office, 'office');
  if (!Array.isArray(request.rows)) throw new TypeError('rows must be an array');
  const keysSeen = new Set<string>();
  for (const row of request.rows) {
    checkText(row?.rowKey, 'rowKey', 200);
    if (keysSeen.has(row.rowKey)) throw new TypeError('row keys must be unique within a batch');
    keysSeen.add(row.rowKey);
  }
  const now = ctx.clock.now();
  // Every row validated, profiled and keyed before the transaction: a bulk import prepares its
  // next batch while the database still works on this one (docs/registry.md, "Bulk import on two
  // threads"). Rows an earlier run imported are prepared too, and their results kept.
  type Prepared = { errors: string[] } | { data: PersonData; profile: MatchProfile; keys: BlockingKeys };
  const prepared: Prepared[] = [];
  for (const row of request.rows) {
    if (pause && prepared.length > 0 && prepared.length % PREPARE_PART === 0) await pause();
    const errors = validatePerson(row.data, ctx.rules, now);
    if (errors.length > 0) {
      prepared.push({ errors: errors.map((e) => `${e.field} ${e.code}`) });
      continue;
    }
    const data = row.data as PersonData;
    const profile = matchProfile(data);
    prepared.push({ data, profile, keys: blockingKeys(profile, ctx.blocking) });
  }
  // The valid rows' lookups, prepared by the store ahead where it can (hashed and sorted): used
  // unless some of these rows turn out done already or invalid (resuming, guardians), then the
  // lookups are made of the rows left.
  const valid = prepared.flatMap((ready) => ('errors' in ready ? [] : [ready.keys.query]));
  const ahead = ctx.stores.registry.prepareQueries?.(valid);
  return ctx.stores.transaction(async (stores) => {
    const done = await stores.registry.importedRows(request.importId, [...keysSeen]);
    type Pending = {
      index: number;
      rowKey: string;
      data: PersonData;
      profile: MatchProfile;
      keys: BlockingKeys;
    };
    const pending: Pending[] = [];
    const results: Array<(ImportRowResult & { resumed: boolean }) | undefined> = request.rows.map((row) => {
      const previous = done.get(row.rowKey);
      return previous ? { ...previous, resumed: true } : undefined;
    });
    for (const [index, row] of request.rows.entries()) {
      if (results[index]) continue;
      const ready = prepared[index]!;
      let errors = 'errors' in ready ? ready.errors : [];
      if (!('errors' in ready) && ready.data.guardians?.length) {
        try {
          await checkGuardians(stores, ready.data, undefined);
        } catch (error) {
          // An unknown, dead or merged guardian: the row is reported, not imported. Anything else
          // (the database failing) is not the row's fault: it aborts the batch, so a resume retries it.
          if (!isTriesteError(error)) throw error;
          errors = ['guardians format'];
        }
      }
      if (errors.length > 0 || 'errors' in ready) {
        results[index] = { rowKey: row.rowKey, outcome: 'invalid', errors, resumed: false };
        continue;
      }
      pending.push({ index, rowKey: row.rowKey, data: ready.data, profile: ready.profile, keys: ready.keys });
    }

    // Locking each key of hundreds of rows costs more than the import itself: a batch takes the
    // whole registry for its (short) transaction instead.
    await stores.registry.lockKeys('all');
    const known = profiles ? { known: (id: string, version: number) => profiles.has(id, version) } : {};
    const lookup = stores.registry.findCandidatesForQueries(
      ahead && ahead.lookups === pending.length ? ahead : pending.map((p) => p.keys.query),
      { limit: Math.max(ctx.candidateLimit, ctx.candidateLimit * pending.length), ...known },
    );
    onLookup?.();
    const found = await lookup;
    /** A pending entry's `named`: the active record its open case names first (`scorePendingMatch`). */
    type Entry = { id: string; state: 'pending' | 'active'; profile: MatchProfile; named?: Entry };
    const entryOf = (person: MatchCandidate | KnownCandidate): Entry => {
      // A candidate sent without data: the cache said it holds it.
      let profile = person.data ? undefined : profiles?.get(person.id, person.version);
      if (!person.data && !profile)
        throw new Error('the store left out the data of a candidate the cache does not hold');
      if (person.data) {
        profile = matchProfile(person.data);
        profiles?.set(person.id, person.version, profile);
      }
      return { id: person.id, state: person.state === 'pending' ? 'pending' : 'active', profile: profile! };
    };
    // First the candidates sent without data, taken from the cache before anything new goes into
    // it and evicts some.
    const entries: Array<Entry | undefined> = found.candidates.map((person) =>
      person.data ? undefined : entryOf(person),
    );
    found.candidates.forEach((person, at) => {
      if (person.data) entries[at] = entryOf(person);
    });
    // Pending candidates are scored against the active record their open case names, fetched only
    // for those a row's score as written reaches the review line with (a few in a hundred: the
    // lower of the two scores cannot reach it otherwise). The scores as written are kept.
    const review = ctx.thresholds.review;
    const writtenOf = pending.map(() => new Map<Entry, MatchScore | undefined>());
    const needed = new Set<Entry>();
    pending.forEach((row, at) => {
      for (const candidate of found.matches[at] ?? []) {
        const entry = entries[candidate]!;
        if (entry.state !== 'pending') continue;
        const written = scoreMatchAtLeast(row.profile, entry.profile, review);
        writtenOf[at]!.set(entry, written);
        if (written && written.score >= review) needed.add(entry);
      }
    });
    if (needed.size > 0) {
      const named = await stores.registry.caseNamedRecords(
        [...needed].map((entry) => entry.id),
        known,
      );
      // Again those sent without data first.
      for (const withData of [false, true]) {
        for (const entry of needed) {
          const person = named.get(entry.id);
          if (person && (person.data !== undefined) === withData) entry.named = entryOf(person);
        }
      }
    }
    // The batch's own new records, by their stored keys: a row is also scored against the records
    // the rows before it created.
    const created = new Map<string, Entry[]>();

    // The new records go to the store in parts, each as soon as it is full, without waiting: with
    // the database in a thread or process of its own, it stores one part while the rows after it
    // are scored here. Awaited together below, before anything that refers to them.
    let creates: NewPerson[] = [];
    const inserts: Array<Promise<PersonRecord[]>> = [];
    const insertCreates = () => {
      if (creates.length === 0) return;
      const insert = stores.registry.insertPersons(creates, uinSource(ctx));
      // Awaited below; should the batch fail before, its failure is not left unhandled.
      insert.catch(() => undefined);
      inserts.push(insert);
      creates = [];
    };
    const cases: AdjudicationCase[] = [];
    const events: LifecycleEvent[] = [];
    const createdRow = new Map<string, number>();
    const createdProfile = new Map<string, MatchProfile>();
    try {
      for (const [at, row] of pending.entries()) {
        const seen = new Set<Entry>();
        for (const candidate of found.matches[at] ?? []) seen.add(entries[candidate]!);
        if (created.size > 0) {
          for (const key of row.keys.query) for (const entry of created.get(key) ?? []) seen.add(entry);
        }
        // Candidates that cannot reach the review line are left out: the decision ignores them.
        const scored: ScoredCandidate[] = [];
        const scoredEntry = new Map<string, Entry>();
        const written = writtenOf[at]!;
        let taken = 0;
        for (const entry of seen) {
          if (taken++ === ctx.candidateLimit) break;
          const match = written.has(entry)
            ? written.get(entry) && entry.named
              ? completePendingScore(
                  row.profile,
                  written.get(entry)!,
                  entry.profile,
                  entry.named.profile,
                  review,
                )
              : written.get(entry)
            : entry.named
              ? scorePendingMatchAtLeast(row.profile, entry.profile, entry.named.profile, review)
              : scoreMatchAtLeast(row.profile, entry.profile, review);
          if (match) {
            scored.push({ personId: entry.id, match });
            scoredEntry.set(entry.id, entry);
          }
        }
        const decision = decideMatch(scored, ctx.thresholds);
        if (decision.outcome === 'duplicate') {
          results[row.index] = {
            rowKey: row.rowKey,
            outcome: 'duplicate',
            matchId: decision.match.personId,
            resumed: false,
          };
          continue;
        }
        const id = newRegistryId(ctx.crypto);
        const queued = decision.outcome === 'review';
        creates.push({
          id,
          state: queued ? 'pending' : 'active',
          data: row.data,
          enrolment: { registrar: request.registrar, office: request.office, at: now },
          blockingKeys: row.keys.stored,
        });
        if (creates.length >= INSERT_PART) insertCreates();
        createdRow.set(id, row.index);
        createdProfile.set(id, row.profile);
        const entry: Entry = { id, state: queued ? 'pending' : 'active', profile: row.profile };
        // A queued record's case names its best candidate first (below).
        const first = queued ? scoredEntry.get(decision.candidates[0]!.personId) : undefined;
        if (first?.state === 'active') entry.named = first;
        for (const key of row.keys.stored) {
          const list = created.get(key);
          if (list) list.push(entry);
          else created.set(key, [entry]);
        }
        events.push({
          event: queued ? 'queued' : 'enrolled',
          personId: id,
          version: 1,
          by: request.registrar,
          at: now,
        });
        if (queued) {
          const caseId = newRegistryId(ctx.crypto);
          cases.push({
            id: caseId,
            subjectId: id,
            candidates: decision.candidates.map((c) => ({
              personId: c.personId,
              score: c.match.score,
              weights: c.match.weights,
            })),
            state: 'pending',
            createdAt: now,
          });
          results[row.index] = {
            rowKey: row.rowKey,
            outcome: 'review',
            personId: id,
            caseId,
            resumed: false,
          };
        } else {
          results[row.index] = { rowKey: row.rowKey, outcome: 'created', personId: id, resumed: false };
        }
      }
    } catch (error) {
      // No part left running when the transaction ends.
      await Promise.allSettled(inserts);
      throw error;
    }

    insertCreates();
    // Every part settled before the transaction can end, the first failure reported.
    const parts = await Promise.allSettled(inserts);
    const failed = parts.find((part) => part.status === 'rejected');
    if (failed) throw failed.reason;
    const inserted = parts.flatMap((part) => (part.status === 'fulfilled' ? part.value : []));
    for (const person of inserted) {
      const at = createdRow.get(person.id)!;
      const result = results[at]!;
      if (person.uin) result.uin = person.uin;
      // Should the batch roll back, the entry names a record that no store returns: harmless.
      profiles?.set(person.id, person.version, createdProfile.get(person.id)!);
    }
    if (cases.length > 0) await stores.registry.createCases(cases);
    const fresh = results.filter(
      (r): r is ImportRowResult & { resumed: boolean } => r !== undefined && !r.resumed,
    );
    await stores.registry.saveImportRows(
      request.importId,
      fresh.map(({ resumed: _resumed, ...row }) => row),
      now,
    );
    if (events.length > 0) await stores.log.append(importLogEntry(events, ctx.crypto));
    const counts = { created: 0, duplicate: 0, review: 0, invalid: 0, resumed: 0 };
    for (const r of results) {
      if (!r) continue;
      if (r.resumed) counts.resumed++;
      else counts[r.outcome]++;
    }
    return { rows: results as Array<ImportRowResult & { resumed: boolean }>, counts };
  });
}
