import { randomBytes } from 'node:crypto';
import type { PresentationOutcome, PresentationRequestRecord, Stores } from '@trieste/core';

/**
 * Records a wallet's answer and, in the same transaction, queues the "result ready" webhook if the
 * request named one (the outbox): a crash after the commit loses no delivery, a rolled-back answer
 * queues none. Returns the completed record, or undefined if the request was answered already (a
 * replay, which queues nothing). The delivery is due at once and may be attempted until the result
 * is deleted (`deleteAt`).
 *
 * Given the request as read (its webhook URL is fixed at creation), a request without a webhook is
 * completed by the one conditional UPDATE alone, outside any transaction: nothing else is written,
 * so the statement is the whole atomic step and BEGIN and COMMIT would only add round trips. The
 * record as read is handed to the store: nothing of a pending request but its outcome changes, so
 * the store returns it completed instead of reading the row back.
 */
export async function completePresentationRequest(
  stores: Stores,
  request: string | PresentationRequestRecord,
  outcome: PresentationOutcome,
): Promise<PresentationRequestRecord | undefined> {
  const id = typeof request === 'string' ? request : request.id;
  // The request as read (pending), so the store need not read the row back.
  const current = typeof request === 'string' ? undefined : request;
  if (current && current.webhookUrl === undefined) {
    return stores.presentationRequests.complete(id, outcome, current);
  }
  return stores.transaction(async (tx) => {
    const done = await tx.presentationRequests.complete(id, outcome, current);
    if (done?.webhookUrl) await enqueueWebhook(tx, done, outcome.answeredAt);
    return done;
  });
}

/** Queues the webhook of a completed request; a request already queued is left as it is. */
export async function enqueueWebhook(
  stores: Pick<Stores, 'webhookDeliveries'>,
  record: Pick<PresentationRequestRecord, 'id' | 'webhookUrl' | 'deleteAt'>,
  now: number,
): Promise<boolean> {
  if (!record.webhookUrl) return false;
  return stores.webhookDeliveries.enqueue({
    requestId: record.id,
    deliveryId: randomBytes(16).toString('base64url'),
    url: record.webhookUrl,
    createdAt: now,
    deadline: record.deleteAt,
  });
}
