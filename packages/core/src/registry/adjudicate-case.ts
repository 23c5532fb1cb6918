import { fail } from '../errors.js';
import { revokeAllVids } from './change-person-state.js';
import { type CredentialEffects, credentialEffects, NO_CREDENTIAL_EFFECTS } from './credential-effects.js';
import type { PersonRecord } from './person.js';
import {
  checkText,
  type RegistryContext,
  requirePerson,
  resolveRegistryContext,
  uinSource,
} from './registry-context.js';
import { lifecycleLogEntry } from './registry-log-entries.js';
import type { AdjudicationCase, AdjudicationOutcome } from './registry-records.js';

export interface AdjudicateRequest {
  caseId: string;
  outcome: AdjudicationOutcome;
  /** For `same`: which of the case's candidates is the person (the record that survives). */
  survivorId?: string;
  /** The supervisor deciding; the server checks the role, this use case that it is not the enrolling registrar. */
  supervisor: string;
  note?: string;
}

export interface AdjudicationResult {
  case: AdjudicationCase;
  /** The case's subject after the decision: active with a UIN (distinct) or a merged tombstone (same). */
  subject: PersonRecord;
  survivor?: PersonRecord;
  /** For a merged subject that had credentials: revoke them. */
  effects: CredentialEffects;
}

/**
 * A supervisor's decision on a grey-zone case, once (CASE_DECIDED afterwards, also for a
 * concurrent second decision). Four eyes: the registrar who enrolled the subject may not decide
 * (ADJUDICATOR_NOT_ALLOWED). `distinct` gives the pending subject a UIN; `same` merges the subject
 * into the chosen candidate: the subject's record stays as a tombstone pointing at the survivor
 * (its data and history are kept, it is no longer a candidate), its VIDs are revoked.
 */
export async function adjudicateCase(
  request: AdjudicateRequest,
  context: RegistryContext,
): Promise<AdjudicationResult> {
  const ctx = resolveRegistryContext(context);
  checkText(request?.supervisor, 'supervisor');
  if (request.outcome !== 'distinct' && request.outcome !== 'same')
    throw new TypeError('outcome must be distinct or same');
  if (request.note !== undefined) checkText(request.note, 'note', 1000);
  const now = ctx.clock.now();
  return ctx.stores.transaction(async (stores) => {
    const found =
      typeof request.caseId === 'string' ? await stores.registry.getCase(request.caseId) : undefined;
    if (!found) throw fail('CASE_UNKNOWN', 'no adjudication case with this id');
    if (found.state !== 'pending') throw fail('CASE_DECIDED', 'the case was decided already');
    const subject = await requirePerson(stores, found.subjectId);
    if (subject.enrolment.registrar === request.supervisor) {
      throw fail(
        'ADJUDICATOR_NOT_ALLOWED',
        'the registrar who enrolled the person cannot adjudicate the case',
      );
    }
    let survivor: PersonRecord | undefined;
    let effects = NO_CREDENTIAL_EFFECTS;
    const meta = { by: request.supervisor, at: now, reason: `adjudication ${found.id}: ${request.outcome}` };
    let updated: PersonRecord;
    if (request.outcome === 'distinct') {
      if (subject.state !== 'pending') throw fail('PERSON_STATE_CONFLICT', `the subject is ${subject.state}`);
      updated = await stores.registry.updatePerson(
        subject.id,
        { state: 'active', uin: 'draw' },
        meta,
        subject.version,
        uinSource(ctx),
      );
    } else {
      if (!request.survivorId || !found.candidates.some((c) => c.personId === request.survivorId)) {
        throw fail('MALFORMED', 'the survivor must be one of the case candidates');
      }
      survivor = await requirePerson(stores, request.survivorId);
      if (survivor.state !== 'active' && survivor.state !== 'pending') {
        throw fail('PERSON_STATE_CONFLICT', `the survivor is ${survivor.state}`);
      }
      if (subject.state !== 'pending' && subject.state !== 'active') {
        throw fail('PERSON_STATE_CONFLICT', `the subject is ${subject.state}`);
      }
      updated = await stores.registry.updatePerson(
        subject.id,
        { state: 'merged', mergedInto: survivor.id, blockingKeys: [] },
        meta,
        subject.version,
      );
      await revokeAllVids(stores, subject.id, now);
      effects = await credentialEffects(stores, subject.id, 'revoke');
    }
    const decided = await stores.registry.decideCase(found.id, {
      outcome: request.outcome,
      ...(survivor ? { survivorId: survivor.id } : {}),
      supervisor: request.supervisor,
      at: now,
      ...(request.note ? { note: request.note } : {}),
    });
    if (!decided) throw fail('CASE_DECIDED', 'the case was decided already');
    await stores.log.append(
      lifecycleLogEntry(
        {
          event: request.outcome === 'distinct' ? 'activated' : 'merged',
          personId: updated.id,
          version: updated.version,
          by: request.supervisor,
          at: now,
          reason: meta.reason,
          ...(survivor ? { mergedInto: survivor.id } : {}),
        },
        ctx.crypto,
      ),
    );
    return { case: decided, subject: updated, ...(survivor ? { survivor } : {}), effects };
  });
}
