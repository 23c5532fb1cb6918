import { DEFAULT_STATUS_LIST_OPTIONS, type Installation, initialiseInstallation } from '@trieste/adapters';
import { type Clock, publishStatusList } from '@trieste/core';
import { createApiKey } from './http/api-keys.js';

/** The demo jurisdiction: an ISO 3166-1 user-assigned code, so it is no real country. */
export const DEMO_JURISDICTION = { code: 'XA', name: 'Demo Republic of XA' };

export interface SeedResult {
  /** Whether the installation was new (its issuer key was created now). */
  created: boolean;
  issuerKid: string;
  logKey: string;
  /** A status list the server serves from the start. */
  statusListId: string;
  /** The demo admin API key, when this start created it: shown once, stored only as a hash. */
  adminKey?: string;
}

/**
 * Makes a new installation usable as a demo and changes nothing on one that is: issuer key and
 * first checkpoint (initialiseInstallation), the demo jurisdiction XA, a published status list,
 * and an admin API key when the installation has none.
 */
export async function seedDemo(
  installation: Installation,
  clock: Clock,
  jurisdiction: { code: string; name: string } = DEMO_JURISDICTION,
): Promise<SeedResult> {
  const { stores } = installation;
  const init = await initialiseInstallation(installation);
  // Set once: a restarted installation keeps the jurisdiction its trust list already names.
  if (!(await stores.settings.get('jurisdiction'))) {
    await stores.settings.set('jurisdiction', jurisdiction.code);
    await stores.settings.set('jurisdiction.name', jurisdiction.name);
  }
  let list = (await stores.statusLists.lists())[0];
  if (!list) {
    list = await stores.transaction(async (tx) => {
      const created = await tx.statusLists.createList({
        bits: DEFAULT_STATUS_LIST_OPTIONS.bits,
        size: DEFAULT_STATUS_LIST_OPTIONS.size,
      });
      await publishStatusList(created.id, installation.issuance, tx);
      return created;
    });
  }
  let adminKey: string | undefined;
  if ((await stores.apiKeys.list()).length === 0) {
    ({ key: adminKey } = await createApiKey(stores.apiKeys, clock, { name: 'demo admin', roles: ['admin'] }));
  }
  return {
    created: init.created,
    issuerKid: init.key.kid,
    logKey: init.logKey,
    statusListId: list.id,
    ...(adminKey === undefined ? {} : { adminKey }),
  };
}
