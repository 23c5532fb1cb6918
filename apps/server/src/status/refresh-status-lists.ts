import { type IssuanceContext, publishStatusList } from '@trieste/core';

/**
 * Publishes a fresh version of every list whose latest version expires within `refreshBeforeSeconds`
 * (or that has none), each in its own transaction: a list nobody changes must still be served
 * unexpired, or every verifier would fail with STATUS_UNAVAILABLE. Returns the ids refreshed.
 */
export async function refreshStatusLists(
  context: IssuanceContext,
  options: { refreshBeforeSeconds: number },
): Promise<string[]> {
  const now = Math.floor(context.clock.now());
  const refreshed: string[] = [];
  for (const list of await context.stores.statusLists.lists()) {
    const latest = await context.stores.statusLists.latestVersion(list.id);
    if (latest && latest.expiresAt - now > options.refreshBeforeSeconds) continue;
    await context.stores.transaction((stores) => publishStatusList(list.id, context, stores));
    refreshed.push(list.id);
  }
  return refreshed;
}
