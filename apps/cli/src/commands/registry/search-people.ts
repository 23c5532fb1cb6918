import {
  blockingKeys,
  DEFAULT_JURISDICTION_RULES,
  matchProfile,
  type PersonData,
  type PersonRecord,
  parsePartialDate,
  type RegistryContext,
  readPerson,
  scoreMatch,
} from '@trieste/core';
import { CliError } from '../../errors.js';

export interface NameSearch {
  /** Given name(s) and family name, the family name last (`Amina Haddad`), in any one script. */
  name: string;
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the registry's blocks are keyed by name and birth date. */
  born: string;
  accessor: string;
  purpose: string;
  /** At most this many records (default 10). */
  limit?: number;
  /** Records scoring below this are left out (default 0: at least as much evidence for as against). */
  minScore?: number;
}

export interface SearchHit {
  person: PersonRecord;
  /** The matcher's score of the record against the query, in bits (core scoreMatch). */
  score: number;
}

/**
 * Finds records by name and birth date the way enrolment finds duplicates: the query becomes a
 * partial person record, its blocking keys (across scripts and spelling variants) fetch the
 * candidates, the matcher scores them. Only pending and active records are found (the store's
 * candidates). Every record returned is a read of that record: each is recorded in the access
 * audit with the purpose, in one transaction, before it is shown.
 */
export async function searchPeopleByName(query: NameSearch, context: RegistryContext): Promise<SearchHit[]> {
  const parts = query.name
    .trim()
    .split(/\s+/u)
    .filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p.length > 100) || parts.length > 8) {
    throw new CliError('USAGE', '--name takes one to eight name parts, the family name last');
  }
  const birth = parsePartialDate(query.born.trim());
  if (!birth) throw new CliError('USAGE', '--born takes YYYY, YYYY-MM or YYYY-MM-DD');
  const limit = query.limit ?? 10;
  const minScore = query.minScore ?? 0;
  const data: PersonData = {
    names: [
      {
        script: scriptOf(query.name),
        given: parts.length === 1 ? parts[0]! : parts.slice(0, -1).join(' '),
        family: parts.length === 1 ? '' : parts[parts.length - 1]!,
      },
    ],
    // A year alone is searched as an estimate: it meets exact dates of that year and the years around it.
    dateOfBirth: { value: query.born.trim(), ...(birth.month === undefined ? { estimated: true } : {}) },
  };
  const profile = matchProfile(data);
  const rules = context.rules ?? DEFAULT_JURISDICTION_RULES;
  const keys = blockingKeys(profile, {
    undated: !rules.required.includes('dateOfBirth'),
    ...context.blocking,
  });
  const found = await context.stores.registry.findCandidates(keys.query, {
    limit: context.candidateLimit ?? 2000,
  });
  const hits = found
    .map((person) => ({ person, score: scoreMatch(profile, matchProfile(person.data)).score }))
    .filter((hit) => hit.score >= minScore)
    .sort((a, b) => b.score - a.score || (a.person.id < b.person.id ? -1 : 1))
    .slice(0, limit);
  // The candidates carry no enrolment metadata: each hit's whole record is read, and the read
  // recorded, in one transaction.
  return context.stores.transaction(async (tx) => {
    const shown: SearchHit[] = [];
    for (const hit of hits) {
      const { person } = await readPerson(
        { personId: hit.person.id, accessor: query.accessor, purpose: query.purpose },
        { ...context, stores: tx },
      );
      shown.push({ person, score: hit.score });
    }
    return shown;
  });
}

/** The script a query is written in: Arabic or Cyrillic letters make it so, anything else is Latin. */
function scriptOf(text: string): string {
  if (/\p{Script=Arabic}/u.test(text)) return 'Arab';
  if (/\p{Script=Cyrillic}/u.test(text)) return 'Cyrl';
  return 'Latn';
}
