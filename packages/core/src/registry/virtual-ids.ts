import { fail, isTriesteError } from '../errors.js';
import {
  checkText,
  newRegistryId,
  type RegistryContext,
  requirePerson,
  resolveRegistryContext,
} from './registry-context.js';
import type { VidRecord } from './registry-records.js';
import { generateVid, isValidVid } from './uin.js';

/**
 * Virtual IDs (after MOSIP's VIDs): a random number that stands for the person's UIN towards one
 * service, so the UIN itself need not spread; the person can hold one per service and revoke it.
 * The VID has its own check digit and shape (`DEFAULT_VID_POLICY`), and the registry stores only
 * a keyed digest of it.
 */
export async function issueVid(
  request: { personId: string; service: string; expiresAt?: number },
  context: RegistryContext,
): Promise<{ vid: string; record: VidRecord }> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.service, 'service', 200);
  if (request.expiresAt !== undefined && !Number.isFinite(request.expiresAt))
    throw new TypeError('expiresAt must be a number');
  const now = ctx.clock.now();
  return ctx.stores.transaction(async (stores) => {
    const person = await requirePerson(stores, request.personId);
    if (person.state !== 'active')
      throw fail('PERSON_STATE_CONFLICT', `a ${person.state} record gets no VID`);
    const record: VidRecord = {
      id: newRegistryId(ctx.crypto),
      personId: person.id,
      service: request.service,
      createdAt: now,
      ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
    };
    for (let attempt = 0; attempt < 20; attempt++) {
      const vid = generateVid(ctx.crypto, ctx.vidPolicy);
      try {
        await stores.registry.insertVid(record, vid);
        return { vid, record };
      } catch (error) {
        // The store refuses a VID it holds already (DUPLICATE): draw another.
        if ((error as { code?: unknown })?.code !== 'DUPLICATE' || isTriesteError(error)) throw error;
      }
    }
    throw fail('UIN_UNAVAILABLE', 'no free VID after 20 draws');
  });
}

/** Revokes a VID by its value or its id; revoking it again changes nothing. VID_UNKNOWN if there is none. */
export async function revokeVid(
  request: { vid: string } | { id: string },
  context: RegistryContext,
): Promise<VidRecord> {
  const ctx = resolveRegistryContext(context);
  const now = ctx.clock.now();
  return ctx.stores.transaction(async (stores) => {
    const found =
      'vid' in request
        ? isValidVid(request.vid, ctx.vidPolicy)
          ? await stores.registry.findVid(request.vid)
          : undefined
        : await stores.registry.getVid(request.id);
    if (!found) throw fail('VID_UNKNOWN', 'no such VID');
    return (await stores.registry.revokeVid(found.id, now)) ?? found;
  });
}

/**
 * What a VID stands for, asked by `service` at `now`: the person's record id and UIN. Refused, with
 * a code, when the VID is malformed (VID_INVALID), unknown (VID_UNKNOWN), meant for another service
 * (VID_SERVICE_MISMATCH), revoked (VID_REVOKED), expired (VID_EXPIRED), or its person is no longer
 * active (PERSON_STATE_CONFLICT).
 */
export async function resolveVid(
  vid: string,
  request: { service: string },
  context: RegistryContext,
): Promise<{ personId: string; uin: string; record: VidRecord }> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.service, 'service', 200);
  if (!isValidVid(vid, ctx.vidPolicy)) throw fail('VID_INVALID', 'not a well-formed VID');
  const record = await ctx.stores.registry.findVid(vid);
  if (!record) throw fail('VID_UNKNOWN', 'no such VID');
  if (record.service !== request.service)
    throw fail('VID_SERVICE_MISMATCH', 'the VID was issued for another service');
  if (record.revokedAt !== undefined) throw fail('VID_REVOKED', 'the VID was revoked');
  const now = ctx.clock.now();
  if (record.expiresAt !== undefined && now >= record.expiresAt)
    throw fail('VID_EXPIRED', 'the VID has expired');
  const person = await requirePerson(ctx.stores, record.personId);
  if (person.state !== 'active' || !person.uin)
    throw fail('PERSON_STATE_CONFLICT', `the VID's person is ${person.state}`);
  return { personId: person.id, uin: person.uin, record };
}
