import { fail } from '../errors.js';
import type { PersonRecord } from './person.js';
import {
  checkText,
  newRegistryId,
  type RegistryContext,
  requirePerson,
  resolveRegistryContext,
} from './registry-context.js';
import { accessLogEntry } from './registry-log-entries.js';
import type { AccessRecord } from './registry-records.js';
import { isValidUin } from './uin.js';

export interface AccessRequest {
  accessor: string;
  /** The declared purpose ("border check", "benefit claim 2291"): shown to the person. */
  purpose: string;
}

/**
 * Records that `accessor` read the person's record for `purpose`, and queues the record's digest
 * for the transparency log in the same transaction, so an access cannot be hidden afterwards.
 */
export async function recordAccess(
  request: AccessRequest & { personId: string },
  context: RegistryContext,
): Promise<AccessRecord> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.accessor, 'accessor');
  checkText(request.purpose, 'purpose');
  return ctx.stores.transaction(async (stores) => {
    const person = await requirePerson(stores, request.personId);
    return audit(stores, person, request, ctx);
  });
}

/**
 * Reads a person by record id or UIN and records the access in the same transaction: the way an
 * official or service reads a record. A merged record answers with its tombstone (`mergedInto`).
 */
export async function readPerson(
  request: AccessRequest & ({ personId: string } | { uin: string }),
  context: RegistryContext,
): Promise<{ person: PersonRecord; access: AccessRecord }> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.accessor, 'accessor');
  checkText(request.purpose, 'purpose');
  return ctx.stores.transaction(async (stores) => {
    let person: PersonRecord | undefined;
    if ('uin' in request) {
      if (!isValidUin(request.uin, ctx.uinPolicy)) throw fail('UIN_INVALID', 'not a well-formed UIN');
      person = await stores.registry.getPersonByUin(request.uin);
      if (!person) throw fail('PERSON_UNKNOWN', 'no person with this UIN');
    } else {
      person = await requirePerson(stores, request.personId);
    }
    return { person, access: await audit(stores, person, request, ctx) };
  });
}

async function audit(
  stores: RegistryContext['stores'],
  person: PersonRecord,
  request: AccessRequest,
  ctx: ReturnType<typeof resolveRegistryContext>,
): Promise<AccessRecord> {
  const record: AccessRecord = {
    id: newRegistryId(ctx.crypto),
    personId: person.id,
    accessor: request.accessor,
    purpose: request.purpose,
    at: ctx.clock.now(),
  };
  await stores.registry.recordAccess(record);
  await stores.log.append(accessLogEntry(record, ctx.crypto));
  return record;
}

/** "Who looked at my data": the person's access records, newest first. */
export async function listAccesses(
  personId: string,
  context: RegistryContext,
  page: { limit?: number; offset?: number } = {},
): Promise<AccessRecord[]> {
  const ctx = resolveRegistryContext(context);
  await requirePerson(ctx.stores, personId);
  return ctx.stores.registry.listAccesses(personId, page);
}
