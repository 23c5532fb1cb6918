import type { JsonObject, JsonValue, VerifiedSdJwtVc } from '@trieste/core';
import { DcqlPresentationResult, DcqlQuery } from 'dcql';

export interface MatchedCredential {
  issuer: string;
  vct: string;
  /** Only the claims the query asked for. */
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

/**
 * Checks verified credentials against the query with the dcql library (§6.4: claims, values,
 * vct_values, holder binding, credential_sets) and keeps, of each credential, only the claim set
 * the query matched. Everything else the wallet disclosed is dropped, and its path reported, so
 * the relying party can see the wallet over-disclosed without ever receiving the values.
 */
export function matchDcqlQuery(stored: JsonObject, verified: Record<string, VerifiedSdJwtVc[]>): DcqlMatch {
  const query = DcqlQuery.parse(stored as unknown as DcqlQuery.Input);
  const presentations = Object.fromEntries(
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
  const result = DcqlPresentationResult.fromDcqlPresentation(presentations, { dcqlQuery: query });
  const match: DcqlMatch = { satisfied: result.can_be_satisfied, credentials: {}, dropped: [] };
  if (!result.can_be_satisfied) return match;
  for (const [id, list] of Object.entries(verified)) {
    const credentialMatch = result.credential_matches[id];
    // A presentation for a query that an optional credential set did not need: nothing is kept.
    if (!credentialMatch?.success) {
      for (const credential of list)
        match.dropped.push(...leafPaths(credential.claims).map((path) => ({ credential: id, path })));
      continue;
    }
    match.credentials[id] = [];
    list.forEach((credential, index) => {
      const valid = credentialMatch.valid_credentials.find((c) => c.input_credential_index === index);
      const claimsResult = valid?.claims;
      const kept = (
        claimsResult?.success ? (claimsResult.valid_claim_sets[0]?.output ?? {}) : {}
      ) as JsonObject;
      const matched: MatchedCredential = {
        issuer: credential.issuer,
        vct: credential.vct,
        claims: kept,
        keyBound: credential.keyBound,
      };
      if (credential.issuedAt !== undefined) matched.issuedAt = credential.issuedAt;
      if (credential.expiresAt !== undefined) matched.expiresAt = credential.expiresAt;
      if (credential.status !== undefined) matched.status = credential.status.value;
      match.credentials[id]!.push(matched);
      for (const path of leafPaths(credential.claims)) {
        if (!hasPath(kept, path)) match.dropped.push({ credential: id, path });
      }
    });
  }
  return match;
}

/** Paths of the leaves of a JSON value (objects and arrays descended, scalars are leaves). */
function leafPaths(value: JsonValue, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) {
    if (value.length === 0) return [prefix];
    return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return [prefix];
    return keys.flatMap((key) => leafPaths((value as JsonObject)[key]!, [...prefix, key]));
  }
  return [prefix];
}

function hasPath(value: JsonValue, path: ReadonlyArray<string | number>): boolean {
  let node: JsonValue | undefined = value;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return false;
    node = Array.isArray(node)
      ? typeof step === 'number'
        ? node[step]
        : undefined
      : (node as JsonObject)[String(step)];
    if (node === undefined) return false;
  }
  return true;
}
