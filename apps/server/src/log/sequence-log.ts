import { type LogContext, type PublishedCheckpoint, publishCheckpoint } from '@trieste/core';

/**
 * One sequencer round: when entries are queued (or no checkpoint exists yet), integrates them and
 * signs a checkpoint (core publishCheckpoint, durable before visible). Between processes the
 * store's lock on the tree state serialises sequencers, so running this in every instance is safe.
 * Returns the new checkpoint, or undefined when there was nothing to do.
 */
export async function sequenceLog(context: LogContext): Promise<PublishedCheckpoint | undefined> {
  const pending = await context.stores.log.pending();
  if (pending === 0 && (await context.stores.log.latestCheckpoint())) return undefined;
  return publishCheckpoint(context);
}
