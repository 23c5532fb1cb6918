import type { Clock, PresentationRequestStore } from '@trieste/core';

/**
 * The retention job: deletes every presentation request (with its sealed result and key) whose
 * retention has passed. Data minimisation: a result lives only as long as the relying party
 * needs to collect it. Reads delete an expired record too, so the job's interval bounds nothing
 * a client can see.
 */
export async function deleteExpiredRequests(store: PresentationRequestStore, clock: Clock): Promise<number> {
  return store.deleteExpired(clock.now());
}
