import { enqueueWebhook } from './webhooks/complete-presentation-request.js';
import { deliverDueWebhooks } from './webhooks/deliver-due-webhooks.js';
import type { WebhookContext } from './webhooks/webhook-context.js';

export { WEBHOOK_TYP } from './webhooks/attempt-webhook-delivery.js';

/**
 * Sends an answered request's "result ready" webhook now, rather than at the deliverer's next
 * tick: queues it if the answer's transaction did not (a request is queued once, so this is
 * harmless when it did), then runs one delivery round. The periodic round (`deliverDueWebhooks`)
 * retries whatever this attempt does not deliver. Resolves with whether this request's webhook
 * is delivered; never rejects (a failure is the outbox's to retry, not the wallet's response's).
 */
export async function sendWebhook(
  url: string,
  presented: { id: string; delete_at: number },
  ctx: WebhookContext,
): Promise<boolean> {
  try {
    await enqueueWebhook(
      ctx.stores,
      { id: presented.id, webhookUrl: url, deleteAt: presented.delete_at },
      ctx.clock.now(),
    );
    await deliverDueWebhooks(ctx);
    return (await ctx.stores.webhookDeliveries.get(presented.id))?.state === 'delivered';
  } catch {
    return false;
  }
}
