import { fail } from '../errors.js';
import type { Stores } from '../ports.js';
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
 * changed, the person's credentials are to be revoked and a new one issued (`effects`). When a
 * guardian link is removed, the guardian credentials for that guardian and this child (linked to
 * both records) are to be revoked.
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
      ? await exceptHeldAsGuardian(
          stores,
          person.id,
          await credentialEffects(stores, person.id, 'revoke', true),
        )
      : NO_CREDENTIAL_EFFECTS;
    // A guardian link removed from this record (the child's): the guardian credentials linked to
    // both this record and that guardian attest a link that no longer exists, so they are revoked.
    const severed = await severedGuardianCredentials(stores, current, request.data);
    if (severed.length === 0) return { person, effects };
    return {
      person,
      effects: { ...effects, revoke: [...new Set([...effects.revoke, ...severed])] },
    };
  });
}

/**
 * A guardian credential is linked to the guardian and to the child, but carries the child's data
 * and the link (both in the child's record) and nothing of the guardian's: a change to the
 * guardian's own record leaves it as true as it was. Those are the credentials linked to this
 * person and to one of their wards; their death, deactivation or merge still reaches them.
 */
async function exceptHeldAsGuardian(
  stores: Stores,
  guardianId: string,
  effects: CredentialEffects,
): Promise<CredentialEffects> {
  if (effects.revoke.length === 0) return effects;
  const own = new Set(effects.revoke);
  const held = new Set<string>();
  for (const wardId of await stores.registry.wardsOf(guardianId)) {
    for (const id of await stores.registry.credentialsOf(wardId)) if (own.has(id)) held.add(id);
  }
  if (held.size === 0) return effects;
  return { ...effects, revoke: effects.revoke.filter((id) => !held.has(id)) };
}

/**
 * The credentials linked to both the child's record and a guardian that the new data no longer
 * names: guardian credentials (a national identity credential is linked to its one person).
 */
async function severedGuardianCredentials(
  stores: Stores,
  current: PersonRecord,
  next: PersonData,
): Promise<string[]> {
  const kept = new Set((next.guardians ?? []).map((link) => link.personId));
  const removed = [...new Set((current.data.guardians ?? []).map((link) => link.personId))].filter(
    (id) => !kept.has(id),
  );
  if (removed.length === 0) return [];
  const ofChild = new Set(await stores.registry.credentialsOf(current.id));
  const severed: string[] = [];
  for (const guardianId of removed) {
    for (const id of await stores.registry.credentialsOf(guardianId)) if (ofChild.has(id)) severed.push(id);
  }
  return severed;
}
