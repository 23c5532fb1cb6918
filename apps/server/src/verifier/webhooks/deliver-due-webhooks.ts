import { base64urlEncode, type ClaimedWebhookDelivery, type WebhookDeliveryOutcome } from '@trieste/core';
import { attemptWebhookDelivery } from './attempt-webhook-delivery.js';
import {
  type ResolvedWebhookSettings,
  resolveWebhookSettings,
  type WebhookContext,
} from './webhook-context.js';
import { webhookRetryDelay } from './webhook-retry-delay.js';

/** What one round did, for logs and metrics: counts only. */
export interface WebhookRound {
  attempted: number;
  delivered: number;
  /** Failed attempts that will be retried. */
  retried: number;
  /** Deliveries given up in this round (attempts used up, deadline passed, forbidden address). */
  failed: number;
  /** Finished deliveries deleted after their keeping time. */
  purged: number;
}

/**
 * The webhook deliverer's periodic round (main.ts runs it through run-periodically.ts, in every
 * server process). Claims up to `batchSize` due deliveries (no other process gets them while the
 * lease runs), attempts them in parallel, and records each outcome under its lease:
 * - delivered on a 2xx;
 * - otherwise retried after an exponential, jittered delay (webhookRetryDelay), unless that was
 *   attempt `maxAttempts`, the next attempt would fall after the deadline (the result is deleted
 *   then), or the address is forbidden: then the delivery is given up and its last failure kept;
 * - a delivery whose request is gone (deleted by its relying party or past retention) is given up
 *   without an attempt: there is nothing left to announce.
 * At least once: a process that dies between the receiver's 2xx and the record sends it again
 * after the lease, with the same delivery id.
 */
export async function deliverDueWebhooks(ctx: WebhookContext): Promise<WebhookRound> {
  const settings = resolveWebhookSettings(ctx.webhooks);
  const store = ctx.stores.webhookDeliveries;
  const now = ctx.clock.now();
  const round: WebhookRound = { attempted: 0, delivered: 0, retried: 0, failed: 0, purged: 0 };
  round.purged = await store.purgeFinished(now - settings.keepFinishedSeconds);
  const claimed = await store.claim(now, {
    limit: settings.batchSize,
    // Longer than an attempt can take (resolution + request), so a live deliverer keeps its claim.
    leaseSeconds: Math.max(
      settings.leaseSeconds,
      (2 * (settings.timeoutMs + (settings.resolveTimeoutMs ?? 5000))) / 1000,
    ),
    lease: base64urlEncode(ctx.crypto.bytes(16)),
  });
  await Promise.all(
    claimed.map(async (delivery) => {
      const outcome = await attempt(delivery, ctx, settings);
      // False when the lease ran out and another deliverer took over: its outcome counts.
      if (!(await store.settle(delivery.requestId, delivery.lease, outcome))) return;
      if (outcome.state === 'delivered') round.delivered++;
      else if (outcome.state === 'pending') round.retried++;
      else round.failed++;
    }),
  );
  round.attempted = claimed.length;
  return round;
}

async function attempt(
  delivery: ClaimedWebhookDelivery,
  ctx: WebhookContext,
  settings: ResolvedWebhookSettings,
): Promise<WebhookDeliveryOutcome> {
  const started = ctx.clock.now();
  const request =
    started < delivery.deadline ? await ctx.stores.presentationRequests.get(delivery.requestId) : undefined;
  if (!request || request.status === 'pending' || request.deleteAt <= started) {
    return { state: 'failed', at: started, error: 'WEBHOOK_EXPIRED' };
  }
  const result = await attemptWebhookDelivery(delivery, request, ctx);
  const at = ctx.clock.now();
  if (result.delivered) return { state: 'delivered', at };
  const nextAttemptAt =
    at + webhookRetryDelay(delivery.attempts, settings.firstRetryDelaySeconds, randomUnit(ctx));
  const giveUp =
    result.failure === 'WEBHOOK_ADDRESS_FORBIDDEN' ||
    delivery.attempts >= settings.maxAttempts ||
    nextAttemptAt >= Math.min(delivery.deadline, request.deleteAt);
  return giveUp
    ? { state: 'failed', at, error: result.failure }
    : { state: 'pending', nextAttemptAt, error: result.failure };
}

/** A uniform number in [0, 1) from 32 random bits. */
function randomUnit(ctx: WebhookContext): number {
  const bytes = ctx.crypto.bytes(4);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) / 2 ** 32;
}
