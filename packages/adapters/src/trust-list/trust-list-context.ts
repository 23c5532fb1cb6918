import type { IssuanceContext, TrustListContext } from '@trieste/core';
import { AdapterError } from '../errors.js';

/** Settings the trust list is described by (SettingsStore names, shared by the server and the CLI). */
export const TRUST_LIST_SETTINGS = {
  /** ISO 3166-1 alpha-2 code of the installation's jurisdiction (set by the server's demo seed). */
  jurisdiction: 'jurisdiction',
  /** The jurisdiction's name, e.g. "Demo Republic of XA". */
  jurisdictionName: 'jurisdiction.name',
  /** The trust list operator's name; default "Trust list operator of <jurisdiction name>". */
  operatorName: 'trust.operator.name',
} as const;

/** Where an installation publishes its trust list: `<issuer>/trust/list`. */
export function trustListUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/trust/list`;
}

/**
 * The trust list operator context of an installation: its jurisdiction and operator name from
 * the settings, its issuer URL as the operator's address and list location. An installation
 * without a jurisdiction publishes no list: NOT_FOUND.
 */
export async function trustListContextFor(
  issuance: IssuanceContext,
  options: Pick<TrustListContext, 'ownIssuer' | 'validitySeconds' | 'refreshBeforeSeconds'> = {},
): Promise<TrustListContext> {
  const { settings } = issuance.stores;
  const jurisdiction = await settings.get(TRUST_LIST_SETTINGS.jurisdiction);
  if (!jurisdiction) {
    throw new AdapterError(
      'NOT_FOUND',
      'this installation has no jurisdiction, so it publishes no trust list',
    );
  }
  const name =
    (await settings.get(TRUST_LIST_SETTINGS.operatorName)) ??
    `Trust list operator of ${(await settings.get(TRUST_LIST_SETTINGS.jurisdictionName)) ?? jurisdiction}`;
  return {
    stores: issuance.stores,
    crypto: issuance.crypto,
    clock: issuance.clock,
    operator: { name, jurisdiction, uri: issuance.issuer },
    listUri: trustListUri(issuance.issuer),
    ...options,
  };
}
