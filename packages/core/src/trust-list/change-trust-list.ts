import type { Stores, TrustListVersion } from '../ports.js';
import type { TrustListContext } from './context.js';
import { publishTrustList } from './publish-trust-list.js';

/**
 * Runs one operator change and publishes the list it results in, in one transaction under the
 * list's lock: the change, version `last + 1` and its log entry stand or fall together. `now` is
 * the clock's time in whole seconds.
 */
export async function changeTrustList<T>(
  context: TrustListContext,
  change: (stores: Stores, now: number) => Promise<T>,
): Promise<{ result: T; version: TrustListVersion }> {
  return context.stores.transaction(async (stores) => {
    const last = await stores.trustLists.lock();
    const result = await change(stores, Math.floor(context.clock.now()));
    const version = await publishTrustList(context, stores, last + 1);
    return { result, version };
  });
}
