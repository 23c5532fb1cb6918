import type { MatchProfile } from './match-profile.js';

/**
 * Blocking keys: a new enrolment is scored only against records that share at least one key, so
 * the work per enrolment stays small at any registry size. A key must survive what separates two
 * records of one person (another script, another spelling, a typo, swapped name order, an
 * estimated or mistyped birth date) and still split the population into small blocks. Name parts
 * enter keys as coarse Double Metaphone codes (`blockingCode`), so spellings that sound alike
 * meet; the birth date enters at the precision the record has:
 *
 * - `p:<code>|<code>:<when>`: two of the person's name parts, sorted (so given/family order does
 *   not matter), with the birth month (`YYYY-MM`) of an exactly dated record, or the year of a
 *   partial or estimated one, or `-` without a date. Every pair of parts of every reading of
 *   every name gives one, so a typo in one part leaves the pairs of the others, and the Arabic and
 *   Latin forms of a name meet on their codes. An exactly dated record is stored under
 *   `y:<pair>:<year>` too, for partial dates to find it.
 * - `t:<code>|<code>|<code>:<decade>`: three parts with the birth decade, so a mistyped or badly
 *   estimated year still finds a record of a three-part name.
 * - `e:<code less one sound>|<code>:<year>` and `m:<code>:<YYYY-MM>`: for two-part names, which
 *   have a single pair, one part's code with one sound deleted and the other part's code (a typo
 *   or another spelling that changes one sound of one part: Okafor / Ozafor, Jamila / Gamila),
 *   and each part's code with the birth month.
 *
 * An enrolment is stored under `stored` and looks up `query`: the same keys, widened to the
 * birth dates the other record could carry (±`yearWindow` years, day and month swapped, a
 * partial date against every month of its years, a neighbouring decade).
 */
export interface BlockingKeys {
  /** Sorted. */
  stored: string[];
  /** Distinct, in no particular order. */
  query: string[];
}

export interface BlockingOptions {
  /** Years either side of the birth year that the keys look up (default 2). */
  yearWindow?: number;
  /** Distinct blocking codes per name part used in keys (default 4). */
  codesPerPart?: number;
  /**
   * Whether the registry may hold records without a birth date, which only `-` keys find (default
   * true). A jurisdiction that has always required the date turns it off and saves a quarter of
   * the lookups; one that ever accepted undated records must keep it on.
   */
  undated?: boolean;
}

export function blockingKeys(profile: MatchProfile, options: BlockingOptions = {}): BlockingKeys {
  return keysOf(profile, options, true);
}

/**
 * The keys a record is stored under, the same as `blockingKeys(profile, options).stored`, without
 * building its lookup keys (five times as many): for a bulk load of people known to be distinct,
 * which looks nothing up.
 */
export function storedBlockingKeys(profile: MatchProfile, options: BlockingOptions = {}): string[] {
  return keysOf(profile, options, false).stored;
}

function keysOf(profile: MatchProfile, options: BlockingOptions, lookups: boolean): BlockingKeys {
  const window = options.yearWindow ?? 2;
  const perPart = options.codesPerPart ?? 4;
  const undated = options.undated ?? true;
  const pairs = new Set<string>();
  const triples = new Set<string>();
  const twoPartCodes = new Set<string>();
  const dayCodes = new Set<string>();
  const edits = new Set<string>();
  for (const variant of profile.names) {
    if (variant.kind === 'native') continue;
    const codes = variant.tokens.map((t) =>
      [...new Set(t.codes.map(blockingCode))].filter((c) => c.length > 0).slice(0, perPart),
    );
    for (let i = 0; i < codes.length; i++) {
      for (let j = i + 1; j < codes.length; j++) {
        for (const a of codes[i]!) for (const b of codes[j]!) pairs.add(a < b ? `${a}|${b}` : `${b}|${a}`);
        for (let k = j + 1; k < codes.length; k++) {
          for (const a of codes[i]!.slice(0, 1))
            for (const b of codes[j]!.slice(0, 1))
              for (const c of codes[k]!.slice(0, 1)) triples.add([a, b, c].sort().join('|'));
        }
      }
    }
    // A one-part name (a mononym): its code alone stands in for a pair.
    if (codes.length === 1) for (const a of codes[0]!) pairs.add(a);
    // A longer name is stored under its given and family names' first codes with the birth date
    // too, where a two-part record of the same person (the father's name left out, a slip in one
    // part) looks: it has no pair left in common with the longer one. By the day, not the month:
    // a common given name's month block would add a quarter more candidates to every two-part
    // enrolment.
    if (codes.length > 2) {
      variant.tokens.forEach((token, i) => {
        if (token.role !== 'middle' && codes[i]![0]) dayCodes.add(codes[i]![0]!);
      });
    }
    if (codes.length === 2) {
      for (const [mine, other] of [
        [codes[0]!, codes[1]!],
        [codes[1]!, codes[0]!],
      ] as const) {
        for (const code of mine) {
          twoPartCodes.add(code);
          if (code.length < 3) continue;
          for (let d = 0; d < code.length; d++) {
            const shorter = code.slice(0, d) + code.slice(d + 1);
            for (const b of other.slice(0, 2)) edits.add(`${shorter}|${b}`);
          }
        }
      }
    }
  }

  const birth = profile.birth;
  const exact = birth !== undefined && birth.month !== undefined && !birth.estimated;
  // The months and years this record is stored under, and those it looks up.
  const storedWhen = !birth ? '-' : exact ? yearMonth(birth.year, birth.month!) : String(birth.year);
  const years: number[] = [];
  if (birth) for (let y = birth.year - window; y <= birth.year + window; y++) years.push(y);
  const months: string[] = [];
  if (birth && exact) {
    // Exactly dated: the same month (a day typo), day and month swapped, the year a little off.
    for (const y of years) months.push(yearMonth(y, birth.month!));
    if (birth.day !== undefined && birth.day <= 12 && birth.day !== birth.month) {
      months.push(yearMonth(birth.year, birth.day));
    }
  }
  // An exactly dated record is also stored under its year with the prefix `y`, which only partial
  // and estimated dates look up: they meet exact records of their years without asking for every
  // month, and exact records do not crowd each other's year blocks.
  const queryWhen = [
    ...(undated || !birth ? ['p:-'] : []),
    ...(exact
      ? [...years.map((y) => `p:${y}`), ...months.map((m) => `p:${m}`)]
      : years.flatMap((y) => [`p:${y}`, `y:${y}`])),
  ];

  const queryParts = queryWhen.map((when) => [when.slice(0, 2), `:${when.slice(2)}`] as const);
  const stored = new Set<string>();
  const query = new Set<string>();
  for (const pair of pairs) {
    stored.add(`p:${pair}:${storedWhen}`);
    if (birth && exact) stored.add(`y:${pair}:${birth.year}`);
    if (!lookups) continue;
    for (const [prefix, date] of queryParts) query.add(prefix + pair + date);
  }
  const decade = birth ? Math.floor(birth.year / 10) : undefined;
  for (const triple of triples) {
    stored.add(`t:${triple}:${decade ?? '-'}`);
    if (!lookups) continue;
    if (undated || !birth) query.add(`t:${triple}:-`);
    if (decade !== undefined) for (const d of [decade - 1, decade, decade + 1]) query.add(`t:${triple}:${d}`);
  }
  for (const edit of edits) {
    stored.add(`e:${edit}:${birth ? birth.year : '-'}`);
    if (!lookups) continue;
    if (undated || !birth) query.add(`e:${edit}:-`);
    // A year either side: the edit keys are many already, and a changed sound with a year off
    // by two is rare.
    if (birth) for (let y = birth.year - 1; y <= birth.year + 1; y++) query.add(`e:${edit}:${y}`);
  }
  if (birth && exact) {
    for (const code of twoPartCodes) {
      stored.add(`m:${code}:${yearMonth(birth.year, birth.month!)}`);
      if (lookups) for (const month of months.slice(0, 1 + window * 2 + 1)) query.add(`m:${code}:${month}`);
    }
    if (birth.day !== undefined) {
      const day = yearMonthDay(birth.year, birth.month!, birth.day);
      for (const code of dayCodes) stored.add(`d:${code}:${day}`);
      if (lookups && twoPartCodes.size > 0) {
        const days = [day];
        if (birth.day <= 12 && birth.day !== birth.month) {
          days.push(yearMonthDay(birth.year, birth.day, birth.month!));
        }
        for (const code of twoPartCodes) for (const d of days) query.add(`d:${code}:${d}`);
      }
    }
  }
  // The lookups in no particular order: sorting five dozen freshly built strings cost more than
  // building them, and every caller puts them in a set or hashes them.
  return { stored: [...stored].sort(), query: [...query] };
}

/**
 * A Double Metaphone code made coarser for blocking: a leading vowel sound dropped (Ibrahim ~
 * Brahim) and at most three sounds kept (Beatrice ~ Beatrix, Francis ~ Francois). Scoring still
 * compares the full names.
 */
export function blockingCode(code: string): string {
  const body = code.length > 2 && code[0] === 'A' ? code.slice(1) : code;
  return body.slice(0, 3);
}

function yearMonth(year: number, month: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

function yearMonthDay(year: number, month: number, day: number): string {
  return `${yearMonth(year, month)}-${String(day).padStart(2, '0')}`;
}
