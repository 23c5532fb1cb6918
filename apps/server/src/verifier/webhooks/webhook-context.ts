import type { Clock, CryptoPort, Stores } from '@trieste/core';
import type { WebhookAddressPolicy } from './screen-webhook-address.js';

/**
 * The webhook settings. Every field beyond `allowHttp` and `timeoutMs` is optional with a default,
 * so the verifier's context (VerifierContext['webhooks']) is one as it stands.
 */
export interface WebhookSettings extends WebhookAddressPolicy {
  /** One attempt's time limit, connection to status line (ms). */
  timeoutMs: number;
  /** Attempts before a delivery is given up (default 8: about an hour with the default delays). */
  maxAttempts?: number;
  /** Delay after the first failed attempt (default 30 s); it doubles after each further one. */
  firstRetryDelaySeconds?: number;
  /** How long a claimed delivery is reserved for its deliverer (default 60 s; above `timeoutMs`). */
  leaseSeconds?: number;
  /** Deliveries attempted per round (default 20, in parallel). */
  batchSize?: number;
  /** How long delivered and failed deliveries are kept for operators (default 1 day). */
  keepFinishedSeconds?: number;
}

/** What the webhook use cases take: the verifier's context is one (stores, clock, crypto, webhooks). */
export interface WebhookContext {
  stores: Stores;
  clock: Clock;
  crypto: Pick<CryptoPort, 'bytes'>;
  webhooks: WebhookSettings;
}

type Tunables =
  | 'maxAttempts'
  | 'firstRetryDelaySeconds'
  | 'leaseSeconds'
  | 'batchSize'
  | 'keepFinishedSeconds';

export type ResolvedWebhookSettings = WebhookSettings & Required<Pick<WebhookSettings, Tunables>>;

export const WEBHOOK_DEFAULTS: Required<Pick<WebhookSettings, Tunables>> = {
  maxAttempts: 8,
  firstRetryDelaySeconds: 30,
  leaseSeconds: 60,
  batchSize: 20,
  keepFinishedSeconds: 86_400,
};

/** The settings with their defaults; a nonsensical value is the caller's bug (TypeError). */
export function resolveWebhookSettings(settings: WebhookSettings): ResolvedWebhookSettings {
  const resolved = { ...settings };
  for (const name of Object.keys(WEBHOOK_DEFAULTS) as Tunables[]) {
    const value = settings[name] ?? WEBHOOK_DEFAULTS[name];
    if (!Number.isFinite(value) || value <= 0)
      throw new TypeError(`webhooks.${name} must be a positive number`);
    resolved[name] = value;
  }
  if (!Number.isSafeInteger(resolved.maxAttempts) || !Number.isSafeInteger(resolved.batchSize)) {
    throw new TypeError('webhooks.maxAttempts and webhooks.batchSize must be integers');
  }
  if (!Number.isFinite(settings.timeoutMs) || settings.timeoutMs <= 0) {
    throw new TypeError('webhooks.timeoutMs must be a positive number');
  }
  return resolved as ResolvedWebhookSettings;
}
