import {
  type IssuerKeyRecord,
  logVerifierKey,
  type PublishedCheckpoint,
  publishCheckpoint,
  type SignatureAlg,
} from '@trieste/core';
import type { Installation } from './open-installation.js';

export interface InitialisedInstallation {
  /** Whether this call created the issuer key (a new installation). */
  created: boolean;
  key: IssuerKeyRecord;
  checkpoint: PublishedCheckpoint;
  /** The log's verifier key, for verifiers to pin. */
  logKey: string;
}

/**
 * Makes an installation usable: stores its issuer identifier and log origin, creates one active
 * issuer key when none is active, and signs a first checkpoint. Running it again changes nothing,
 * so every app may call it on start.
 */
export async function initialiseInstallation(
  installation: Pick<Installation, 'stores' | 'issuance' | 'log'>,
  options: { alg?: SignatureAlg } = {},
): Promise<InitialisedInstallation> {
  const { stores } = installation;
  if (!(await stores.settings.get('issuer')))
    await stores.settings.set('issuer', installation.issuance.issuer);
  if (!(await stores.settings.get('log.origin')))
    await stores.settings.set('log.origin', installation.log.origin);
  const active = (await stores.keys.list()).find((key) => key.state === 'active');
  const key = active ?? (await stores.keys.create(options.alg ?? 'ES256', { activate: true }));
  const checkpoint = await publishCheckpoint(installation.log);
  return { created: !active, key, checkpoint, logKey: await logVerifierKey(installation.log) };
}
