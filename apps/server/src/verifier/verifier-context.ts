import type { Clock, CryptoPort, StatusResolver, Stores } from '@trieste/core';
import type { IssuerTrust } from './issuer-trust.js';
import type { OwnStatusLists } from './own-status-entries.js';
import type { PendingRequestCache } from './pending-request-cache.js';
import type { TemplateSettings } from './request-templates.js';
import type { WebhookSettings } from './webhooks/webhook-context.js';

/** Everything the verifier's use cases take: ports and plain values, no HTTP. */
export interface VerifierContext {
  stores: Stores;
  crypto: CryptoPort;
  clock: Clock;
  /** The server's public base URL: request_uri and response_uri are under it. */
  baseUrl: string;
  /** Issuers whose keys the verifier knows. */
  trust: IssuerTrust;
  /** Status lookups (cached; fetches only from trusted hosts; our own lists read live). */
  status: StatusResolver;
  /**
   * This installation's own lists: a response's entries in them are checked when its answer is
   * written (deferOwnStatus) instead of read one by one. Without it they are read through `status`.
   */
  ownStatus?: OwnStatusLists;
  /** Pending requests this process created or served (the response endpoint skips a read). */
  requests?: PendingRequestCache;
  /** The longest another issuer's status list is cached (seconds): stated in results. */
  statusMaxAgeSeconds: number;
  /** How long a wallet has to answer (seconds). */
  requestTtlSeconds: number;
  /** How long a result is kept after the answer, or a request after it expires (seconds). */
  retentionSeconds: number;
  /** Oldest acceptable KB-JWT, in seconds (OpenID4VP freshness). */
  kbMaxAgeSeconds: number;
  /** What the relying-party templates ask for (credential types, the ages credentials attest). */
  templates: TemplateSettings;
  /** Webhook delivery: address policy (SSRF screening), time limits, retries (webhooks/). */
  webhooks: WebhookSettings;
}

/** Wallet-facing paths (unauthenticated): the request object and the response endpoint. */
export const requestObjectPath = (id: string) => `/openid4vp/request/${id}`;
export const responsePath = (id: string) => `/openid4vp/response/${id}`;

export function absoluteUrl(ctx: Pick<VerifierContext, 'baseUrl'>, path: string): string {
  return `${ctx.baseUrl.replace(/\/+$/, '')}${path}`;
}
