import type { Clock, CryptoPort, Stores } from '../ports.js';

/**
 * What the issuance use cases need from their caller: the stores (with key custody), crypto,
 * a clock, and the installation's identifiers. Built by a composition root (CLI, server).
 */
export interface IssuanceContext {
  stores: Stores;
  crypto: CryptoPort;
  clock: Clock;
  /** The `iss` of every credential and status list token, e.g. `https://id.example.gov`. */
  issuer: string;
  /** Status list tokens are published at `${statusBaseUri}/${listId}`. */
  statusBaseUri: string;
  /** How long a published status list token is valid, and its `ttl` (seconds). */
  statusListValiditySeconds?: number;
  statusListTtlSeconds?: number;
}

export function statusListUri(context: Pick<IssuanceContext, 'statusBaseUri'>, listId: string): string {
  return `${context.statusBaseUri.replace(/\/+$/, '')}/${encodeURIComponent(listId)}`;
}
