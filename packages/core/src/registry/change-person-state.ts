import { fail } from '../errors.js';
import type { Stores } from '../ports.js';
import { type CredentialEffects, credentialEffects } from './credential-effects.js';
import { parsePartialDate } from './partial-date.js';
import type { PartialDate, PersonRecord, PersonState } from './person.js';
import {
  checkText,
  type RegistryContext,
  requirePerson,
  resolveRegistryContext,
} from './registry-context.js';
import { type LifecycleEventName, lifecycleLogEntry } from './registry-log-entries.js';

export interface StateChangeRequest {
  personId: string;
  by: string;
  reason: string;
}

export interface StateChangeResult {
  person: PersonRecord;
  effects: CredentialEffects;
}

/** Deactivates an active record (suspected fraud, a court order…): its credentials are to be suspended. */
export function deactivatePerson(
  request: StateChangeRequest,
  context: RegistryContext,
): Promise<StateChangeResult> {
  return changeState(request, context, ['active'], 'deactivated', 'deactivated', 'suspend');
}

/**
 * Reactivates a deactivated record: its suspended credentials are to be reinstated, except those it
 * shares with a ward or guardian whose record is not active (a guardian credential).
 */
export function reactivatePerson(
  request: StateChangeRequest,
  context: RegistryContext,
): Promise<StateChangeResult> {
  return changeState(request, context, ['deactivated'], 'active', 'reactivated', 'reinstate');
}

/**
 * Records a death (final): the credentials are to be revoked and the person's VIDs are revoked
 * now. `dateOfDeath` may be partial, like a birth date.
 */
export async function recordDeath(
  request: StateChangeRequest & { dateOfDeath: PartialDate },
  context: RegistryContext,
): Promise<StateChangeResult> {
  const date = request?.dateOfDeath;
  if (!date || typeof date.value !== 'string' || !parsePartialDate(date.value)) {
    throw fail('PERSON_INVALID', 'dateOfDeath format');
  }
  return changeState(request, context, ['active', 'deactivated'], 'deceased', 'deceased', 'revoke', {
    dateOfDeath: { value: date.value, ...(date.estimated ? { estimated: true } : {}) },
  });
}

async function changeState(
  request: StateChangeRequest,
  context: RegistryContext,
  from: readonly PersonState[],
  to: PersonState,
  event: LifecycleEventName,
  action: 'suspend' | 'revoke' | 'reinstate',
  extra: { dateOfDeath?: PartialDate } = {},
): Promise<StateChangeResult> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.by, 'by');
  checkText(request.reason, 'reason');
  const now = ctx.clock.now();
  return ctx.stores.transaction(async (stores) => {
    const current = await requirePerson(stores, request.personId);
    if (!from.includes(current.state)) {
      throw fail('PERSON_STATE_CONFLICT', `a ${current.state} record cannot become ${to}`);
    }
    const person = await stores.registry.updatePerson(
      current.id,
      { state: to, ...extra },
      { by: request.by, at: now, reason: request.reason },
      current.version,
    );
    if (action === 'revoke') await revokeAllVids(stores, person.id, now);
    await stores.log.append(
      lifecycleLogEntry(
        {
          event,
          personId: person.id,
          version: person.version,
          by: request.by,
          at: now,
          reason: request.reason,
        },
        ctx.crypto,
      ),
    );
    const effects = await credentialEffects(stores, person.id, action);
    if (action !== 'reinstate') return { person, effects };
    // A guardian credential is linked to the guardian and the child: it comes back only when both
    // records are active (reactivating one while the other is still deactivated leaves it suspended).
    const held = await sharedWithInactive(stores, person);
    return { person, effects: { ...effects, reinstate: effects.reinstate.filter((id) => !held.has(id)) } };
  });
}

/** Credentials linked both to `person` and to a ward or guardian of theirs that is not active. */
async function sharedWithInactive(stores: Stores, person: PersonRecord): Promise<Set<string>> {
  const related = new Set([
    ...(await stores.registry.wardsOf(person.id)),
    ...(person.data.guardians ?? []).map((link) => link.personId),
  ]);
  const held = new Set<string>();
  for (const id of related) {
    const other = await stores.registry.getPerson(id);
    if (!other || other.state === 'active') continue;
    for (const credentialId of await stores.registry.credentialsOf(id)) held.add(credentialId);
  }
  return held;
}

export async function revokeAllVids(stores: Stores, personId: string, at: number): Promise<void> {
  for (const vid of await stores.registry.listVids(personId)) {
    if (vid.revokedAt === undefined) await stores.registry.revokeVid(vid.id, at);
  }
}
