import { type BlockingOptions, blockingKeys } from './blocking-keys.js';
import {
  DEFAULT_MATCH_THRESHOLDS,
  decideMatch,
  type MatchThresholds,
  type ScoredCandidate,
} from './decide-match.js';
import { type MatchProfile, matchProfile } from './match-profile.js';
import { type MatchScore, scoreMatch, scorePendingMatch } from './score-match.js';
import {
  generateSyntheticPopulation,
  type SyntheticPopulationOptions,
  type SyntheticRecord,
} from './synthetic-population.js';

export interface MatcherEvaluation {
  records: number;
  people: number;
  /** Records that repeat an already enrolled person. */
  duplicates: number;
  /** Repeats caught: refused as duplicate or queued for review. */
  truePositives: number;
  /** New people refused or queued. */
  falsePositives: number;
  /** Repeats that went through as new people. */
  falseNegatives: number;
  /** truePositives / (truePositives + falsePositives): of what the matcher stopped, how much was a repeat. */
  precision: number;
  /** truePositives / duplicates: of the repeats, how many the matcher stopped. */
  recall: number;
  /** Refusals (`duplicate`) that named a record of the same person, over all refusals. */
  duplicatePrecision: number;
  /** Repeats refused outright, over all repeats (the rest of the caught ones went to review). */
  duplicateRecall: number;
  /** Review cases over all records: the supervisors' workload. */
  reviewRate: number;
  /** Repeats whose earlier record was among the blocking candidates at all. */
  blockingRecall: number;
  /** Candidates scored per enrolment. */
  candidates: { mean: number; p95: number; max: number };
  /** Blocking keys stored per person. */
  storedKeysPerPerson: number;
  outcomes: { clear: number; duplicate: number; review: number };
  thresholds: MatchThresholds;
  milliseconds: number;
}

export interface EvaluateMatcherOptions extends SyntheticPopulationOptions {
  thresholds?: MatchThresholds;
  blocking?: BlockingOptions;
  /** Time source for `milliseconds` (the core has no clock of its own); default: none, 0. */
  now?: () => number;
  /** Called for every wrong decision, to look into the matcher's mistakes. */
  onMistake?: (mistake: MatcherMistake) => void;
  /**
   * Nobody adjudicates (a bulk import): a record queued for review stays as a pending record, a
   * candidate for later enrolments like a created one, a queued repeat too; only refusals are not
   * kept. Default false: every review is settled at once.
   */
  unadjudicated?: boolean;
  /**
   * Unadjudicated only: a pending record is scored with `scorePendingMatch` against the active
   * record its case names first, as the import does (default true; false scores it as written).
   */
  completePending?: boolean;
}

export interface MatcherMistake {
  kind: 'missed' | 'false_alarm' | 'wrong_reference';
  record: SyntheticRecord;
  /** The earlier record of the same person (missed), or the candidate that was matched. */
  other?: SyntheticRecord;
  best?: ScoredCandidate;
  /** The earlier record of the same person was a blocking candidate. */
  blocked: boolean;
  /** The earlier record of the same person, scored (missed: even when not blocked). */
  trueScore?: MatchScore;
}

/**
 * Runs the enrolment decision over a synthetic population, in order, as the registry would: each
 * record is blocked against the records enrolled before it, scored and decided. A supervisor is
 * assumed to adjudicate every review case correctly (a repeat is merged, a new person created),
 * and a repeat the matcher lets through is created as a new record, as it would be. Returns
 * precision and recall of stopping repeats, and what the decision costs.
 */
export function evaluateMatcher(options: EvaluateMatcherOptions): MatcherEvaluation {
  const started = options.now?.() ?? 0;
  const thresholds = options.thresholds ?? DEFAULT_MATCH_THRESHOLDS;
  const records = generateSyntheticPopulation(options);
  const index = new Map<string, number[]>();
  const enrolled: Array<{
    person: number;
    profile: MatchProfile;
    record: SyntheticRecord;
    /** Pending (queued, unadjudicated): the active record its case names first, if any. */
    named?: number;
  }> = [];
  const unadjudicated = options.unadjudicated === true;
  const completePending = options.completePending !== false;
  const candidateCounts: number[] = [];
  let duplicates = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let dupOutcomes = 0;
  let dupCorrect = 0;
  let blockedIn = 0;
  let storedKeys = 0;
  const outcomes = { clear: 0, duplicate: 0, review: 0 };
  const present = new Set<number>();
  /** Unadjudicated: the records queued for review. */
  const pending = new Set<number>();
  for (const record of records) {
    const profile = matchProfile(record.data);
    const keys = blockingKeys(profile, options.blocking);
    const found = new Set<number>();
    for (const key of keys.query) for (const i of index.get(key) ?? []) found.add(i);
    candidateCounts.push(found.size);
    const scored = [...found].map((i) => {
      const other = enrolled[i]!;
      const match =
        other.named !== undefined && completePending
          ? scorePendingMatch(profile, other.profile, enrolled[other.named]!.profile)
          : scoreMatch(profile, other.profile);
      return { personId: String(i), match };
    });
    const decision = decideMatch(scored, thresholds);
    outcomes[decision.outcome]++;
    const repeat = present.has(record.person);
    const best = decision.candidates[0];
    const mistake = options.onMistake;
    if (repeat) {
      duplicates++;
      const blocked = [...found].some((i) => enrolled[i]!.person === record.person);
      if (blocked) blockedIn++;
      if (decision.outcome === 'clear') {
        fn++;
        if (mistake) {
          const earlier = enrolled.find((e) => e.person === record.person)!;
          mistake({
            kind: 'missed',
            record,
            other: earlier.record,
            blocked,
            trueScore: scoreMatch(profile, earlier.profile),
          });
        }
      } else tp++;
    } else if (decision.outcome !== 'clear') {
      fp++;
      mistake?.({
        kind: 'false_alarm',
        record,
        other: enrolled[Number(best!.personId)]!.record,
        best,
        blocked: false,
      });
    }
    if (decision.outcome === 'duplicate') {
      dupOutcomes++;
      if (enrolled[Number(decision.match.personId)]!.person === record.person) dupCorrect++;
      else if (repeat)
        mistake?.({
          kind: 'wrong_reference',
          record,
          other: enrolled[Number(decision.match.personId)]!.record,
          best,
          blocked: true,
        });
    }
    // What the registry holds afterwards: new people (created directly or after review), and
    // repeats the matcher missed. Caught repeats are refused or merged into the earlier record.
    // Unadjudicated: everything not refused, queued records as pending.
    if (unadjudicated ? decision.outcome !== 'duplicate' : !repeat || decision.outcome === 'clear') {
      const i = enrolled.length;
      const first = decision.outcome === 'review' ? decision.candidates[0] : undefined;
      const named =
        unadjudicated && first && !pending.has(Number(first.personId)) ? Number(first.personId) : undefined;
      if (unadjudicated && decision.outcome === 'review') pending.add(i);
      enrolled.push({ person: record.person, profile, record, ...(named !== undefined ? { named } : {}) });
      storedKeys += keys.stored.length;
      for (const key of keys.stored) {
        const list = index.get(key);
        if (list) list.push(i);
        else index.set(key, [i]);
      }
      present.add(record.person);
    }
  }
  candidateCounts.sort((a, b) => a - b);
  const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
  return {
    records: records.length,
    people: options.people,
    duplicates,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, duplicates),
    duplicatePrecision: ratio(dupCorrect, dupOutcomes),
    duplicateRecall: ratio(dupCorrect, duplicates),
    reviewRate: ratio(outcomes.review, records.length),
    blockingRecall: ratio(blockedIn, duplicates),
    candidates: {
      mean: candidateCounts.reduce((a, b) => a + b, 0) / Math.max(1, candidateCounts.length),
      p95: candidateCounts[Math.floor(candidateCounts.length * 0.95)] ?? 0,
      max: candidateCounts[candidateCounts.length - 1] ?? 0,
    },
    storedKeysPerPerson: storedKeys / Math.max(1, enrolled.length),
    outcomes,
    thresholds,
    milliseconds: (options.now?.() ?? 0) - started,
  };
}
