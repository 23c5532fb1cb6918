import { fail } from '../errors.js';
import type { Stores } from '../ports.js';
import { blockingKeys } from './blocking-keys.js';
import { decideMatch, type ScoredCandidate } from './decide-match.js';
import { assertValidPerson } from './jurisdiction-rules.js';
import { type MatchProfile, matchProfile } from './match-profile.js';
import type { KnownCandidate, MatchCandidate, PersonData, PersonRecord } from './person.js';
import {
  checkText,
  newRegistryId,
  type RegistryContext,
  type ResolvedRegistryContext,
  resolveRegistryContext,
  uinSource,
} from './registry-context.js';
import { lifecycleLogEntry } from './registry-log-entries.js';
import type { CaseCandidate } from './registry-records.js';
import { scoreMatchAtLeast, scorePendingMatchAtLeast } from './score-match.js';

export interface EnrolPersonRequest {
  data: PersonData;
  /** Who enrols (an operator or API key id). */
  registrar: string;
  /** Where (office, desk, mobile unit). */
  office: string;
}

/** A candidate as an enrolment reports it: the record's reference and the score, never its data. */
export interface MatchReference {
  personId: string;
  uin?: string;
  score: number;
}

export type EnrolmentResult =
  /** No likely duplicate: the person is created with a UIN. */
  | { outcome: 'created'; person: PersonRecord }
  /** A certain duplicate: nothing is created; `match` is the existing record. */
  | { outcome: 'duplicate'; match: MatchReference; candidates: MatchReference[] }
  /** The grey zone: a pending record (no UIN) and a case for a supervisor. */
  | { outcome: 'review'; person: PersonRecord; caseId: string; candidates: MatchReference[] };

/**
 * Enrols a person: validate against the jurisdiction's rules → blocking keys → candidates from
 * the store → score → decide → create with a UIN, refuse with the matching record's reference, or
 * queue for adjudication; all in one transaction, with the lifecycle event queued for the
 * transparency log in it. The transaction first locks the enrolment's keys, so a concurrent
 * enrolment of the same person waits and then sees this one.
 */
export async function enrolPerson(
  request: EnrolPersonRequest,
  context: RegistryContext,
): Promise<EnrolmentResult> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.registrar, 'registrar');
  checkText(request?.office, 'office');
  const now = ctx.clock.now();
  assertValidPerson(request.data, ctx.rules, now);
  const data = request.data;
  const profile = matchProfile(data);
  const keys = blockingKeys(profile, ctx.blocking);
  return ctx.stores.transaction(async (stores) => {
    await checkGuardians(stores, data, undefined);
    // Both sets: whoever finds this record later (by one of its stored keys) or is found by it
    // (by one of its query keys) locked that same key, so the two enrolments run in turn.
    await stores.registry.lockKeys([...keys.query, ...keys.stored]);
    const found = await stores.registry.findCandidates(keys.query, { limit: ctx.candidateLimit });
    let scored = scoreCandidates(profile, found, ctx.thresholds.review);
    // A pending candidate that reaches the review line as written is scored again with the active
    // record its open case names (`scorePendingMatch`): never higher, so the others stay as they are.
    const pendingIds = scored
      .filter((s) => s.record.state === 'pending' && s.scored.match.score >= ctx.thresholds.review)
      .map((s) => s.record.id);
    if (pendingIds.length > 0) {
      const named = await stores.registry.caseNamedRecords(pendingIds);
      scored = scoreCandidates(profile, found, ctx.thresholds.review, named);
    }
    const decision = decideMatch(
      scored.map((s) => s.scored),
      ctx.thresholds,
    );
    const byId = new Map(found.map((p) => [p.id, p]));
    const references = decision.candidates.map((c) => reference(c, byId));
    if (decision.outcome === 'duplicate') {
      return { outcome: 'duplicate', match: reference(decision.match, byId), candidates: references };
    }
    const review = decision.outcome === 'review';
    const person = await stores.registry.insertPerson(
      {
        id: newRegistryId(ctx.crypto),
        state: review ? 'pending' : 'active',
        data,
        enrolment: { registrar: request.registrar, office: request.office, at: now },
        blockingKeys: keys.stored,
      },
      uinSource(ctx),
    );
    await stores.log.append(
      lifecycleLogEntry(
        {
          event: review ? 'queued' : 'enrolled',
          personId: person.id,
          version: person.version,
          by: request.registrar,
          at: now,
        },
        ctx.crypto,
      ),
    );
    if (!review) return { outcome: 'created', person };
    const caseId = newRegistryId(ctx.crypto);
    await stores.registry.createCase({
      id: caseId,
      subjectId: person.id,
      candidates: decision.candidates.map(caseCandidate),
      state: 'pending',
      createdAt: now,
    });
    return { outcome: 'review', person, caseId, candidates: references };
  });
}

/**
 * The candidates that reach the review line `review`, scored; a pending one against the active
 * record its open case names (`named`, by the pending record's id), as `scorePendingMatch` says.
 */
export function scoreCandidates(
  profile: MatchProfile,
  found: readonly MatchCandidate[],
  review: number,
  named: ReadonlyMap<string, MatchCandidate | KnownCandidate> = new Map(),
): Array<{ record: MatchCandidate; scored: ScoredCandidate }> {
  const scored: Array<{ record: MatchCandidate; scored: ScoredCandidate }> = [];
  for (const record of found) {
    // A candidate that cannot reach the review line is left out: the decision ignores it, and
    // its names, most of the work, are not compared.
    const other = named.get(record.id)?.data;
    const match = other
      ? scorePendingMatchAtLeast(profile, matchProfile(record.data), matchProfile(other), review)
      : scoreMatchAtLeast(profile, matchProfile(record.data), review);
    if (match) scored.push({ record, scored: { personId: record.id, match } });
  }
  return scored;
}

export function caseCandidate(candidate: ScoredCandidate): CaseCandidate {
  return { personId: candidate.personId, score: candidate.match.score, weights: candidate.match.weights };
}

function reference(candidate: ScoredCandidate, byId: Map<string, MatchCandidate>): MatchReference {
  const uin = byId.get(candidate.personId)?.uin;
  return { personId: candidate.personId, ...(uin ? { uin } : {}), score: candidate.match.score };
}

/**
 * Guardian links must name existing, living, unmerged records other than the person: a minor's
 * guardian is someone the registry knows.
 */
export async function checkGuardians(
  stores: Stores,
  data: PersonData,
  self: string | undefined,
): Promise<void> {
  for (const link of data.guardians ?? []) {
    if (link.personId === self) throw fail('PERSON_INVALID', 'guardians[] guardian_self');
    const guardian = await stores.registry.getPerson(link.personId);
    if (!guardian) throw fail('PERSON_UNKNOWN', 'a guardian link names no registered person');
    if (guardian.state !== 'active' && guardian.state !== 'pending') {
      throw fail('PERSON_STATE_CONFLICT', `a guardian link names a ${guardian.state} record`);
    }
  }
}

export type { ResolvedRegistryContext };
