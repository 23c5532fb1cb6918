import type { ClaimedWebhookDelivery, WebhookDeliveryRecord, WebhookDeliveryStore } from '@trieste/core';
import type { Queryable } from '../../db/database.js';
import {
  checkClaim,
  checkDeliveryOutcome,
  checkNewWebhookDelivery,
  isDeliveryKey,
} from '../webhook-delivery-checks.js';

interface DeliveryRow {
  request_id: string;
  delivery_id: string;
  url: string;
  state: WebhookDeliveryRecord['state'];
  attempts: number;
  next_attempt_at: number;
  deadline: number;
  lease: string | null;
  last_error: string | null;
  created_at: number;
  finished_at: number | null;
}

const COLUMNS =
  'request_id, delivery_id, url, state, attempts, next_attempt_at, deadline, lease, last_error, created_at, finished_at';

/** The webhook outbox on PGlite or PostgreSQL (migration 0009). */
export function sqlWebhookDeliveryStore(db: Queryable): WebhookDeliveryStore {
  return {
    async enqueue(delivery) {
      checkNewWebhookDelivery(delivery);
      // ON CONFLICT DO NOTHING: a second enqueue for the request is ignored without aborting the
      // caller's transaction (the answer it belongs to is recorded once anyway).
      const rows = await db.query(
        `INSERT INTO webhook_deliveries (request_id, delivery_id, url, state, attempts, next_attempt_at,
           deadline, created_at)
         VALUES ($1, $2, $3, 'pending', 0, $4, $5, $4)
         ON CONFLICT DO NOTHING RETURNING request_id`,
        [delivery.requestId, delivery.deliveryId, delivery.url, delivery.createdAt, delivery.deadline],
      );
      return rows.length > 0;
    },
    async claim(now, options) {
      checkClaim(now, options);
      // SKIP LOCKED: a row another process is claiming right now is left to it, not waited for;
      // a row it claimed a moment ago is no longer due (its next_attempt_at moved by the lease).
      const rows = await db.query<DeliveryRow>(
        `UPDATE webhook_deliveries AS d
         SET attempts = d.attempts + 1, next_attempt_at = $2, lease = $3
         FROM (
           SELECT request_id FROM webhook_deliveries
           WHERE state = 'pending' AND next_attempt_at <= $1
           ORDER BY next_attempt_at, request_id
           LIMIT $4
           FOR UPDATE SKIP LOCKED
         ) AS due
         WHERE d.request_id = due.request_id
         RETURNING ${COLUMNS.split(', ')
           .map((c) => `d.${c}`)
           .join(', ')}`,
        [now, now + options.leaseSeconds, options.lease, options.limit],
      );
      return rows
        .map((row) => ({ ...toRecord(row), lease: options.lease }) satisfies ClaimedWebhookDelivery)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.createdAt - b.createdAt);
    },
    async settle(requestId, lease, outcome) {
      checkDeliveryOutcome(outcome);
      if (!isDeliveryKey(requestId) || !isDeliveryKey(lease)) return false;
      // Only the holder of the current lease writes: a process whose lease ran out (and whose
      // delivery another process took over) changes nothing.
      const rows =
        outcome.state === 'pending'
          ? await db.query(
              `UPDATE webhook_deliveries SET next_attempt_at = $3, last_error = $4, lease = NULL
               WHERE request_id = $1 AND lease = $2 AND state = 'pending' RETURNING request_id`,
              [requestId, lease, outcome.nextAttemptAt, outcome.error],
            )
          : await db.query(
              `UPDATE webhook_deliveries SET state = $3, finished_at = $4, last_error = $5, lease = NULL
               WHERE request_id = $1 AND lease = $2 AND state = 'pending' RETURNING request_id`,
              [
                requestId,
                lease,
                outcome.state,
                outcome.at,
                outcome.state === 'failed' ? outcome.error : null,
              ],
            );
      return rows.length > 0;
    },
    async get(requestId) {
      if (!isDeliveryKey(requestId)) return undefined;
      const rows = await db.query<DeliveryRow>(
        `SELECT ${COLUMNS} FROM webhook_deliveries WHERE request_id = $1`,
        [requestId],
      );
      return rows[0] && toRecord(rows[0]);
    },
    async purgeFinished(before) {
      if (!Number.isFinite(before)) throw new TypeError('before must be a number');
      const rows = await db.query(
        `DELETE FROM webhook_deliveries WHERE state <> 'pending' AND finished_at < $1 RETURNING request_id`,
        [before],
      );
      return rows.length;
    },
  };
}

function toRecord(row: DeliveryRow): WebhookDeliveryRecord {
  return {
    requestId: row.request_id,
    deliveryId: row.delivery_id,
    url: row.url,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deadline: row.deadline,
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    createdAt: row.created_at,
    ...(row.finished_at === null ? {} : { finishedAt: row.finished_at }),
  };
}
