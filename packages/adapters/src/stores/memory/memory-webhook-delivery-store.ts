import type { WebhookDeliveryRecord, WebhookDeliveryStore } from '@trieste/core';
import {
  checkClaim,
  checkDeliveryOutcome,
  checkNewWebhookDelivery,
  isDeliveryKey,
} from '../webhook-delivery-checks.js';
import type { MemoryScope } from './memory-store-data.js';

/** The webhook outbox in memory: each operation is one atomic section, as one statement is in SQL. */
export function memoryWebhookDeliveryStore(scope: MemoryScope): WebhookDeliveryStore {
  return {
    async enqueue(delivery) {
      checkNewWebhookDelivery(delivery);
      return scope.run((state) => {
        if (state.webhookDeliveries.has(delivery.requestId)) return false;
        state.webhookDeliveries.set(delivery.requestId, {
          record: {
            requestId: delivery.requestId,
            deliveryId: delivery.deliveryId,
            url: delivery.url,
            state: 'pending',
            attempts: 0,
            nextAttemptAt: delivery.createdAt,
            deadline: delivery.deadline,
            createdAt: delivery.createdAt,
          },
        });
        return true;
      });
    },
    async claim(now, options) {
      checkClaim(now, options);
      return scope.run((state) => {
        const due = [...state.webhookDeliveries.values()]
          .filter((entry) => entry.record.state === 'pending' && entry.record.nextAttemptAt <= now)
          .sort(
            (a, b) =>
              a.record.nextAttemptAt - b.record.nextAttemptAt ||
              (a.record.requestId < b.record.requestId ? -1 : 1),
          )
          .slice(0, options.limit);
        return due.map((entry) => {
          entry.record = {
            ...entry.record,
            attempts: entry.record.attempts + 1,
            nextAttemptAt: now + options.leaseSeconds,
          };
          entry.lease = options.lease;
          return { ...structuredClone(entry.record), lease: options.lease };
        });
      });
    },
    async settle(requestId, lease, outcome) {
      checkDeliveryOutcome(outcome);
      if (!isDeliveryKey(requestId) || !isDeliveryKey(lease)) return false;
      return scope.run((state) => {
        const entry = state.webhookDeliveries.get(requestId);
        if (!entry || entry.lease !== lease || entry.record.state !== 'pending') return false;
        const { lastError: _previous, ...rest } = entry.record;
        const next: WebhookDeliveryRecord =
          outcome.state === 'pending'
            ? { ...rest, nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error }
            : outcome.state === 'failed'
              ? { ...rest, state: 'failed', finishedAt: outcome.at, lastError: outcome.error }
              : { ...rest, state: 'delivered', finishedAt: outcome.at };
        state.webhookDeliveries.set(requestId, { record: next });
        return true;
      });
    },
    get: (requestId) =>
      scope.run((state) => {
        const entry = isDeliveryKey(requestId) ? state.webhookDeliveries.get(requestId) : undefined;
        return entry && structuredClone(entry.record);
      }),
    async purgeFinished(before) {
      if (!Number.isFinite(before)) throw new TypeError('before must be a number');
      return scope.run((state) => {
        let purged = 0;
        for (const [id, { record }] of state.webhookDeliveries) {
          if (record.state !== 'pending' && record.finishedAt! < before) {
            state.webhookDeliveries.delete(id);
            purged++;
          }
        }
        return purged;
      });
    },
  };
}
