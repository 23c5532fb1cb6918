import type { JsonObject, JsonValue, VerifiedSdJwtVc } from '@trieste/core';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';

export interface MatchedCredential {
  issuer: string;
  vct: string;
  /**
   * Only the claims the query asked for. An array keeps its indices: an element the query did not
   * select stands as `null` in its place (and is listed in `dropped`), so `["nationalities", 1]`
   * still names the same value in the result as in the query.
   */
  claims: JsonObject;
  keyBound: boolean;
  issuedAt?: number;
  expiresAt?: number;
  status?: number;
}

export interface DcqlMatch {
  satisfied: boolean;
  credentials: Record<string, MatchedCredential[]>;
  /** Claims the wallet disclosed but the query did not ask for: dropped, named here by path only. */
  dropped: Array<{ credential: string; path: Array<string | number> }>;
}

type ConcretePath = Array<string | number>;

interface ClaimQuery {
  id?: string;
  path: unknown;
  values?: unknown;
}

interface CredentialQuery {
  id: string;
  claims?: ClaimQuery[];
  claim_sets?: string[][];
}

/** Longest claims path pointer considered: a deeper one selects nothing (no credential nests so deep). */
const MAX_PATH_LENGTH = 32;

/**
 * Checks verified credentials against the query with the dcql library (§6.4: claims, values,
 * vct_values, holder binding, credential_sets) and keeps, of each credential, only what the
 * matched claim set's claims path pointers select, processed as OpenID4VP 1.0 §7.1 says (a string
 * selects a key of an object, `null` every element of an array, an integer one index; a step onto
 * the wrong type or a selection that ends empty is no match). The library's own output is not
 * trusted for what is kept: dcql 3.0.0 returns a whole array for an integer index, and accepts an
 * index past the array's end. Everything else the wallet disclosed is dropped, and its path
 * reported, so the relying party can see the wallet over-disclosed without receiving the values.
 *
 * `stored` is the query as validated at creation; `verified` comes from a wallet (hostile):
 * its claim names may be `__proto__` or `constructor`, which are copied as plain data.
 */
export function matchDcqlQuery(stored: JsonObject, verified: Record<string, VerifiedSdJwtVc[]>): DcqlMatch {
  let query: DcqlQuery.Output;
  let result: DcqlPresentationResult;
  try {
    query = parsedQuery(stored);
    result = DcqlPresentationResult.fromDcqlPresentation(presentationsOf(verified), { dcqlQuery: query });
  } catch {
    // The library refuses shapes it cannot merge (a claim named `__proto__`) by throwing: that is
    // no match, not a server failure.
    return { satisfied: false, credentials: {}, dropped: [] };
  }
  const match: DcqlMatch = { satisfied: result.can_be_satisfied, credentials: {}, dropped: [] };
  if (!result.can_be_satisfied) return match;
  const queries = new Map((query.credentials as CredentialQuery[]).map((q) => [q.id, q]));
  for (const [id, list] of Object.entries(verified)) {
    const credentialMatch = result.credential_matches[id];
    const credentialQuery = queries.get(id);
    list.forEach((credential, index) => {
      const valid = credentialMatch?.success
        ? credentialMatch.valid_credentials.find((c) => c.input_credential_index === index)
        : undefined;
      const claimsResult = valid?.claims;
      const librarySets = claimsResult?.success
        ? new Set(claimsResult.valid_claim_sets.map((set) => set.claim_set_index ?? 0))
        : new Set<number>();
      const selected = credentialQuery
        ? selectClaimSet(credentialQuery, credential.claims, librarySets)
        : undefined;
      const leaves = leafPaths(credential.claims);
      if (!selected) {
        // Not needed by the query, or not a match once the pointers are read as §7.1 says.
        for (const path of leaves) match.dropped.push({ credential: id, path });
        return;
      }
      const kept: ConcretePath[] = [];
      for (const path of leaves) {
        if (selected.some((prefix) => startsWith(path, prefix))) kept.push(path);
        else match.dropped.push({ credential: id, path });
      }
      const matched: MatchedCredential = {
        issuer: credential.issuer,
        vct: credential.vct,
        claims: project(credential.claims, kept),
        keyBound: credential.keyBound,
      };
      if (credential.issuedAt !== undefined) matched.issuedAt = credential.issuedAt;
      if (credential.expiresAt !== undefined) matched.expiresAt = credential.expiresAt;
      if (credential.status !== undefined) matched.status = credential.status.value;
      // Own properties only: a query id may be `__proto__` (DCQL ids are [A-Za-z0-9_-]+).
      const matchedList = Object.hasOwn(match.credentials, id) ? match.credentials[id]! : [];
      matchedList.push(matched);
      defineOwn(match.credentials, id, matchedList);
    });
  }
  match.satisfied = credentialSetsSatisfied(query, new Set(Object.keys(match.credentials)));
  return match;
}

/** Parsed queries by their JSON text: relying parties send a few distinct queries many times. */
const parsedQueries = new Map<string, DcqlQuery.Output>();
const MAX_PARSED_QUERIES = 256;

/**
 * The stored query as the dcql library parses it, once per distinct query text. The parsed query
 * is deeply frozen, so nothing done with it for one presentation can change it for the next.
 */
function parsedQuery(stored: JsonObject): DcqlQuery.Output {
  const text = JSON.stringify(stored);
  let query = parsedQueries.get(text);
  if (!query) {
    query = deepFreeze(DcqlQuery.parse(stored as unknown as DcqlQuery.Input));
    if (parsedQueries.size >= MAX_PARSED_QUERIES) {
      parsedQueries.delete(parsedQueries.keys().next().value as string);
    }
    parsedQueries.set(text, query);
  }
  return query;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The verified credentials as the dcql library reads presentations. */
function presentationsOf(verified: Record<string, VerifiedSdJwtVc[]>) {
  return Object.fromEntries(
    Object.entries(verified).map(([id, list]) => [
      id,
      list.map((credential) => ({
        credential_format: 'dc+sd-jwt' as const,
        vct: credential.vct,
        claims: credential.claims,
        cryptographic_holder_binding: credential.keyBound,
      })),
    ]),
  );
}

/**
 * The first claim set (§6.4.1: claim_sets are in the relying party's order of preference; without
 * them every claim is required) that both the library accepted and whose every claim selects at
 * least one element under §7.1 (and, with `values`, one of those values). Returns the selected
 * elements' concrete paths, or undefined when no set matches.
 */
function selectClaimSet(
  credentialQuery: CredentialQuery,
  claims: JsonObject,
  librarySets: ReadonlySet<number>,
): ConcretePath[] | undefined {
  const claimQueries = credentialQuery.claims ?? [];
  const sets: Array<Array<ClaimQuery | undefined>> = credentialQuery.claim_sets
    ? credentialQuery.claim_sets.map((set) => set.map((id) => claimQueries.find((c) => c.id === id)))
    : [claimQueries];
  for (const [setIndex, set] of sets.entries()) {
    if (!librarySets.has(setIndex)) continue;
    const selected = set.map((claim) =>
      claim ? selectClaimsPath(claims, claim.path, claim.values) : undefined,
    );
    if (set.length > 0 && selected.every((paths) => paths !== undefined)) return selected.flat();
  }
  return undefined;
}

/**
 * OpenID4VP 1.0 §7.1 claims path pointer processing over the disclosed claims: the concrete paths
 * of the selected elements, or undefined where the spec says to abort with an error (a step that
 * is not a string, null or non-negative integer; a key step on a non-object; an index or null step
 * on a non-array) or the selection ends empty. `path` comes from a stored query and `claims` from
 * a wallet: both are treated as hostile, and only own properties are read.
 */
function selectClaimsPath(claims: JsonObject, path: unknown, values: unknown): ConcretePath[] | undefined {
  if (!Array.isArray(path) || path.length === 0 || path.length > MAX_PATH_LENGTH) return undefined;
  let selection: Array<{ node: JsonValue; at: ConcretePath }> = [{ node: claims, at: [] }];
  for (const step of path as unknown[]) {
    const next: typeof selection = [];
    for (const { node, at } of selection) {
      if (typeof step === 'string') {
        if (!isObject(node)) return undefined;
        if (Object.hasOwn(node, step)) next.push({ node: node[step]!, at: [...at, step] });
      } else if (step === null) {
        if (!Array.isArray(node)) return undefined;
        for (const [index, element] of node.entries()) next.push({ node: element, at: [...at, index] });
      } else if (typeof step === 'number' && Number.isSafeInteger(step) && step >= 0) {
        if (!Array.isArray(node)) return undefined;
        if (step < node.length) next.push({ node: node[step]!, at: [...at, step] });
      } else {
        return undefined;
      }
    }
    if (next.length === 0) return undefined;
    selection = next;
  }
  // §6.3 `values`: only the selected elements whose type and value equal one of them count.
  if (Array.isArray(values)) {
    selection = selection.filter(({ node }) =>
      (values as unknown[]).some((value) => value === node && (typeof node !== 'object' || node === null)),
    );
    if (selection.length === 0) return undefined;
  }
  return selection.map(({ at }) => at);
}

/** credential_sets (§6.2): every required set has an option whose every credential query matched. */
function credentialSetsSatisfied(query: DcqlQuery.Output, matched: ReadonlySet<string>): boolean {
  const sets = query.credential_sets ?? [{ options: [query.credentials.map((c) => c.id)], required: true }];
  return sets.every(
    (set) => set.required === false || set.options.some((option) => option.every((id) => matched.has(id))),
  );
}

/**
 * Paths of the leaves of a JSON value (objects and arrays descended, scalars and empty containers
 * are leaves), in document order. Iterative, and a path is only spelled out at a leaf: a deeply
 * nested disclosure costs neither the stack nor time quadratic in its depth.
 */
function leafPaths(root: JsonValue): ConcretePath[] {
  interface Step {
    node: JsonValue;
    step: string | number;
    parent: Step | undefined;
  }
  const leaves: ConcretePath[] = [];
  const childrenOf = (node: JsonValue, parent: Step | undefined): Step[] =>
    Array.isArray(node)
      ? node.map((child, index) => ({ node: child, step: index, parent }))
      : isObject(node)
        ? Object.keys(node).map((key) => ({ node: node[key]!, step: key, parent }))
        : [];
  const stack = childrenOf(root, undefined).reverse();
  while (stack.length > 0) {
    const current = stack.pop()!;
    const children = childrenOf(current.node, current);
    if (children.length > 0) {
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      continue;
    }
    const path: ConcretePath = [];
    for (let at: Step | undefined = current; at; at = at.parent) path.push(at.step);
    leaves.push(path.reverse());
  }
  return leaves;
}

/**
 * A copy of `source` holding only the leaves at `paths`, each container of the type it has in the
 * source. Array elements not kept are `null` (indices keep their meaning). Keys are defined, not
 * assigned, so a claim named `__proto__` stays data and never becomes a prototype.
 */
function project(source: JsonObject, paths: readonly ConcretePath[]): JsonObject {
  const out: JsonObject = {};
  const arrays: JsonValue[][] = [];
  for (const path of paths) {
    let from: JsonValue = source;
    let to: JsonValue = out;
    path.forEach((step, depth) => {
      const child: JsonValue = Array.isArray(from)
        ? from[step as number]!
        : (from as JsonObject)[step as string]!;
      const last = depth === path.length - 1;
      const existing = Array.isArray(to) ? to[step as number] : ownValue(to as JsonObject, step as string);
      let value: JsonValue;
      if (last) value = structuredClone(child);
      else if (existing !== undefined && existing !== null) value = existing;
      else if (Array.isArray(child)) {
        value = [];
        arrays.push(value);
      } else value = {};
      if (Array.isArray(to)) to[step as number] = value;
      else defineOwn(to as JsonObject, step as string, value);
      from = child;
      to = value;
    });
  }
  for (const array of arrays) {
    for (let i = 0; i < array.length; i++) if (array[i] === undefined) array[i] = null;
  }
  return out;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function ownValue(object: JsonObject, key: string): JsonValue | undefined {
  return Object.hasOwn(object, key) ? object[key] : undefined;
}

function defineOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function startsWith(path: ConcretePath, prefix: ConcretePath): boolean {
  return prefix.length <= path.length && prefix.every((step, i) => path[i] === step);
}
