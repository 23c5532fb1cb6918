import type { MatchScore } from './score-match.js';

/** Where the matcher draws its lines, in bits of evidence (see `scoreMatch`). */
export interface MatchThresholds {
  /** At or above: a certain duplicate, refused with the matching record's reference. */
  duplicate: number;
  /** At or above (and below `duplicate`): the grey zone, queued for a supervisor. */
  review: number;
}

/** Chosen on the synthetic population (`evaluateMatcher`, docs/registry.md). */
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = Object.freeze({ duplicate: 24, review: 13 });

export interface ScoredCandidate {
  personId: string;
  match: MatchScore;
}

export type MatchDecision =
  | { outcome: 'clear'; candidates: ScoredCandidate[] }
  | { outcome: 'duplicate'; match: ScoredCandidate; candidates: ScoredCandidate[] }
  | { outcome: 'review'; candidates: ScoredCandidate[] };

/**
 * The three outcomes. `candidates` are those at or above the review line, best first. A record is
 * a certain duplicate only of a candidate whose birth date agrees to the day (or nearly): names
 * and a birth year alone are shared by too many people to refuse anyone on them; and whose names
 * agree in writing, not only in sound (twins Hassan and Hussein). A record that
 * contradicts a candidate outright (sex, birth years apart) is never a certain duplicate of it,
 * only a case for review.
 */
export function decideMatch(
  scored: readonly ScoredCandidate[],
  thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS,
): MatchDecision {
  checkThresholds(thresholds);
  const candidates = scored
    .filter((c) => c.match.score >= thresholds.review)
    .sort((a, b) => b.match.score - a.match.score || (a.personId < b.personId ? -1 : 1));
  const best = candidates[0];
  if (!best) return { outcome: 'clear', candidates: [] };
  if (
    best.match.score >= thresholds.duplicate &&
    !best.match.conflict &&
    best.match.dayLevelBirthDate &&
    !best.match.nameBySound
  ) {
    return { outcome: 'duplicate', match: best, candidates };
  }
  return { outcome: 'review', candidates };
}

export function checkThresholds(thresholds: MatchThresholds): void {
  if (
    typeof thresholds !== 'object' ||
    thresholds === null ||
    !Number.isFinite(thresholds.duplicate) ||
    !Number.isFinite(thresholds.review) ||
    thresholds.review > thresholds.duplicate
  ) {
    throw new TypeError('thresholds must be finite numbers with review <= duplicate');
  }
}
