import type { JsonObject, JsonValue } from '@trieste/core';
import { isUsable } from './age-pool';
import type { StoredCredential } from './wallet-db';

/** The part of a DCQL query (OpenID4VP 1.0 §6) the wallet reads; everything is from the verifier. */
export interface DcqlQuery {
  credentials: DcqlCredentialQuery[];
  credential_sets?: DcqlCredentialSet[];
}
export interface DcqlCredentialQuery {
  id: string;
  format: string;
  meta?: { vct_values?: string[] };
  claims?: DcqlClaimQuery[];
  claim_sets?: string[][];
  multiple?: boolean;
}
export interface DcqlClaimQuery {
  id?: string;
  path: Array<string | number | null>;
  values?: Array<string | number | boolean>;
}
export interface DcqlCredentialSet {
  options: string[][];
  required?: boolean;
  purpose?: unknown;
}

/** One claim the verifier would receive: a concrete path into the credential and its value. */
export interface ClaimChoice {
  /** RFC 6901 pointer handed to presentSdJwtVc. */
  pointer: string;
  path: Array<string | number>;
  value: JsonValue;
  /** A required claim is in every acceptable claim set: the holder cannot untick it (only decline). */
  required: boolean;
  /** The DCQL claim ids this claim answers (for claim_sets). */
  claimIds: string[];
}

export interface CredentialChoice {
  queryId: string;
  credential: StoredCredential;
  claims: ClaimChoice[];
  /** The acceptable claim sets, as sets of pointers; a selection must cover one. Empty: any. */
  claimSets: string[][];
  /** From an optional credential set: the holder may leave the whole credential out. */
  optional: boolean;
}

export interface ConsentPlan {
  credentials: CredentialChoice[];
  /** The purposes the verifier states for the sets answered (OpenID4VP 1.0 §6.2 `purpose`). */
  purposes: unknown[];
  /** Query ids of required sets no credential of this wallet can answer. */
  unanswered: string[];
}

const MAX_MATCHES = 200;

/** Escapes one reference token of an RFC 6901 pointer. */
function token(step: string | number): string {
  return String(step).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointerOf(path: ReadonlyArray<string | number>): string {
  return path.map((step) => `/${token(step)}`).join('');
}

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Resolves a claims path pointer (OpenID4VP 1.0 §7.1) against the credential's claims: a string
 * selects an own key of an object, `null` every element of an array, an integer that index.
 * Returns the concrete paths selected, or none when a step does not fit.
 */
export function selectPaths(
  claims: JsonValue,
  path: ReadonlyArray<string | number | null>,
): Array<{ path: Array<string | number>; value: JsonValue }> {
  let selected: Array<{ path: Array<string | number>; value: JsonValue }> = [{ path: [], value: claims }];
  for (const step of path) {
    const next: typeof selected = [];
    for (const { path: at, value } of selected) {
      if (typeof step === 'string') {
        if (isObject(value) && Object.hasOwn(value, step))
          next.push({ path: [...at, step], value: value[step]! });
      } else if (step === null) {
        if (Array.isArray(value))
          for (let i = 0; i < value.length; i++) next.push({ path: [...at, i], value: value[i]! });
      } else if (Number.isInteger(step) && step >= 0) {
        if (Array.isArray(value) && step < value.length)
          next.push({ path: [...at, step], value: value[step]! });
      }
      if (next.length > MAX_MATCHES) break;
    }
    selected = next;
    if (selected.length === 0) break;
  }
  return selected;
}

interface CandidateMatch {
  /** claim index → its concrete selections. */
  byClaim: Array<Array<{ path: Array<string | number>; value: JsonValue }>>;
  /** Acceptable claim sets as claim indices (all claims when the query has no claim_sets). */
  sets: number[][];
}

function matchCandidate(
  query: DcqlCredentialQuery,
  credential: StoredCredential,
): CandidateMatch | undefined {
  const vcts = query.meta?.vct_values;
  if (Array.isArray(vcts) && !vcts.includes(credential.vct)) return undefined;
  const claimQueries = query.claims ?? [];
  const byClaim = claimQueries.map((claim) => {
    let selections = selectPaths(credential.claims, claim.path);
    if (Array.isArray(claim.values)) {
      const wanted = claim.values;
      selections = selections.filter(
        (s) => (typeof s.value !== 'object' || s.value === null) && wanted.some((w) => w === s.value),
      );
    }
    return selections;
  });
  const satisfied = (indices: number[]) => indices.every((i) => (byClaim[i]?.length ?? 0) > 0);
  let sets: number[][];
  if (Array.isArray(query.claim_sets) && query.claim_sets.length > 0) {
    const indexOf = new Map(claimQueries.map((c, i) => [c.id, i]));
    sets = query.claim_sets
      .map((set) => set.map((id) => indexOf.get(id)))
      .filter((set): set is number[] => set.every((i) => i !== undefined))
      .filter(satisfied);
  } else {
    const all = claimQueries.map((_, i) => i);
    sets = satisfied(all) ? [all] : [];
  }
  return sets.length > 0 ? { byClaim, sets } : undefined;
}

function choiceFor(
  query: DcqlCredentialQuery,
  credential: StoredCredential,
  match: CandidateMatch,
  optional: boolean,
): CredentialChoice {
  const claimQueries = query.claims ?? [];
  const pointersOfClaim = match.byClaim.map((selections) => selections.map((s) => pointerOf(s.path)));
  const inEvery = (i: number) => match.sets.every((set) => set.includes(i));
  const union = [...new Set(match.sets.flat())].sort((a, b) => a - b);
  const claims = new Map<string, ClaimChoice>();
  for (const i of union) {
    for (const selection of match.byClaim[i]!) {
      const pointer = pointerOf(selection.path);
      const existing = claims.get(pointer);
      const id = claimQueries[i]!.id;
      if (existing) {
        existing.required ||= inEvery(i);
        if (id !== undefined) existing.claimIds.push(id);
      } else {
        claims.set(pointer, {
          pointer,
          path: selection.path,
          value: selection.value,
          required: inEvery(i),
          claimIds: id === undefined ? [] : [id],
        });
      }
    }
  }
  const claimSets = match.sets.map((set) => [...new Set(set.flatMap((i) => pointersOfClaim[i]!))]);
  return { queryId: query.id, credential, claims: [...claims.values()], claimSets, optional };
}

/**
 * Which of the holder's credentials and claims answer a DCQL query (OpenID4VP 1.0 §6, §6.4.2):
 * per credential query, the newest unexpired credential of an accepted `vct` whose claims satisfy
 * the query (its `values`, and one of its `claim_sets`); per credential set, the first option
 * every query of which is answered. Claims in every acceptable claim set are required; the others
 * optional. Only claims the query names are offered: nothing else is ever disclosed. A
 * single-use credential already given away is never offered again; `accept` narrows the
 * candidates of a query further (e.g. the guardian credential of the child a transaction names).
 */
export function planConsent(
  query: DcqlQuery,
  credentials: readonly StoredCredential[],
  now: number,
  accept: (queryId: string, credential: StoredCredential) => boolean = () => true,
): ConsentPlan {
  const usable = credentials.filter((c) => isUsable(c, now));
  const best = new Map<string, { credential: StoredCredential; match: CandidateMatch }>();
  for (const q of query.credentials) {
    if (q.format !== 'dc+sd-jwt') continue;
    for (const credential of usable) {
      if (!accept(q.id, credential)) continue;
      const match = matchCandidate(q, credential);
      if (match) {
        best.set(q.id, { credential, match });
        break;
      }
    }
  }
  const sets: DcqlCredentialSet[] =
    Array.isArray(query.credential_sets) && query.credential_sets.length > 0
      ? query.credential_sets
      : [{ options: [query.credentials.map((q) => q.id)], required: true }];
  const plan: ConsentPlan = { credentials: [], purposes: [], unanswered: [] };
  const chosen = new Map<string, boolean>();
  for (const set of sets) {
    const option = set.options.find((ids) => ids.length > 0 && ids.every((id) => best.has(id)));
    const required = set.required !== false;
    // The purpose of a required set is shown even when it cannot be answered: the holder should
    // know what was asked and why before declining.
    if (set.purpose !== undefined && (option || required)) plan.purposes.push(set.purpose);
    if (!option) {
      if (required) plan.unanswered.push(...(set.options[0] ?? []));
      continue;
    }
    for (const id of option) chosen.set(id, (chosen.get(id) ?? true) && !required);
  }
  for (const q of query.credentials) {
    const found = best.get(q.id);
    if (!found || !chosen.has(q.id)) continue;
    plan.credentials.push(choiceFor(q, found.credential, found.match, chosen.get(q.id)!));
  }
  return plan;
}

/** Whether a selection (pointers) covers one acceptable claim set of the credential. */
export function selectionAcceptable(choice: CredentialChoice, selected: ReadonlySet<string>): boolean {
  if (choice.claimSets.length === 0) return true;
  return choice.claimSets.some((set) => set.every((pointer) => selected.has(pointer)));
}
