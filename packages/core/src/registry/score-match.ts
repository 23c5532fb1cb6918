import { jaroWinkler } from './jaro-winkler.js';
import type { MatchProfile, NameRole, NameToken, NameVariant } from './match-profile.js';
import type { DateParts } from './partial-date.js';

/**
 * How two records compare, field by field, as evidence weights in bits (log2 of how much more
 * often this agreement is seen between two records of one person than between two people: the
 * Fellegi–Sunter model, "A Theory for Record Linkage", JASA 1969). Agreement adds, disagreement
 * subtracts, a missing field adds nothing. The weights are set by hand for the synthetic
 * population and checked by `evaluateMatcher`; `docs/registry.md` lists them.
 */
export interface MatchScore {
  /** The sum of the field weights. */
  score: number;
  /** Best name similarity over every pair of name readings, in [0, 1]. */
  nameSimilarity: number;
  weights: { name: number; birthDate: number; sex: number; placeOfBirth: number };
  /** A field contradicts the other record outright (sex, or birth dates years apart). */
  conflict: boolean;
  /** The birth dates agree to the day (or nearly: swapped, a digit off): what a certain duplicate needs. */
  dayLevelBirthDate: boolean;
  /**
   * The given names counted as agreeing only because they sound alike (Hasan / Husayn), though
   * written apart: two names, as often as one. Twins named Hassan and Hussein share everything
   * else, so such a match is never a certain duplicate, only a case for review.
   */
  nameBySound: boolean;
}

/** Similarity of two name parts: the best Jaro-Winkler over their spellings, at least `PHONETIC` if they sound alike. */
const PHONETIC = 0.9;
const SHORT = 4;
const SHORT_CAP = 0.75;
const NATIVE_STEP = 0.1;
const FOLDED = 0.95;

function sameInitial(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.some((y) => x[0] === y[0]));
}

function maxLength(a: readonly string[], b: readonly string[]): number {
  let max = 0;
  for (const s of a) if (s.length > max) max = s.length;
  for (const s of b) if (s.length > max) max = s.length;
  return max;
}

/** How alike two name parts are written: Jaro-Winkler over their spellings, folded spellings, short names. */
function spellingSimilarity(x: NameToken, y: NameToken): number {
  let best = 0;
  for (const a of x.forms) {
    for (const b of y.forms) {
      const s = a === b ? 1 : jaroWinkler(a, b);
      if (s > best) best = s;
      if (best === 1) return 1;
    }
  }
  // Two family names that are one Arabic name in other romanisations (Majbouth / Magbus) compare
  // by their folded spellings, up to FOLDED: a family name's letters change between documents only
  // this way or by a slip, so the family curve can weigh a real difference heavily.
  // (Neither spelled with a letter that folds: the folded spellings are the spellings, compared above.)
  if (best < FOLDED && (x.foldChanges || y.foldChanges) && x.folded.length > 0 && y.folded.length > 0) {
    for (const a of x.folded) {
      for (const b of y.folded) {
        const s = Math.min(FOLDED, a === b ? 1 : jaroWinkler(a, b));
        if (s > best) best = s;
      }
    }
  }
  // Short names that differ in their first letter are different names (Ahmad / Mohammad in
  // Arabic script, Omar / Amar), though Jaro-Winkler rates them above 0.8; a typo further in
  // (Mary / Mtry) keeps its Jaro-Winkler rating.
  if (
    best < 1 &&
    best > SHORT_CAP &&
    maxLength(x.forms, y.forms) <= SHORT &&
    !sameInitial(x.forms, y.forms)
  ) {
    best = SHORT_CAP;
  }
  return best;
}

/** Whether two parts sound alike (a Double Metaphone code in common). */
function soundAlike(x: NameToken, y: NameToken): boolean {
  return x.codes.some((c) => y.codes.includes(c));
}

function tokenSimilarity(x: NameToken, y: NameToken): number {
  let best = spellingSimilarity(x, y);
  if (best < PHONETIC && soundAlike(x, y)) best = PHONETIC;
  // Names compared as written in Arabic or Cyrillic (no phonetic codes): Arabic writes no short
  // vowels, so its words are short and two different names share most of their letters (أمينة /
  // ياسمين rate 0.8); a name's own spellings are normalised before (hamza seats, ta marbuta). Such
  // a pair that is not the same word counts one step lower.
  if (best < 1 && x.codes.length === 0 && y.codes.length === 0) best = Math.max(0, best - NATIVE_STEP);
  return best;
}

// Similarity of one pair of name parts → evidence weight (bits), linear between these points. An
// exact part is worth about what a name of middling frequency is (a common name like Mohammed is
// worth less in truth, a rare one more: the weights do not know name frequencies); two clearly
// different parts weigh heavily against, because a person's own name parts rarely change.
const PART_CURVE: ReadonlyArray<readonly [number, number]> = [
  [0, -10],
  [0.7, -10],
  [0.75, -4],
  [0.8, -1],
  [0.85, 1.5],
  [0.9, 3],
  [0.95, 4],
  [1, 5],
];
/**
 * Two family names: the same ends, but a steeper fall below 0.9. With romanisation variants
 * folded, a person's own family name on two records rates 0.9 or more in 99.4% of the synthetic
 * repeats, while two people's similar names (Kovalenko / Kravchenko, 0.8) are common among namesakes.
 */
const FAMILY_CURVE: ReadonlyArray<readonly [number, number]> = [
  [0, -10],
  [0.75, -8],
  [0.8, -6],
  [0.85, -2],
  [0.9, 3],
  [0.95, 4],
  [1, 5],
];
/**
 * A part paired across the father's-name field and another field counts this share of its
 * agreement: where names run given name, father's name, family name, a father's given name is
 * written as his children's middle name, so Ahmad (given) against Ahmad (father's name) is as
 * often father and son as one person with the names reordered.
 */
const ACROSS_MIDDLE = 0.3;
/**
 * A part's weight by the fields both parts were written in. A given name that clearly differs from
 * its partner is the strongest sign of two people (twice the weight): siblings share the family
 * name, the father's name, the place and, for twins, the birth date, and differ only there. A
 * father's name (the middle field) is often dropped or abbreviated and shared by siblings: it
 * counts less either way. Parts paired across the given and family fields (name order swapped)
 * weigh as written; across the father's-name field, agreement counts `ACROSS_MIDDLE` of itself.
 */
function partWeight(similarity: number, a: NameRole, b: NameRole): number {
  const weight = curve(a === 'family' && b === 'family' ? FAMILY_CURVE : PART_CURVE, similarity);
  if (weight < 0 && (a === 'given' || b === 'given')) return weight * 2;
  if (a === 'middle' && b === 'middle') return weight < 0 ? weight * 0.6 : weight * 0.8;
  if (weight > 0 && (a === 'middle' || b === 'middle')) return weight * ACROSS_MIDDLE;
  return weight;
}

/**
 * A part that only one record has: a middle name recorded once is weak evidence against; a
 * given or family name left without a partner (the other record's given name paired elsewhere)
 * stronger.
 */
const UNMATCHED: Readonly<Record<NameRole, number>> = { given: -3, middle: -0.5, family: -2 };

function curve(points: ReadonlyArray<readonly [number, number]>, x: number): number {
  for (let i = 1; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const [x0, y0] = points[i - 1]!;
      return x1 === x0 ? y1 : y0 + ((x - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return points[points.length - 1]![1];
}

/**
 * Compares two names as sets of parts: the parts are paired to maximise the total evidence (so
 * swapped given and family names, or a reordered compound, cost nothing), each pair adds its
 * part weight, each part left over in the longer name its `UNMATCHED` weight. Returns the weight and
 * the mean similarity of the paired parts.
 */
export function compareNameParts(xs: readonly NameToken[], ys: readonly NameToken[]): NameComparison {
  const [small, large] = xs.length <= ys.length ? [xs, ys] : [ys, xs];
  const n = small.length;
  const m = large.length;
  if (n === 0) return { weight: 0, similarity: 0, bySound: false };
  const sim: number[][] = small.map((x) => large.map((y) => tokenSimilarity(x, y)));
  const w: number[][] = sim.map((row, i) => row.map((s, j) => partWeight(s, small[i]!.role, large[j]!.role)));
  let best = -Infinity;
  let bestSim = 0;
  const chosen = new Int8Array(n);
  const bestChosen = new Int8Array(n);
  const used = new Uint8Array(m);
  const maxPart = PART_CURVE[PART_CURVE.length - 1]![1];
  const search = (i: number, total: number, simTotal: number) => {
    if (i === n) {
      for (let j = 0; j < m; j++) if (!used[j]) total += UNMATCHED[large[j]!.role];
      if (total > best) {
        best = total;
        bestSim = simTotal;
        bestChosen.set(chosen);
      }
      return;
    }
    // Even a perfect rest cannot beat the best: prune.
    if (total + (n - i) * maxPart <= best) return;
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = 1;
      chosen[i] = j;
      search(i + 1, total + w[i]![j]!, simTotal + sim[i]![j]!);
      used[j] = 0;
    }
  };
  search(0, 0, 0);
  // Given names that count as alike only because they sound alike: Hasan / Husayn, Mohamad /
  // Mahmoud (twins differ in nothing else).
  let bySound = false;
  for (let i = 0; i < n && !bySound; i++) {
    const j = bestChosen[i]!;
    if (
      sim[i]![j] === PHONETIC &&
      small[i]!.role === 'given' &&
      large[j]!.role === 'given' &&
      spellingSimilarity(small[i]!, large[j]!) < PHONETIC
    ) {
      bySound = true;
    }
  }
  return { weight: best, similarity: bestSim / n, bySound };
}

export interface NameComparison {
  weight: number;
  /** Mean similarity of the paired parts. */
  similarity: number;
  /** The given names agree only in sound, not in spelling (see `MatchScore.nameBySound`). */
  bySound: boolean;
}

/**
 * Whether two name readings are compared: names in one script as written (native), Latin names
 * with each other and with the Latin readings of names in other scripts.
 */
function comparable(x: NameVariant, y: NameVariant): boolean {
  if (x.kind === 'native' || y.kind === 'native') return x.kind === y.kind && x.script === y.script;
  if (x.kind === 'reading' && y.kind === 'reading') return x.script !== y.script;
  return true;
}

/** The best name comparison over every comparable pair of the two records' name readings. */
export function compareNames(a: MatchProfile, b: MatchProfile): NameComparison {
  let best: NameComparison = { weight: 0, similarity: 0, bySound: false };
  let found = false;
  for (const x of a.names) {
    for (const y of b.names) {
      if (!comparable(x, y)) continue;
      const c = compareNameParts(x.tokens, y.tokens);
      if (!found || c.weight > best.weight) best = c;
      found = true;
    }
  }
  return best;
}

/** Two years that differ by one digit, or by two swapped digits (1985 / 1958): a likely typo. */
function yearTypo(a: number, b: number): boolean {
  const x = String(a);
  const y = String(b);
  if (x.length !== y.length) return false;
  const diff = [...x].map((c, i) => (c === y[i] ? -1 : i)).filter((i) => i >= 0);
  if (diff.length === 1) return true;
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    x[diff[0]!] === y[diff[1]!] &&
    x[diff[1]!] === y[diff[0]!]
  );
}

/**
 * Birth date evidence. An estimated date is compared at year precision only (an estimate's month
 * and day, often 1 January, say nothing). The weights are near their Fellegi–Sunter values for
 * birth dates spread over some 80 years: an exact date is rare between two people (about 1 in
 * 30,000), a shared year common (1 in 80).
 */
export function birthDateWeight(
  a: DateParts | undefined,
  b: DateParts | undefined,
): { weight: number; conflict: boolean; dayLevel: boolean } {
  const none = { weight: 0, conflict: false, dayLevel: false };
  if (!a || !b) return none;
  const estimated = a.estimated || b.estimated;
  const dy = Math.abs(a.year - b.year);
  const result = (weight: number, conflict = false, dayLevel = false) => ({ weight, conflict, dayLevel });
  if (!estimated && a.day !== undefined && b.day !== undefined) {
    if (dy === 0 && a.month === b.month && a.day === b.day) return result(12, false, true);
    if (dy === 0 && a.month === b.day && a.day === b.month) return result(9, false, true);
    if (dy === 0 && a.month === b.month)
      return Math.abs(a.day - b.day) <= 3 ? result(7, false, true) : result(3);
    if (a.month === b.month && a.day === b.day && (dy === 1 || yearTypo(a.year, b.year)))
      return result(6, false, true);
    // The same year but another month, neither swapped nor near: repeats of one person almost never
    // show it (a month is rarely mistyped alone), while people born the same year do 11 times in 12.
    if (dy === 0) return result(-5);
    return result(-8, dy > 2);
  }
  const monthKnown = !estimated && a.month !== undefined && b.month !== undefined;
  if (dy === 0) {
    if (monthKnown) return a.month === b.month ? result(8) : result(-4);
    return result(5);
  }
  // An estimate against a documented date (one record estimated, the other not): the estimate
  // mostly gives the documented year (the person knew it), one off in about one case in ten (the
  // synthetic population's rate), two off hardly ever; two estimates drift more (a year off in
  // three of ten, two in one of ten).
  const mixed = a.estimated !== b.estimated;
  if (dy === 1) return estimated ? result(mixed ? 2 : 3) : result(-3);
  if (dy === 2 && estimated) return result(mixed ? 0.5 : 1.5);
  if (yearTypo(a.year, b.year)) return result(-2);
  return result(-8, dy > (estimated ? 4 : 2));
}

function sexWeight(a: MatchProfile['sex'], b: MatchProfile['sex']): { weight: number; conflict: boolean } {
  if (!a || !b || a === 'not_stated' || b === 'not_stated') return { weight: 0, conflict: false };
  return a === b ? { weight: 1, conflict: false } : { weight: -10, conflict: true };
}

function placeWeight(a: MatchProfile['placeOfBirth'], b: MatchProfile['placeOfBirth']): number {
  if (!a?.country || !b?.country || a.country === 'XX' || b.country === 'XX') return 0;
  // A person's country of birth is recorded the same way almost every time (m ≈ 0.01 of
  // disagreeing), while two people from a mixed population differ often (u ≈ 0.5 or more).
  if (a.country !== b.country) return -8;
  if (!a.locality || !b.locality) return 0.5;
  // Place names vary like personal names: spelling, sound, or one keyboard slip (Bamako / Bamqko),
  // and a place has other names (Halab / Aleppo: the gazetteer, `place-names.ts`), each of which
  // may carry a slip (Hllab).
  const x = a.locality;
  const y = b.locality;
  for (const p of [x.name, ...x.aliases]) {
    for (const q of [y.name, ...y.aliases]) {
      if (p === q || jaroWinkler(p, q) >= 0.9 || oneEditApart(p, q)) return 3;
    }
  }
  if (x.codes.some((c) => y.codes.includes(c))) return 3;
  // Another town of the same country: once a place's other names are known, a person's own records
  // seldom name two places (a village once, its district town another time: taken as m ≈ 0.02; the
  // synthetic repeats only by a slip), while two people of one country mostly do (u ≈ 0.8).
  return -5;
}

/** At most one letter substituted, dropped, added, or two neighbours swapped (Damerau). */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Scores a pair of records (see `MatchScore`). Symmetric. */
export function scoreMatch(a: MatchProfile, b: MatchProfile): MatchScore {
  const birth = birthDateWeight(a.birth, b.birth);
  const sex = sexWeight(a.sex, b.sex);
  const placeOfBirth = placeWeight(a.placeOfBirth, b.placeOfBirth);
  return assemble(compareNames(a, b), birth, sex, placeOfBirth);
}

/** The most one pair of name parts adds: the top of the part curves (`partWeight` only lowers it). */
const MAX_PART_WEIGHT = Math.max(
  PART_CURVE[PART_CURVE.length - 1]![1],
  FAMILY_CURVE[FAMILY_CURVE.length - 1]![1],
);

/**
 * `scoreMatch(a, b)` when the pair can score `floor` or more, else undefined. The fields other than
 * the names are weighed first; the names add at most `MAX_PART_WEIGHT` for each part of the shorter
 * name (paired parts add at most that, parts left over subtract). Most candidates blocking finds
 * are namesakes born in another year or place (three in four in the synthetic population), and a
 * decision that ignores every candidate below the review line need not compare their names.
 */
export function scoreMatchAtLeast(a: MatchProfile, b: MatchProfile, floor: number): MatchScore | undefined {
  const birth = birthDateWeight(a.birth, b.birth);
  const sex = sexWeight(a.sex, b.sex);
  const placeOfBirth = placeWeight(a.placeOfBirth, b.placeOfBirth);
  const most = MAX_PART_WEIGHT * Math.min(longestName(a), longestName(b));
  // A hundredth below the floor: the score is rounded to hundredths.
  if (birth.weight + sex.weight + placeOfBirth + most < floor - 0.01) return undefined;
  return assemble(compareNames(a, b), birth, sex, placeOfBirth);
}

function longestName(profile: MatchProfile): number {
  let parts = 0;
  for (const variant of profile.names) if (variant.tokens.length > parts) parts = variant.tokens.length;
  return parts;
}

function assemble(
  names: NameComparison,
  birth: ReturnType<typeof birthDateWeight>,
  sex: ReturnType<typeof sexWeight>,
  placeOfBirth: number,
): MatchScore {
  const score = names.weight + birth.weight + sex.weight + placeOfBirth;
  return {
    score: Math.round(score * 100) / 100,
    nameSimilarity: Math.round(names.similarity * 1000) / 1000,
    weights: {
      name: Math.round(names.weight * 100) / 100,
      birthDate: birth.weight,
      sex: sex.weight,
      placeOfBirth,
    },
    conflict: birth.conflict || sex.conflict,
    dayLevelBirthDate: birth.dayLevel,
    nameBySound: names.bySound,
  };
}

/** How much a birth date says: none, an estimate or a year, a month, a day. */
function datePrecision(date: DateParts | undefined): number {
  if (!date) return 0;
  if (date.estimated) return 1;
  return date.day !== undefined ? 4 : date.month !== undefined ? 3 : 2;
}

function placeSilent(place: MatchProfile['placeOfBirth']): boolean {
  return !place?.country || place.country === 'XX';
}

/**
 * A pending record (queued for review, not yet adjudicated) as the person it would be if merged
 * into `named`, the active record its case names first: where the pending record is silent (no
 * place of birth, a place without its town, a birth date less precise, sex not stated), `named`'s
 * entry stands in.
 */
export function completeFromCase(pending: MatchProfile, named: MatchProfile): MatchProfile {
  const out: MatchProfile = { ...pending };
  const place = pending.placeOfBirth;
  const other = named.placeOfBirth;
  if (
    other &&
    !placeSilent(other) &&
    (placeSilent(place) || (!place!.locality && other.locality && other.country === place!.country))
  ) {
    out.placeOfBirth = other;
  }
  if (datePrecision(named.birth) > datePrecision(pending.birth)) out.birth = named.birth;
  if ((!pending.sex || pending.sex === 'not_stated') && named.sex && named.sex !== 'not_stated') {
    out.sex = named.sex;
  }
  return out;
}

/**
 * Scores a record against a pending record whose case names the active record `named`. Left
 * unadjudicated (a bulk import), the queue keeps a person's repeat as a second, sparser record: a
 * repeat that dropped the place or kept only the birth year, which namesakes from other towns and
 * days match on what it leaves out. The pair scores the lower of the pending record as written and
 * the pending record completed from `named` (`completeFromCase`): what the person's other record
 * says can tell against a match, never for it, since the pending record may yet be someone else.
 */
export function scorePendingMatch(a: MatchProfile, pending: MatchProfile, named: MatchProfile): MatchScore {
  return lowerOf(scoreMatch(a, pending), scoreMatch(a, completeFromCase(pending, named)));
}

/**
 * `scorePendingMatch` where only a score reaching `floor` matters (the review line): undefined
 * when the lower of the two cannot reach it, as `scoreMatchAtLeast`.
 */
export function scorePendingMatchAtLeast(
  a: MatchProfile,
  pending: MatchProfile,
  named: MatchProfile,
  floor: number,
): MatchScore | undefined {
  const written = scoreMatchAtLeast(a, pending, floor);
  return written && completePendingScore(a, written, pending, named, floor);
}

/** `scorePendingMatchAtLeast` given the score as written (`scoreMatchAtLeast(a, pending, floor)`). */
export function completePendingScore(
  a: MatchProfile,
  written: MatchScore,
  pending: MatchProfile,
  named: MatchProfile,
  floor: number,
): MatchScore | undefined {
  const completed = scoreMatchAtLeast(a, completeFromCase(pending, named), floor);
  return completed && lowerOf(written, completed);
}

function lowerOf(written: MatchScore, completed: MatchScore): MatchScore {
  if (completed.score >= written.score) return written;
  // Borrowed fields never make a refusal: a day-level date must be the pending record's own.
  return {
    ...completed,
    conflict: completed.conflict || written.conflict,
    dayLevelBirthDate: completed.dayLevelBirthDate && written.dayLevelBirthDate,
  };
}
