import {
  accessLogEntry,
  adjudicateCase,
  type Clock,
  deactivatePerson,
  enrolPerson,
  generateUin,
  generateVid,
  issueVid,
  isTriesteError,
  lifecycleLogEntry,
  listAccesses,
  type PersonData,
  type RegistryContext,
  reactivatePerson,
  readPerson,
  recordAccess,
  recordDeath,
  resolveVid,
  revokeVid,
  type Stores,
  updatePerson,
  utf8Decode,
} from '@trieste/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { isAdapterError } from '../errors.js';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';

const crypto = nodeCrypto();

function codeOf(error: unknown): string | undefined {
  return isTriesteError(error) || isAdapterError(error) ? error.code : undefined;
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a rejection with ${code}`).toBeDefined();
  expect(codeOf(error)).toBe(code);
}

const amina: PersonData = {
  names: [
    { script: 'Latn', given: 'Amina', middle: 'Omar', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', middle: 'عمر', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-01' },
  sex: 'female',
  placeOfBirth: { locality: 'Aleppo', country: 'SY' },
  nationality: ['SY'],
  legalStatus: 'refugee',
};
// The same woman at another desk: Arabic name only, an estimated year of birth.
const aminaAgain: PersonData = {
  names: [{ script: 'Arab', given: 'أمينة', family: 'حداد' }],
  dateOfBirth: { value: '1990', estimated: true },
  sex: 'female',
};
const khaled: PersonData = {
  names: [{ script: 'Latn', given: 'Khaled', family: 'Mansour' }],
  dateOfBirth: { value: '1961-09-30' },
  sex: 'male',
};

describe('registry use cases (in memory)', () => {
  let now = 1_750_000_000;
  const clock: Clock = { now: () => now };
  let stores: Stores;
  let context: RegistryContext;
  const enrol = (data: PersonData, registrar = 'desk-1') =>
    enrolPerson({ data, registrar, office: 'Trieste central' }, context);
  const created = async (data: PersonData) => {
    const result = await enrol(data);
    if (result.outcome !== 'created') throw new Error(`expected created, got ${result.outcome}`);
    return result.person;
  };
  const pendingLog = async () => {
    const n = await stores.log.pending();
    await stores.log.sequence(crypto);
    const state = await stores.log.state();
    return (await stores.log.entries(state.size - n, state.size)).map(utf8Decode);
  };

  beforeEach(() => {
    now = 1_750_000_000;
    stores = createMemoryStores({ clock });
    context = { stores, crypto, clock };
  });

  describe('enrolment', () => {
    it('creates a person with a UIN and logs the event’s digest, not the person', async () => {
      const person = await created(amina);
      expect(person).toMatchObject({
        state: 'active',
        version: 1,
        data: amina,
        enrolment: { registrar: 'desk-1', office: 'Trieste central', at: now },
      });
      const entries = await pendingLog();
      expect(entries).toEqual([
        utf8Decode(
          lifecycleLogEntry(
            { event: 'enrolled', personId: person.id, version: 1, by: 'desk-1', at: now },
            crypto,
          ),
        ),
      ]);
      expect(entries[0]).not.toMatch(/Amina|Haddad|1990|SY/);
    });

    it('refuses a certain duplicate with the existing record’s reference, and writes nothing', async () => {
      const person = await created(amina);
      const again = await enrol({
        ...amina,
        names: [{ script: 'Latn', given: 'Aminah', middle: 'Umar', family: 'Haddad' }],
      });
      expect(again).toMatchObject({ outcome: 'duplicate', match: { personId: person.id, uin: person.uin } });
      expect((await stores.registry.findCandidates(['anything'])).length).toBe(0);
    });

    it('queues the grey zone for a supervisor: a pending record without UIN, and a case', async () => {
      const person = await created(amina);
      const result = await enrol(aminaAgain, 'desk-2');
      if (result.outcome !== 'review') throw new Error(`expected review, got ${result.outcome}`);
      expect(result.person.state).toBe('pending');
      expect(result.person.uin).toBeUndefined();
      expect(result.candidates[0]).toMatchObject({ personId: person.id, uin: person.uin });
      const queued = await stores.registry.getCase(result.caseId);
      expect(queued).toMatchObject({
        subjectId: result.person.id,
        state: 'pending',
        candidates: [{ personId: person.id }],
      });
      expect(JSON.stringify(queued)).not.toMatch(/Amina|أمينة/);
    });

    it('refuses a record that breaks the field rules (PERSON_INVALID) or names an unknown guardian (PERSON_UNKNOWN)', async () => {
      await rejectsWithCode(enrol({ ...amina, sex: undefined }), 'PERSON_INVALID');
      const child: PersonData = {
        names: [{ script: 'Latn', given: 'Sara', family: 'Haddad' }],
        dateOfBirth: { value: '2019-05-02' },
        sex: 'female',
      };
      await rejectsWithCode(enrol(child), 'PERSON_INVALID');
      await rejectsWithCode(
        enrol({ ...child, guardians: [{ personId: 'AAAAAAAAAAAAAAAAAAAAAA', relationship: 'mother' }] }),
        'PERSON_UNKNOWN',
      );
      const mother = await created(amina);
      const ward = await created({ ...child, guardians: [{ personId: mother.id, relationship: 'mother' }] });
      expect(await stores.registry.wardsOf(mother.id)).toEqual([ward.id]);
      expect(await stores.log.pending()).toBe(2);
    });
  });

  describe('adjudication', () => {
    const queue = async () => {
      const person = await created(amina);
      const result = await enrol(aminaAgain, 'desk-2');
      if (result.outcome !== 'review') throw new Error('expected review');
      return { person, result };
    };

    it('distinct: the subject gets a UIN; the case is decided once (CASE_DECIDED)', async () => {
      const { result } = await queue();
      const decided = await adjudicateCase(
        { caseId: result.caseId, outcome: 'distinct', supervisor: 'sup-1' },
        context,
      );
      expect(decided.subject.state).toBe('active');
      expect(decided.subject.uin).toMatch(/^\d{10}$/);
      expect(decided.case).toMatchObject({
        state: 'decided',
        decision: { outcome: 'distinct', supervisor: 'sup-1', at: now },
      });
      await rejectsWithCode(
        adjudicateCase(
          { caseId: result.caseId, outcome: 'same', survivorId: decided.subject.id, supervisor: 'sup-1' },
          context,
        ),
        'CASE_DECIDED',
      );
      await rejectsWithCode(
        adjudicateCase(
          { caseId: 'AAAAAAAAAAAAAAAAAAAAAA', outcome: 'distinct', supervisor: 'sup-1' },
          context,
        ),
        'CASE_UNKNOWN',
      );
    });

    it('same: the subject becomes a tombstone pointing at the survivor, its history kept', async () => {
      const { person, result } = await queue();
      await rejectsWithCode(
        adjudicateCase(
          { caseId: result.caseId, outcome: 'same', survivorId: result.person.id, supervisor: 'sup-1' },
          context,
        ),
        'MALFORMED',
      );
      const decided = await adjudicateCase(
        {
          caseId: result.caseId,
          outcome: 'same',
          survivorId: person.id,
          supervisor: 'sup-1',
          note: 'same photo',
        },
        context,
      );
      expect(decided.subject).toMatchObject({
        state: 'merged',
        mergedInto: person.id,
        data: aminaAgain,
        version: 2,
      });
      expect(decided.case.decision).toMatchObject({
        outcome: 'same',
        survivorId: person.id,
        note: 'same photo',
      });
      expect((await stores.registry.history(result.person.id))[0]).toMatchObject({
        state: 'pending',
        replacedBy: { by: 'sup-1' },
      });
      // The tombstone is no candidate any more: enrolling the variant again finds the survivor only.
      const again = await enrol(aminaAgain, 'desk-3');
      expect(again.outcome === 'review' && again.candidates.map((c) => c.personId)).toEqual([person.id]);
    });

    it('needs four eyes: the registrar who enrolled the subject may not decide (ADJUDICATOR_NOT_ALLOWED)', async () => {
      const { result } = await queue();
      await rejectsWithCode(
        adjudicateCase({ caseId: result.caseId, outcome: 'distinct', supervisor: 'desk-2' }, context),
        'ADJUDICATOR_NOT_ALLOWED',
      );
    });
  });

  describe('lifecycle and the credential hook', () => {
    it('keeps history on update, compares versions, and asks to revoke and re-issue when credential data changed', async () => {
      const person = await created(amina);
      await stores.registry.linkCredential(person.id, 'cred-1', now);
      const moved = { ...amina, address: { locality: 'Trieste', country: 'XA' } };
      const { person: v2, effects } = await updatePerson(
        { personId: person.id, data: moved, expectedVersion: 1, by: 'officer', reason: 'moved' },
        context,
      );
      expect(v2.version).toBe(2);
      expect(effects).toEqual({ suspend: [], revoke: ['cred-1'], reinstate: [], reissue: true });
      await rejectsWithCode(
        updatePerson(
          { personId: person.id, data: amina, expectedVersion: 1, by: 'officer', reason: 'stale' },
          context,
        ),
        'PERSON_VERSION_CONFLICT',
      );
      const same = await updatePerson(
        { personId: person.id, data: moved, expectedVersion: 2, by: 'officer', reason: 'no change' },
        context,
      );
      expect(same.effects.reissue).toBe(false);
      expect((await stores.registry.history(person.id)).map((v) => v.replacedBy.reason)).toEqual([
        'moved',
        'no change',
      ]);
      await rejectsWithCode(
        updatePerson(
          { personId: 'AAAAAAAAAAAAAAAAAAAAAA', data: amina, expectedVersion: 1, by: 'o', reason: 'r' },
          context,
        ),
        'PERSON_UNKNOWN',
      );
    });

    it('deactivation suspends, reactivation reinstates, death revokes and is final (PERSON_STATE_CONFLICT)', async () => {
      const person = await created(amina);
      await stores.registry.linkCredential(person.id, 'cred-1', now);
      const request = { personId: person.id, by: 'supervisor', reason: 'court order 17' };
      expect((await deactivatePerson(request, context)).effects.suspend).toEqual(['cred-1']);
      await rejectsWithCode(deactivatePerson(request, context), 'PERSON_STATE_CONFLICT');
      expect((await reactivatePerson(request, context)).effects.reinstate).toEqual(['cred-1']);
      const dead = await recordDeath({ ...request, dateOfDeath: { value: '2025-05' } }, context);
      expect(dead.person).toMatchObject({ state: 'deceased', dateOfDeath: { value: '2025-05' } });
      expect(dead.effects.revoke).toEqual(['cred-1']);
      await rejectsWithCode(
        updatePerson(
          { personId: person.id, data: amina, expectedVersion: dead.person.version, by: 'o', reason: 'r' },
          context,
        ),
        'PERSON_STATE_CONFLICT',
      );
      await rejectsWithCode(
        recordDeath({ ...request, dateOfDeath: { value: 'last week' } }, context),
        'PERSON_INVALID',
      );
      expect((await pendingLog()).map((e) => JSON.parse(e).event)).toEqual([
        'enrolled',
        'deactivated',
        'reactivated',
        'deceased',
      ]);
    });
  });

  describe('access audit', () => {
    it('records who read, why and when, lists it newest first, and logs each record’s digest', async () => {
      const person = await created(amina);
      await pendingLog();
      const first = await recordAccess(
        { personId: person.id, accessor: 'border-officer-12', purpose: 'border check' },
        context,
      );
      now += 60;
      const read = await readPerson(
        { uin: person.uin!, accessor: 'clinic-api', purpose: 'patient registration' },
        context,
      );
      expect(read.person.id).toBe(person.id);
      expect((await listAccesses(person.id, context)).map((a) => a.purpose)).toEqual([
        'patient registration',
        'border check',
      ]);
      expect(await pendingLog()).toEqual([
        utf8Decode(accessLogEntry(first, crypto)),
        utf8Decode(accessLogEntry(read.access, crypto)),
      ]);
      await rejectsWithCode(
        readPerson({ uin: '12345', accessor: 'a', purpose: 'p' }, context),
        'UIN_INVALID',
      );
      const unknown = generateUin(crypto);
      await rejectsWithCode(
        readPerson({ uin: unknown, accessor: 'a', purpose: 'p' }, context),
        'PERSON_UNKNOWN',
      );
      await rejectsWithCode(listAccesses('AAAAAAAAAAAAAAAAAAAAAA', context), 'PERSON_UNKNOWN');
    });
  });

  describe('virtual IDs', () => {
    it('stand for the UIN towards one service until revoked or expired', async () => {
      const person = await created(amina);
      const { vid, record } = await issueVid(
        { personId: person.id, service: 'clinic', expiresAt: now + 3600 },
        context,
      );
      expect(vid).toMatch(/^\d{16}$/);
      expect(await resolveVid(vid, { service: 'clinic' }, context)).toEqual({
        personId: person.id,
        uin: person.uin,
        record,
      });
      await rejectsWithCode(resolveVid(vid, { service: 'bank' }, context), 'VID_SERVICE_MISMATCH');
      await rejectsWithCode(resolveVid('1234', { service: 'clinic' }, context), 'VID_INVALID');
      const other = await issueVid({ personId: person.id, service: 'clinic' }, context);
      await revokeVid({ vid: other.vid }, context);
      await rejectsWithCode(resolveVid(other.vid, { service: 'clinic' }, context), 'VID_REVOKED');
      await rejectsWithCode(revokeVid({ id: 'AAAAAAAAAAAAAAAAAAAAAA' }, context), 'VID_UNKNOWN');
      now += 3600;
      await rejectsWithCode(resolveVid(vid, { service: 'clinic' }, context), 'VID_EXPIRED');
    });

    it('stop with the person: deactivation blocks them, death revokes them, an unknown one is VID_UNKNOWN', async () => {
      const person = await created(khaled);
      const { vid } = await issueVid({ personId: person.id, service: 'bank' }, context);
      await deactivatePerson({ personId: person.id, by: 's', reason: 'r' }, context);
      await rejectsWithCode(resolveVid(vid, { service: 'bank' }, context), 'PERSON_STATE_CONFLICT');
      await rejectsWithCode(
        issueVid({ personId: person.id, service: 'bank' }, context),
        'PERSON_STATE_CONFLICT',
      );
      await reactivatePerson({ personId: person.id, by: 's', reason: 'r' }, context);
      await recordDeath(
        { personId: person.id, by: 's', reason: 'r', dateOfDeath: { value: '2025' } },
        context,
      );
      await rejectsWithCode(resolveVid(vid, { service: 'bank' }, context), 'VID_REVOKED');
      const unknown = generateVid(crypto);
      await rejectsWithCode(resolveVid(unknown, { service: 'bank' }, context), 'VID_UNKNOWN');
      const mistyped = `${vid.slice(0, 15)}${(Number(vid[15]) + 1) % 10}`;
      await rejectsWithCode(resolveVid(mistyped, { service: 'bank' }, context), 'VID_INVALID');
    });
  });
});
