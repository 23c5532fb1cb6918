import { fail } from '../errors.js';
import { blockingKeys } from './blocking-keys.js';
import {
  CREDENTIAL_FIELDS,
  type CredentialEffects,
  credentialEffects,
  NO_CREDENTIAL_EFFECTS,
} from './credential-effects.js';
import { checkGuardians } from './enrol-person.js';
import { assertValidPerson } from './jurisdiction-rules.js';
import { matchProfile } from './match-profile.js';
import type { PersonData, PersonRecord } from './person.js';
import {
  checkText,
  type RegistryContext,
  requirePerson,
  resolveRegistryContext,
} from './registry-context.js';
import { canonicalRecordJson, lifecycleLogEntry } from './registry-log-entries.js';

export interface UpdatePersonRequest {
  personId: string;
  /** The whole new record (what is left out is removed). */
  data: PersonData;
  /** The version the caller read: a concurrent change makes this PERSON_VERSION_CONFLICT. */
  expectedVersion: number;
  by: string;
  reason: string;
}

/**
 * Replaces a person's data, keeping the previous version with who, when and why. A deceased or
 * merged record is not updated (PERSON_STATE_CONFLICT). When a field that credentials carry
 * changed, the person's credentials are to be revoked and a new one issued (`effects`).
 */
export async function updatePerson(
  request: UpdatePersonRequest,
  context: RegistryContext,
): Promise<{ person: PersonRecord; effects: CredentialEffects }> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.by, 'by');
  checkText(request.reason, 'reason');
  if (!Number.isSafeInteger(request.expectedVersion))
    throw new TypeError('expectedVersion must be an integer');
  const now = ctx.clock.now();
  assertValidPerson(request.data, ctx.rules, now);
  const keys = blockingKeys(matchProfile(request.data), ctx.blocking);
  return ctx.stores.transaction(async (stores) => {
    const current = await requirePerson(stores, request.personId);
    if (current.state === 'deceased' || current.state === 'merged') {
      throw fail('PERSON_STATE_CONFLICT', `a ${current.state} record is not updated`);
    }
    await checkGuardians(stores, request.data, current.id);
    const person = await stores.registry.updatePerson(
      current.id,
      { data: request.data, blockingKeys: keys.stored },
      { by: request.by, at: now, reason: request.reason },
      request.expectedVersion,
    );
    await stores.log.append(
      lifecycleLogEntry(
        {
          event: 'updated',
          personId: person.id,
          version: person.version,
          by: request.by,
          at: now,
          reason: request.reason,
        },
        ctx.crypto,
      ),
    );
    const changed = CREDENTIAL_FIELDS.some(
      (field) =>
        canonicalRecordJson({ v: current.data[field] ?? null }) !==
        canonicalRecordJson({ v: request.data[field] ?? null }),
    );
    const effects = changed
      ? await credentialEffects(stores, person.id, 'revoke', true)
      : NO_CREDENTIAL_EFFECTS;
    return { person, effects };
  });
}
