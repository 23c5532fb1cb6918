import {
  type Clock,
  enrolPerson,
  generateUin,
  isTriesteError,
  isValidUin,
  type NewPerson,
  type PersonData,
  type Stores,
} from '@trieste/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { isAdapterError } from '../errors.js';
import { generateMasterKey } from '../keys/master-key.js';
import type { StoresHarness } from './stores-contract.test-util.js';

const crypto = nodeCrypto();
const TABLES = [
  'registry_import_rows',
  'registry_person_credentials',
  'registry_accesses',
  'registry_vids',
  'registry_cases',
  'registry_guardians',
  'registry_person_versions',
  'registry_blocking_keys',
  'registry_persons',
].join(', ');

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

const id = () => Buffer.from(crypto.bytes(16)).toString('base64url');
const uins = () => generateUin(crypto);

const amina: PersonData = {
  names: [
    { script: 'Latn', given: 'Amina', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-01' },
  sex: 'female',
  placeOfBirth: { locality: 'Aleppo', country: 'SY' },
};

function person(overrides: Partial<NewPerson> = {}): NewPerson {
  return {
    id: id(),
    state: 'active',
    data: amina,
    enrolment: { registrar: 'desk-1', office: 'Trieste central', at: 1_750_000_000 },
    blockingKeys: ['p:AMN|TT:1990-04', 'm:AMN:1990-04'],
    ...overrides,
  };
}

/**
 * The RegistryStore contract (core/src/ports.ts), run by each `*-stores.test.ts` with its harness:
 * in memory, PGlite and the PostgreSQL server.
 */
export function describeRegistryStoreContract(name: string, harness: StoresHarness): void {
  describe(`RegistryStore contract: ${name}`, () => {
    const masterKey = generateMasterKey();
    let now = 1_750_000_000;
    const clock: Clock = { now: () => now };
    let stores: Stores;

    beforeAll(() => harness.setup());
    afterAll(() => harness.teardown());
    beforeEach(async () => {
      await harness.reset();
      await harness.sql?.(`TRUNCATE ${TABLES}`);
      now = 1_750_000_000;
      stores = await harness.open({ masterKey, clock });
    });

    describe('persons and UINs', () => {
      it('gives an active record a valid UIN and a pending one none, and finds both again', async () => {
        const active = await stores.registry.insertPerson(person(), uins);
        expect(active).toMatchObject({ state: 'active', version: 1, createdAt: 1_750_000_000, data: amina });
        expect(isValidUin(active.uin!)).toBe(true);
        expect(active.enrolment).toEqual({
          registrar: 'desk-1',
          office: 'Trieste central',
          at: 1_750_000_000,
        });
        const pending = await stores.registry.insertPerson(person({ state: 'pending' }), uins);
        expect(pending.uin).toBeUndefined();
        expect(await stores.registry.getPerson(active.id)).toEqual(active);
        expect(await stores.registry.getPersonByUin(active.uin!)).toEqual(active);
        expect(await stores.registry.getPerson(id())).toBeUndefined();
        expect(await stores.registry.getPersonByUin('2345678901')).toBeUndefined();
      });

      it('refuses a duplicate id (DUPLICATE) and leaves the first record as it was', async () => {
        const first = await stores.registry.insertPerson(person(), uins);
        await rejectsWithCode(
          stores.registry.insertPerson(person({ id: first.id, state: 'pending' }), uins),
          'DUPLICATE',
        );
        await rejectsWithCode(stores.registry.insertPerson(person({ id: first.id }), uins), 'DUPLICATE');
        expect(await stores.registry.getPerson(first.id)).toEqual(first);
      });

      it('draws another UIN while the drawn one is taken, and gives up after 20 draws (UIN_UNAVAILABLE)', async () => {
        const first = await stores.registry.insertPerson(person(), uins);
        const fresh = uins();
        const draws = [first.uin!, first.uin!, fresh];
        const second = await stores.registry.insertPerson(person(), () => draws.shift()!);
        expect(second.uin).toBe(fresh);
        await rejectsWithCode(
          stores.registry.insertPerson(person(), () => first.uin!),
          'UIN_UNAVAILABLE',
        );
        const batch = await stores.registry.insertPersons(
          [person(), person()],
          (() => {
            const seq = [first.uin!, fresh, first.uin!, uins(), uins()];
            return () => seq.shift() ?? uins();
          })(),
        );
        expect(new Set([first.uin, second.uin, ...batch.map((p) => p.uin)]).size).toBe(4);
      });

      it('never hands out one UIN twice under concurrent inserts from a small pool', async () => {
        const pool = Array.from({ length: 40 }, uins);
        const draw = () => pool[Math.floor(Math.random() * pool.length)]!;
        const results = await Promise.allSettled(
          Array.from({ length: 16 }, () =>
            stores.transaction((tx) => tx.registry.insertPerson(person(), draw)),
          ),
        );
        const created = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.uin] : []));
        for (const r of results)
          if (r.status === 'rejected') expect(codeOf(r.reason)).toBe('UIN_UNAVAILABLE');
        expect(created.length).toBeGreaterThan(0);
        expect(new Set(created).size).toBe(created.length);
      });

      it('finds pending and active records by any shared key, never deactivated or merged ones, up to the limit', async () => {
        const a = await stores.registry.insertPerson(person({ blockingKeys: ['k1', 'k2'] }), uins);
        const b = await stores.registry.insertPerson(
          person({ state: 'pending', blockingKeys: ['k2', 'k3'] }),
          uins,
        );
        const c = await stores.registry.insertPerson(person({ blockingKeys: ['k3'] }), uins);
        await stores.registry.insertPerson(person({ blockingKeys: ['other'] }), uins);
        const ids = async (keys: string[], limit?: number) =>
          (await stores.registry.findCandidates(keys, limit ? { limit } : {})).map((p) => p.id).sort();
        expect(await ids(['k1'])).toEqual([a.id]);
        expect(await ids(['k2'])).toEqual([a.id, b.id].sort());
        expect(await ids(['k1', 'k3', 'none'])).toEqual([a.id, b.id, c.id].sort());
        expect(await ids([])).toEqual([]);
        expect((await ids(['k1', 'k2', 'k3'], 2)).length).toBe(2);
        await stores.registry.updatePerson(
          c.id,
          { state: 'deactivated' },
          { by: 'sup', at: now, reason: 'test' },
          1,
        );
        await stores.registry.updatePerson(
          b.id,
          { state: 'merged', mergedInto: a.id, blockingKeys: [] },
          { by: 'sup', at: now, reason: 'same' },
          1,
        );
        expect(await ids(['k1', 'k2', 'k3'])).toEqual([a.id]);
      });

      it('answers many lookups at once: each record once, and for each lookup the records it finds, as findCandidates does', async () => {
        const a = await stores.registry.insertPerson(person({ blockingKeys: ['k1', 'k2'] }), uins);
        const b = await stores.registry.insertPerson(
          person({ state: 'pending', blockingKeys: ['k2', 'k3'] }),
          uins,
        );
        const gone = await stores.registry.insertPerson(person({ blockingKeys: ['k1'] }), uins);
        await stores.registry.updatePerson(
          gone.id,
          { state: 'deactivated' },
          { by: 'sup', at: now, reason: 'test' },
          1,
        );
        // Each lookup's records by id, and every candidate once.
        const found = async (queries: string[][], limit?: number) => {
          const result = await stores.registry.findCandidatesForQueries(queries, limit ? { limit } : {});
          expect(result.matches).toHaveLength(queries.length);
          expect(new Set(result.candidates.map((c) => c.id)).size).toBe(result.candidates.length);
          for (const m of result.matches) {
            expect([...m].sort((x, y) => x - y)).toEqual(m);
            expect(new Set(m).size).toBe(m.length);
            for (const at of m) expect(at).toBeLessThan(result.candidates.length);
          }
          return result.matches.map((m) =>
            m
              .map((at) => ({ id: result.candidates[at]!.id, state: result.candidates[at]!.state }))
              .sort((x, y) => (x.id < y.id ? -1 : 1)),
          );
        };
        const both = [
          { id: a.id, state: 'active' },
          { id: b.id, state: 'pending' },
        ].sort((x, y) => (x.id < y.id ? -1 : 1));
        const asked = ['k1', 'k2', 'k3', 'k2', 'none'];
        expect(await found([asked])).toEqual([both]);
        expect((await found([asked]))[0]!.map((c) => c.id)).toEqual(
          (await stores.registry.findCandidates(asked)).map((p) => p.id).sort(),
        );
        expect(await found([['k3'], ['k1'], ['none'], [], ['k2', 'k1'], ['k3']])).toEqual([
          [{ id: b.id, state: 'pending' }],
          [{ id: a.id, state: 'active' }],
          [],
          [],
          both,
          [{ id: b.id, state: 'pending' }],
        ]);
        expect(await found([])).toEqual([]);
        expect(await found([['none']])).toEqual([[]]);
        const limited = await stores.registry.findCandidatesForQueries([['k1'], ['k3']], { limit: 1 });
        expect(limited.candidates).toHaveLength(1);
        expect(limited.matches.flat()).toEqual([0]);
        await expect(stores.registry.findCandidatesForQueries([['']])).rejects.toThrow(TypeError);
        await expect(stores.registry.findCandidatesForQueries([['k1']], { limit: 0 })).rejects.toThrow(
          TypeError,
        );
        // Inside a transaction too, and the transaction goes on normally afterwards.
        await stores.transaction(async (tx) => {
          const inside = await tx.registry.findCandidatesForQueries([['k1']]);
          expect(inside.candidates.map((c) => c.id)).toEqual([a.id]);
          expect((await tx.registry.insertPerson(person({ blockingKeys: ['k1'] }), uins)).state).toBe(
            'active',
          );
        });
        expect((await found([['k1']]))[0]).toHaveLength(2);
      });

      it('finds the same records for thousands of lookups as for each alone', async () => {
        // A bulk import's batch: many lookups sharing keys, keys that find nothing, repeats.
        const made: Array<{ id: string; keys: string[] }> = [];
        for (let i = 0; i < 60; i++) {
          const keys = [`n${i % 7}`, `m${i % 11}`, `solo${i}`];
          made.push({
            id: (await stores.registry.insertPerson(person({ blockingKeys: keys }), uins)).id,
            keys,
          });
        }
        const queries = Array.from({ length: 3000 }, (_, q) => [
          `n${q % 9}`,
          `solo${(q * 7) % 80}`,
          `absent${q}`,
          ...(q % 5 === 0 ? [`m${q % 13}`, `n${q % 9}`] : []),
        ]);
        const result = await stores.registry.findCandidatesForQueries(queries, { limit: 10_000 });
        expect(result.candidates).toHaveLength(60);
        for (const q of [0, 1, 5, 8, 77, 1234, 2999]) {
          const expected = made
            .filter((m) => m.keys.some((k) => queries[q]!.includes(k)))
            .map((m) => m.id)
            .sort();
          expect(result.matches[q]!.map((at) => result.candidates[at]!.id).sort()).toEqual(expected);
        }
      });

      it('answers lookups prepared ahead (prepareQueries) as the same lookups given plainly, inside a transaction too', async () => {
        // Optional in the port; every store of ours has it.
        const prepare = stores.registry.prepareQueries!.bind(stores.registry);
        const a = await stores.registry.insertPerson(person({ blockingKeys: ['p1', 'p2'] }), uins);
        const b = await stores.registry.insertPerson(person({ blockingKeys: ['p2'] }), uins);
        const queries = [['p2'], ['none'], [], ['p1', 'p9'], ['p2', 'p1']];
        // Prepared before the records below exist: preparing reads no data.
        const prepared = prepare(queries);
        expect(prepared.lookups).toBe(queries.length);
        const c = await stores.registry.insertPerson(person({ blockingKeys: ['p1'] }), uins);
        const ids = (result: { candidates: Array<{ id: string }>; matches: number[][] }) =>
          result.matches.map((m) => m.map((at) => result.candidates[at]!.id).sort());
        const plain = ids(await stores.registry.findCandidatesForQueries(queries));
        expect(plain).toEqual([[a.id, b.id].sort(), [], [], [a.id, c.id].sort(), [a.id, b.id, c.id].sort()]);
        expect(ids(await stores.registry.findCandidatesForQueries(prepared))).toEqual(plain);
        await stores.transaction(async (tx) => {
          expect(ids(await tx.registry.findCandidatesForQueries(prepared))).toEqual(plain);
        });
        expect(prepare([]).lookups).toBe(0);
        expect((await stores.registry.findCandidatesForQueries(prepare([]))).matches).toEqual([]);
        expect(() => prepare([['']])).toThrow(TypeError);
        // Only what this store prepared.
        await expect(stores.registry.findCandidatesForQueries({ lookups: 1 })).rejects.toThrow(TypeError);
      });

      it('sends data with every candidate the caller does not hold at its current version (known)', async () => {
        const a = await stores.registry.insertPerson(person({ blockingKeys: ['k1'] }), uins);
        const b = await stores.registry.insertPerson(person({ blockingKeys: ['k1', 'k2'] }), uins);
        const c = await stores.registry.insertPerson(
          person({ state: 'pending', blockingKeys: ['k2'] }),
          uins,
        );
        const changed: PersonData = { ...amina, sex: 'not_stated' };
        // b's holder has version 1; b is at version 2 now.
        await stores.registry.updatePerson(b.id, { data: changed }, { by: 'sup', at: now, reason: 'fix' }, 1);
        const held = new Map([
          [a.id, 1],
          [b.id, 1],
          [c.id, 1],
        ]);
        const asked: Array<[string, number]> = [];
        const found = await stores.registry.findCandidatesForQueries([['k1'], ['k2']], {
          known: (id, version) => {
            asked.push([id, version]);
            return held.get(id) === version && id !== c.id;
          },
        });
        const byId = new Map(found.candidates.map((f) => [f.id, f]));
        expect([...byId.keys()].sort()).toEqual([a.id, b.id, c.id].sort());
        for (const f of found.candidates) {
          expect(f.version).toBe(f.id === b.id ? 2 : 1);
          // Data is left out at most where the caller said it holds that version.
          if (f.data === undefined) expect(held.get(f.id)).toBe(f.version);
        }
        expect(byId.get(b.id)!.data).toEqual(changed);
        expect(byId.get(c.id)!.data).toEqual(person().data);
        expect(byId.get(c.id)!.state).toBe('pending');
        expect(byId.get(a.id)!.uin).toBe(a.uin);
        const idsOf = (m: number[]) => m.map((at) => found.candidates[at]!.id).sort();
        expect(idsOf(found.matches[0]!)).toEqual([a.id, b.id].sort());
        expect(idsOf(found.matches[1]!)).toEqual([b.id, c.id].sort());
        // A store may ask about every candidate or send all data regardless, never data of another version.
        for (const [id, version] of asked) expect(version).toBe(id === b.id ? 2 : 1);
      });

      it('lists records by id in pages and replaces their keys, data and version untouched (PERSON_UNKNOWN: nothing)', async () => {
        const a = await stores.registry.insertPerson(person({ blockingKeys: ['old', 'kept'] }), uins);
        const b = await stores.registry.insertPerson(
          person({ state: 'pending', blockingKeys: ['old'] }),
          uins,
        );
        const c = await stores.registry.insertPerson(person({ blockingKeys: ['other'] }), uins);
        const ids = [a.id, b.id, c.id].sort();
        const first = await stores.registry.listPersons({ limit: 2 });
        expect(first.map((p) => p.id)).toEqual(ids.slice(0, 2));
        const rest = await stores.registry.listPersons({ after: first[1]!.id, limit: 2 });
        expect(rest.map((p) => p.id)).toEqual(ids.slice(2));
        expect(await stores.registry.listPersons({ after: ids[2]!, limit: 2 })).toEqual([]);
        await expect(stores.registry.listPersons({ limit: 0 })).rejects.toThrow(TypeError);

        await stores.registry.replaceBlockingKeys([
          { id: a.id, keys: ['kept', 'new'] },
          { id: b.id, keys: ['new', 'new'] },
        ]);
        expect(await stores.registry.findCandidates(['old'])).toEqual([]);
        expect((await stores.registry.findCandidates(['new'])).map((p) => p.id).sort()).toEqual(
          [a.id, b.id].sort(),
        );
        expect((await stores.registry.findCandidates(['kept'])).map((p) => p.id)).toEqual([a.id]);
        const found = await stores.registry.findCandidatesForQueries([['new', 'other']]);
        expect(found.candidates.map((f) => f.id).sort()).toEqual(ids);
        expect(await stores.registry.getPerson(a.id)).toEqual(a);

        await rejectsWithCode(
          stores.registry.replaceBlockingKeys([
            { id: c.id, keys: ['changed'] },
            { id: id(), keys: ['x'] },
          ]),
          'PERSON_UNKNOWN',
        );
        expect((await stores.registry.findCandidates(['other'])).map((p) => p.id)).toEqual([c.id]);
        expect(await stores.registry.findCandidates(['changed'])).toEqual([]);
        await expect(stores.registry.replaceBlockingKeys([{ id: c.id, keys: [''] }])).rejects.toThrow(
          TypeError,
        );
      });

      it('keeps every replaced version with who, when and why, and compares versions (PERSON_VERSION_CONFLICT)', async () => {
        const p = await stores.registry.insertPerson(person({ blockingKeys: ['old'] }), uins);
        now += 10;
        const changed: PersonData = { ...amina, sex: 'not_stated' };
        const v2 = await stores.registry.updatePerson(
          p.id,
          { data: changed, blockingKeys: ['new'] },
          { by: 'officer-7', at: now, reason: 'corrected at the counter' },
          1,
        );
        expect(v2).toMatchObject({
          version: 2,
          data: changed,
          updatedAt: now,
          uin: p.uin,
          createdAt: p.createdAt,
        });
        await rejectsWithCode(
          stores.registry.updatePerson(
            p.id,
            { state: 'deactivated' },
            { by: 'x', at: now, reason: 'stale' },
            1,
          ),
          'PERSON_VERSION_CONFLICT',
        );
        await rejectsWithCode(
          stores.registry.updatePerson(
            id(),
            { state: 'deactivated' },
            { by: 'x', at: now, reason: 'none' },
            1,
          ),
          'PERSON_UNKNOWN',
        );
        const history = await stores.registry.history(p.id);
        expect(history).toEqual([
          {
            personId: p.id,
            version: 1,
            state: 'active',
            uin: p.uin,
            data: amina,
            replacedBy: { by: 'officer-7', at: now, reason: 'corrected at the counter' },
          },
        ]);
        expect((await stores.registry.findCandidates(['old'])).length).toBe(0);
        expect((await stores.registry.findCandidates(['new']))[0]?.id).toBe(p.id);
        const v3 = await stores.registry.updatePerson(
          p.id,
          { state: 'deceased', dateOfDeath: { value: '2025-06', estimated: true } },
          { by: 'civil-registry', at: now, reason: 'death registered' },
          2,
        );
        expect(v3).toMatchObject({
          version: 3,
          state: 'deceased',
          dateOfDeath: { value: '2025-06', estimated: true },
        });
        expect((await stores.registry.history(p.id)).map((v) => v.version)).toEqual([1, 2]);
      });

      it('draws a UIN when a pending record is activated, and keeps a merged record as a tombstone', async () => {
        const survivor = await stores.registry.insertPerson(person(), uins);
        const pending = await stores.registry.insertPerson(person({ state: 'pending' }), uins);
        const activated = await stores.registry.updatePerson(
          pending.id,
          { state: 'active', uin: 'draw' },
          { by: 'sup', at: now, reason: 'distinct' },
          1,
          uins,
        );
        expect(isValidUin(activated.uin!)).toBe(true);
        const merged = await stores.registry.updatePerson(
          activated.id,
          { state: 'merged', mergedInto: survivor.id, blockingKeys: [] },
          { by: 'sup', at: now, reason: 'same person' },
          2,
        );
        expect(merged).toMatchObject({
          state: 'merged',
          mergedInto: survivor.id,
          uin: activated.uin,
          data: amina,
        });
        expect(await stores.registry.getPersonByUin(activated.uin!)).toMatchObject({
          mergedInto: survivor.id,
        });
      });

      it('follows guardian links from the data, and refuses a link to nobody (PERSON_UNKNOWN)', async () => {
        const mother = await stores.registry.insertPerson(person(), uins);
        const child = await stores.registry.insertPerson(
          person({ data: { ...amina, guardians: [{ personId: mother.id, relationship: 'mother' }] } }),
          uins,
        );
        expect(await stores.registry.wardsOf(mother.id)).toEqual([child.id]);
        await stores.registry.updatePerson(
          child.id,
          { data: amina },
          { by: 'x', at: now, reason: 'adult' },
          1,
        );
        expect(await stores.registry.wardsOf(mother.id)).toEqual([]);
        await rejectsWithCode(
          stores.registry.insertPerson(
            person({ data: { ...amina, guardians: [{ personId: id(), relationship: 'father' }] } }),
            uins,
          ),
          'PERSON_UNKNOWN',
        );
      });

      it('writes nothing when the transaction fails', async () => {
        const p = person();
        await expect(
          stores.transaction(async (tx) => {
            await tx.registry.insertPerson(p, uins);
            await tx.registry.recordAccess({
              id: id(),
              personId: p.id,
              accessor: 'a',
              purpose: 'b',
              at: now,
            });
            throw new Error('rolled back');
          }),
        ).rejects.toThrow('rolled back');
        expect(await stores.registry.getPerson(p.id)).toBeUndefined();
        expect(await stores.registry.findCandidates(p.blockingKeys)).toEqual([]);
      });
    });

    describe('adjudication cases', () => {
      it('lists pending cases oldest first and decides each once', async () => {
        const subject = await stores.registry.insertPerson(person({ state: 'pending' }), uins);
        const other = await stores.registry.insertPerson(person(), uins);
        const candidates = [
          { personId: other.id, score: 14.5, weights: { name: 10, birthDate: 3, sex: 1, placeOfBirth: 0.5 } },
        ];
        const first = {
          id: id(),
          subjectId: subject.id,
          candidates,
          state: 'pending' as const,
          createdAt: now,
        };
        const second = { ...first, id: id(), createdAt: now + 1 };
        await stores.registry.createCase(second);
        await stores.registry.createCase(first);
        await rejectsWithCode(stores.registry.createCase(first), 'DUPLICATE');
        expect((await stores.registry.listCases()).map((c) => c.id)).toEqual([first.id, second.id]);
        expect(await stores.registry.getCase(first.id)).toEqual(first);
        const decision = {
          outcome: 'same' as const,
          survivorId: other.id,
          supervisor: 'sup-2',
          at: now + 5,
          note: 'same photo',
        };
        expect(await stores.registry.decideCase(first.id, decision)).toEqual({
          ...first,
          state: 'decided',
          decision,
        });
        expect(
          await stores.registry.decideCase(first.id, {
            ...decision,
            outcome: 'distinct',
            survivorId: undefined,
          }),
        ).toBeUndefined();
        expect((await stores.registry.listCases()).map((c) => c.id)).toEqual([second.id]);
        expect((await stores.registry.listCases({ state: 'decided' })).map((c) => c.id)).toEqual([first.id]);
        expect(await stores.registry.getCase(id())).toBeUndefined();
      });
      it("names, for a pending record with an open case, the case's first candidate when active (caseNamedRecords)", async () => {
        const active = await stores.registry.insertPerson(person(), uins);
        const pending = (overrides: Partial<NewPerson> = {}) =>
          stores.registry.insertPerson(person({ state: 'pending', ...overrides }), uins);
        const named = await pending();
        const behindPending = await pending();
        const without = await pending();
        const settled = await pending();
        const weights = { name: 10, birthDate: 3, sex: 1, placeOfBirth: 0.5 };
        const caseOf = (subject: string, candidates: string[], at = now) => ({
          id: id(),
          subjectId: subject,
          candidates: candidates.map((personId) => ({ personId, score: 14, weights })),
          state: 'pending' as const,
          createdAt: at,
        });
        await stores.registry.createCases([
          caseOf(named.id, [active.id, behindPending.id]),
          // Its first candidate is pending: nothing is named, though an active one follows.
          caseOf(behindPending.id, [named.id, active.id]),
          caseOf(settled.id, [active.id]),
        ]);
        const settledCase = (await stores.registry.listCases()).find((c) => c.subjectId === settled.id)!;
        await stores.registry.decideCase(settledCase.id, {
          outcome: 'distinct',
          supervisor: 'sup-1',
          at: now,
        });
        const all = [named.id, behindPending.id, without.id, settled.id, active.id, 'nobody', named.id];
        const found = await stores.registry.caseNamedRecords(all);
        expect([...found.keys()]).toEqual([named.id]);
        const record = found.get(named.id)!;
        expect(record).toMatchObject({
          id: active.id,
          uin: active.uin,
          state: 'active',
          version: 1,
          data: amina,
        });
        // Held by the caller at its version: it may come without its data, never with another's.
        const held = await stores.registry.caseNamedRecords([named.id], {
          known: (i, v) => i === active.id && v === 1,
        });
        expect(held.get(named.id)).toMatchObject({ id: active.id, version: 1 });
        expect([undefined, amina]).toContainEqual(held.get(named.id)!.data);
        expect((await stores.registry.caseNamedRecords([])).size).toBe(0);
        await expect(stores.registry.caseNamedRecords('x' as unknown as string[])).rejects.toThrow(TypeError);
        // Once the named record is no longer active, nothing is named.
        await stores.registry.updatePerson(
          active.id,
          { state: 'deactivated' },
          { by: 'sup-1', at: now, reason: 'moved abroad' },
          1,
        );
        expect((await stores.registry.caseNamedRecords([named.id])).size).toBe(0);
      });
    });

    describe('virtual IDs', () => {
      it('creates many cases at once, all or none (DUPLICATE, PERSON_UNKNOWN)', async () => {
        const subjects = [
          await stores.registry.insertPerson(person({ state: 'pending' }), uins),
          await stores.registry.insertPerson(person({ state: 'pending' }), uins),
        ];
        const candidate = await stores.registry.insertPerson(person(), uins);
        const cases = subjects.map((s, i) => ({
          id: id(),
          subjectId: s.id,
          candidates: [
            {
              personId: candidate.id,
              score: 13 + i,
              weights: { name: 9, birthDate: 3, sex: 1, placeOfBirth: i },
            },
          ],
          state: 'pending' as const,
          createdAt: now + i,
        }));
        await stores.registry.createCases([]);
        await stores.registry.createCases(cases);
        expect(await stores.registry.listCases()).toEqual(cases);
        const fresh = { ...cases[0]!, id: id() };
        await rejectsWithCode(stores.registry.createCases([fresh, cases[1]!]), 'DUPLICATE');
        await rejectsWithCode(stores.registry.createCases([fresh, { ...fresh }]), 'DUPLICATE');
        await rejectsWithCode(
          stores.transaction((tx) =>
            tx.registry.createCases([fresh, { ...fresh, id: id(), subjectId: id() }]),
          ),
          'PERSON_UNKNOWN',
        );
        expect(await stores.registry.getCase(fresh.id)).toBeUndefined();
        expect((await stores.registry.listCases()).length).toBe(2);
      });

      it('finds a VID by its value, stores no form of it, refuses it twice, revokes it once', async () => {
        const p = await stores.registry.insertPerson(person(), uins);
        const vid = '4825197360417853';
        const record = { id: id(), personId: p.id, service: 'clinic', createdAt: now, expiresAt: now + 3600 };
        await stores.registry.insertVid(record, vid);
        await rejectsWithCode(stores.registry.insertVid({ ...record, id: id() }, vid), 'DUPLICATE');
        expect(await stores.registry.findVid(vid)).toEqual(record);
        expect(await stores.registry.findVid('4825197360417854')).toBeUndefined();
        expect(await stores.registry.getVid(record.id)).toEqual(record);
        if (harness.sql) {
          const rows = await harness.sql(
            'SELECT row_to_json(v)::text AS text, encode(vid_hmac, $1) AS hex FROM registry_vids v',
            ['hex'],
          );
          const text = JSON.stringify(rows);
          expect(text).not.toContain(vid);
          expect(text).not.toContain(Buffer.from(vid).toString('hex'));
        }
        expect((await stores.registry.revokeVid(record.id, now + 1))?.revokedAt).toBe(now + 1);
        expect((await stores.registry.revokeVid(record.id, now + 2))?.revokedAt).toBe(now + 1);
        expect(await stores.registry.revokeVid(id(), now)).toBeUndefined();
        expect(await stores.registry.listVids(p.id)).toEqual([{ ...record, revokedAt: now + 1 }]);
      });

      it('digests VIDs under the master key: other stores with another key do not find them', async () => {
        const p = await stores.registry.insertPerson(person(), uins);
        await stores.registry.insertVid(
          { id: id(), personId: p.id, service: 's', createdAt: now },
          '4825197360417853',
        );
        const other = await harness.open({ masterKey: generateMasterKey(), clock });
        expect(await other.registry.findVid('4825197360417853')).toBeUndefined();
      });
    });

    describe('access audit, credentials, import rows', () => {
      it('lists a person’s accesses newest first, by page, and refuses an access to nobody (PERSON_UNKNOWN)', async () => {
        const p = await stores.registry.insertPerson(person(), uins);
        const records = [0, 1, 2].map((i) => ({
          id: id(),
          personId: p.id,
          accessor: `official-${i}`,
          purpose: `check ${i}`,
          at: now + i,
        }));
        for (const r of records) await stores.registry.recordAccess(r);
        await rejectsWithCode(stores.registry.recordAccess(records[0]!), 'DUPLICATE');
        expect(await stores.registry.listAccesses(p.id)).toEqual([...records].reverse());
        expect(await stores.registry.listAccesses(p.id, { limit: 1, offset: 1 })).toEqual([records[1]]);
        expect(await stores.registry.listAccesses(id())).toEqual([]);
        await rejectsWithCode(
          stores.registry.recordAccess({ id: id(), personId: id(), accessor: 'a', purpose: 'b', at: now }),
          'PERSON_UNKNOWN',
        );
      });

      it('links credentials to a person once each', async () => {
        const p = await stores.registry.insertPerson(person(), uins);
        await stores.registry.linkCredential(p.id, 'cred-1', now);
        await stores.registry.linkCredential(p.id, 'cred-2', now + 1);
        await stores.registry.linkCredential(p.id, 'cred-1', now + 2);
        expect(await stores.registry.credentialsOf(p.id)).toEqual(['cred-1', 'cred-2']);
        await rejectsWithCode(stores.registry.linkCredential(id(), 'cred-3', now), 'PERSON_UNKNOWN');
      });

      it('keeps each import row once', async () => {
        const rows = [
          { rowKey: 'line 2', outcome: 'created' as const, personId: id(), uin: '2345678901' },
          { rowKey: 'line 3', outcome: 'invalid' as const, errors: ['dateOfBirth format'] },
        ];
        await stores.registry.saveImportRows('import-1', rows, now);
        const found = await stores.registry.importedRows('import-1', ['line 2', 'line 3', 'line 4']);
        expect([...found.values()]).toEqual(rows);
        expect((await stores.registry.importedRows('import-2', ['line 2'])).size).toBe(0);
        await rejectsWithCode(stores.registry.saveImportRows('import-1', [rows[0]!], now), 'DUPLICATE');
      });
    });

    describe('enrolment under concurrency', () => {
      it('two desks enrolling one person at once create one record', async () => {
        const context = { stores, crypto, clock };
        const request = (registrar: string) => ({ data: amina, registrar, office: 'Trieste central' });
        const results = await Promise.all([
          enrolPerson(request('desk-1'), context),
          enrolPerson(request('desk-2'), context),
        ]);
        expect(results.map((r) => r.outcome).sort()).toEqual(['created', 'duplicate']);
        const created = results.find((r) => r.outcome === 'created');
        const duplicate = results.find((r) => r.outcome === 'duplicate');
        if (created?.outcome !== 'created' || duplicate?.outcome !== 'duplicate')
          throw new Error('unreachable');
        expect(duplicate.match).toMatchObject({ personId: created.person.id, uin: created.person.uin });
      });
    });
  });
}
