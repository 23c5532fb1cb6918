import type { JsonObject } from '@trieste/core';
import { DcqlQuery } from 'dcql';
import { ServerError } from '../http/errors.js';

/**
 * Validates a relying party's DCQL query (OpenID4VP 1.0 §6) with the dcql library, then applies
 * this verifier's policy: only `dc+sd-jwt` credentials (the format it verifies), and every
 * credential query names its claims (§6.4.1: without `claims` a wallet discloses only what is not
 * selectively disclosable, which a relying party rarely means; naming them is data minimisation).
 * The purpose is carried where OpenID4VP puts it, in `credential_sets[].purpose`: with no sets, one
 * required set of all credentials is added, which asks for exactly what the query without it did.
 */
export function parseDcqlQuery(input: unknown, purpose: string): JsonObject {
  let query: DcqlQuery.Output;
  try {
    query = DcqlQuery.parse(input as DcqlQuery.Input);
    DcqlQuery.validate(query);
  } catch {
    // The library's message can quote the input: only the fact is reported.
    throw new ServerError('VALIDATION_FAILED', 'dcql_query is not a valid DCQL query');
  }
  for (const credential of query.credentials) {
    if (credential.format !== 'dc+sd-jwt') {
      throw new ServerError('VALIDATION_FAILED', 'dcql_query: only dc+sd-jwt credentials are verified here');
    }
    if (!credential.claims || credential.claims.length === 0) {
      throw new ServerError('VALIDATION_FAILED', 'dcql_query: every credential query must name its claims');
    }
  }
  const sets = query.credential_sets
    ? query.credential_sets.map((set) => ({ ...set, purpose: set.purpose ?? purpose }))
    : [{ options: [query.credentials.map((c) => c.id)], required: true, purpose }];
  return JSON.parse(JSON.stringify({ ...query, credential_sets: sets })) as JsonObject;
}
