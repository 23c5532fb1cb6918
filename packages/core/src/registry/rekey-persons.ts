import { storedBlockingKeys } from './blocking-keys.js';
import { matchProfile } from './match-profile.js';
import { type RegistryContext, resolveRegistryContext } from './registry-context.js';

/** Records re-keyed per transaction by default. */
export const DEFAULT_REKEY_PAGE = 1000;

export interface RekeyPage {
  /** Records whose keys were computed again and stored. */
  rekeyed: number;
  /** The last id of the page, where the next page starts; absent when no record was left. */
  last?: string;
}

/**
 * Computes the blocking keys of one page of records (by id, after `after`) again, as enrolment
 * computes them now, and stores them: after a release changes how keys are made (docs/registry.md,
 * "Blocking keys"), a record stored before is found under the new keys too. The record's data and
 * version do not change. One transaction per page, with the registry locked as a bulk-import batch
 * locks it, so no enrolment looks for candidates between a record's old keys going and its new
 * ones coming. Run page after page until `last` is absent (`trieste registry rekey`).
 */
export async function rekeyPersons(
  context: RegistryContext,
  options: { after?: string; limit?: number } = {},
): Promise<RekeyPage> {
  const ctx = resolveRegistryContext(context);
  const limit = options.limit ?? DEFAULT_REKEY_PAGE;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 10_000) {
    throw new TypeError('limit must be a whole number from 1 to 10,000');
  }
  return ctx.stores.transaction(async (stores) => {
    await stores.registry.lockKeys('all');
    const persons = await stores.registry.listPersons({
      ...(options.after === undefined ? {} : { after: options.after }),
      limit,
    });
    await stores.registry.replaceBlockingKeys(
      persons.map((p) => ({ id: p.id, keys: storedBlockingKeys(matchProfile(p.data), ctx.blocking) })),
    );
    const last = persons[persons.length - 1]?.id;
    return { rekeyed: persons.length, ...(last === undefined ? {} : { last }) };
  });
}
