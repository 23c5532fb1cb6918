import type { NewWebhookDelivery, WebhookDeliveryOutcome } from '@trieste/core';

const ID = /^[A-Za-z0-9_-]{16,64}$/;
const ERROR_CODE = /^[A-Za-z0-9_]{1,64}$/;

/** Whether `value` can be a request id, delivery id or lease (base64url, 16 to 64 characters). */
export function isDeliveryKey(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** A new delivery's shape: a malformed one is the caller's bug (TypeError). */
export function checkNewWebhookDelivery(delivery: NewWebhookDelivery): void {
  if (!isDeliveryKey(delivery.requestId))
    throw new TypeError('requestId must be 16 to 64 base64url characters');
  if (!isDeliveryKey(delivery.deliveryId))
    throw new TypeError('deliveryId must be 16 to 64 base64url characters');
  if (typeof delivery.url !== 'string' || delivery.url.length < 1 || delivery.url.length > 2000) {
    throw new TypeError('url must be 1 to 2000 characters');
  }
  for (const name of ['createdAt', 'deadline'] as const) {
    if (!Number.isFinite(delivery[name])) throw new TypeError(`${name} must be a number`);
  }
}

export function checkClaim(
  now: number,
  options: { limit: number; leaseSeconds: number; lease: string },
): void {
  if (!Number.isFinite(now)) throw new TypeError('now must be a number');
  if (!Number.isSafeInteger(options.limit) || options.limit < 1 || options.limit > 1000) {
    throw new TypeError('limit must be an integer from 1 to 1000');
  }
  if (!Number.isFinite(options.leaseSeconds) || options.leaseSeconds <= 0) {
    throw new TypeError('leaseSeconds must be a positive number');
  }
  if (!isDeliveryKey(options.lease)) throw new TypeError('lease must be 16 to 64 base64url characters');
}

/** An attempt's outcome: error codes only (never a receiver's text), finite times. */
export function checkDeliveryOutcome(outcome: WebhookDeliveryOutcome): void {
  if (outcome.state === 'delivered') {
    if (!Number.isFinite(outcome.at)) throw new TypeError('at must be a number');
    return;
  }
  if (outcome.state !== 'pending' && outcome.state !== 'failed') {
    throw new TypeError('outcome state must be delivered, pending or failed');
  }
  if (typeof outcome.error !== 'string' || !ERROR_CODE.test(outcome.error)) {
    throw new TypeError('error must be an error code');
  }
  const time = outcome.state === 'pending' ? outcome.nextAttemptAt : outcome.at;
  if (!Number.isFinite(time)) throw new TypeError('the outcome time must be a number');
}
