import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PersonData } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';
import { readConfig } from './config.js';
import { openRuntime } from './runtime.js';

const AMINA: PersonData = {
  names: [
    { script: 'Latn', given: 'Amina', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-12' },
  sex: 'female',
  placeOfBirth: { locality: 'Port Azure', country: 'XA' },
  nationality: ['XA'],
  legalStatus: 'citizen',
};

describe('trieste registry', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let run: ReturnType<typeof cli>;
  const file = (name: string, value: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    return path;
  };
  const json = async (args: string[]) => {
    const r = await run(['--json', ...args]);
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };
  let amina: { id: string; uin: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-registry-'));
    env = { TRIESTE_DATA_DIR: join(dir, 'data'), TRIESTE_ISSUER: 'https://id.xa.example' };
    run = cli(env);
    expect((await run(['init'])).status).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a bad person file or option at the edge, with a code and without the values', async () => {
    const nested = await run([
      'registry',
      'enrol',
      file('nested.json', { ...AMINA, placeOfBirth: { locality: 'Port Azure', street: 'Secret Lane 5' } }),
      '--office',
      'Desk 3',
      '--operator',
      'alice',
    ]);
    expect(nested.status).toBe(2);
    expect(nested.stderr).toBe(
      'trieste: INPUT_INVALID: the person file has an unknown member in placeOfBirth',
    );

    const undated = await run([
      'registry',
      'enrol',
      file('undated.json', {
        ...AMINA,
        dateOfBirth: undefined,
        names: [{ script: 'Latn', given: 'Zed', family: 'Q' }],
      }),
      '--office',
      'Desk 3',
      '--operator',
      'alice',
    ]);
    expect(undated.status).toBe(2);
    expect(undated.stderr).toBe(
      'trieste: PERSON_INVALID: person record breaks the field rules: dateOfBirth required',
    );
    expect(undated.stderr).not.toContain('Zed');

    const notJson = await run([
      'registry',
      'enrol',
      file('broken.json', '{"names": ['),
      '--office',
      'Desk 3',
    ]);
    expect(notJson.stderr).toBe('trieste: INPUT_INVALID: person file is not valid JSON');
    const noOffice = await run(['registry', 'enrol', file('a.json', AMINA), '--operator', 'alice']);
    expect(noOffice.stderr).toMatch(/^trieste: USAGE: required option '--office <text>' not specified/);
    const badOperator = await run([
      'registry',
      'enrol',
      file('a.json', AMINA),
      '--office',
      'HQ',
      '--operator',
      'a b',
    ]);
    expect(badOperator.stderr).toMatch(/^trieste: USAGE: --operator takes a name/);
    const shortReason = await run(['registry', 'deactivate', 'AAAAAAAAAAAAAAAAAAAAAA', '--reason', 'x']);
    expect(shortReason.stderr).toBe('trieste: USAGE: --reason takes 3 to 300 characters');
    const badId = await run(['registry', 'accesses', 'short']);
    expect(badId.stderr).toBe('trieste: USAGE: a record or case id is 16 to 64 base64url characters');
    // Nothing was enrolled by any of these.
    expect(
      await json(['registry', 'search', '--name', 'Amina Haddad', '--born', '1990', '--purpose', 'check']),
    ).toEqual([]);
  });

  it('enrols: created with a UIN, a repeat refused with the matching reference (exit 2), the grey zone queued', async () => {
    const created = await json([
      'registry',
      'enrol',
      file('amina.json', AMINA),
      '--office',
      'Desk 3',
      '--operator',
      'alice',
    ]);
    expect(created).toMatchObject({
      outcome: 'created',
      person: {
        state: 'active',
        version: 1,
        enrolment: { registrar: 'cli:alice', office: 'Desk 3' },
        data: AMINA,
      },
    });
    expect(created.person.uin).toMatch(/^[1-9]\d{9}$/);
    amina = { id: created.person.id, uin: created.person.uin };

    const human = await run([
      'registry',
      'enrol',
      file('amina.json', AMINA),
      '--office',
      'Desk 4',
      '--operator',
      'bob',
    ]);
    expect(human.status).toBe(2);
    expect(human.stdout).toBe(`duplicate of ${amina.id} (UIN ${amina.uin}), score 26`);
    expect(human.stderr).toBe('trieste: DUPLICATE: this person is enrolled already: nothing was created');
    const machine = await run([
      '--json',
      'registry',
      'enrol',
      file('amina.json', AMINA),
      '--office',
      'Desk 4',
    ]);
    expect(machine.status).toBe(2);
    expect(JSON.parse(machine.stdout)).toMatchObject({
      outcome: 'duplicate',
      match: { personId: amina.id, uin: amina.uin },
    });

    // Known to the month only: the same names, but not enough to refuse anyone on.
    const monthOnly = { ...AMINA, dateOfBirth: { value: '1990-04' } };
    const queued = await run([
      'registry',
      'enrol',
      file('month.json', monthOnly),
      '--office',
      'Desk 3',
      '--operator',
      'alice',
    ]);
    expect(queued.status, queued.stderr).toBe(0);
    expect(queued.stdout).toMatch(
      new RegExp(
        `^queued for review: case [\\w-]{22}; record [\\w-]{22} is pending \\(no UIN until a supervisor decides\\)\\n  candidate ${amina.id} \\(UIN ${amina.uin}\\), score 22$`,
      ),
    );
  });

  it('adjudicates with four eyes: the enrolling registrar may not decide; same merges, distinct gives a UIN; once', async () => {
    const [pending] = await json(['registry', 'cases']);
    expect(pending).toMatchObject({ state: 'pending', candidates: [{ personId: amina.id, score: 22 }] });

    const ownCase = await run(['registry', 'adjudicate', pending.id, 'same', '--operator', 'alice']);
    expect(ownCase.status).toBe(2);
    expect(ownCase.stderr).toMatch(/^trieste: ADJUDICATOR_NOT_ALLOWED: /);

    const merged = await json([
      'registry',
      'adjudicate',
      pending.id,
      'same',
      '--operator',
      'bob',
      '--note',
      'birth certificate seen',
    ]);
    expect(merged).toMatchObject({
      case: { state: 'decided', decision: { outcome: 'same', survivorId: amina.id, supervisor: 'cli:bob' } },
      subject: { id: pending.subjectId, state: 'merged', mergedInto: amina.id },
      survivor: { id: amina.id },
      effects: { credentialsChanged: 0 },
    });
    const again = await run(['registry', 'adjudicate', pending.id, 'distinct', '--operator', 'bob']);
    expect(again.stderr).toMatch(/^trieste: CASE_DECIDED: /);
    const unknown = await run([
      'registry',
      'adjudicate',
      'AAAAAAAAAAAAAAAAAAAAAA',
      'distinct',
      '--operator',
      'bob',
    ]);
    expect(unknown.stderr).toMatch(/^trieste: CASE_UNKNOWN: /);
    expect((await run(['registry', 'adjudicate', pending.id, 'maybe'])).stderr).toBe(
      'trieste: USAGE: the outcome is distinct or same',
    );
    expect((await run(['registry', 'cases'])).stdout).toBe('no cases waiting for adjudication');
    expect(await json(['registry', 'cases', '--decided'])).toHaveLength(1);

    // A sister born the same month: queued, and a supervisor finds them distinct.
    const sister = {
      ...AMINA,
      names: [{ script: 'Latn', given: 'Amira', family: 'Haddad' }],
      dateOfBirth: { value: '1990-04' },
    };
    const queued = await json([
      'registry',
      'enrol',
      file('sister.json', sister),
      '--office',
      'Desk 3',
      '--operator',
      'alice',
    ]);
    // Names a letter apart, birth dates that agree to the month (score about 20): a case.
    expect(queued).toMatchObject({ outcome: 'review', candidates: [{ personId: amina.id }] });
    const distinct = await run(['registry', 'adjudicate', queued.caseId, 'distinct', '--operator', 'bob']);
    expect(distinct.status, distinct.stderr).toBe(0);
    expect(distinct.stdout).toMatch(
      new RegExp(`^case ${queued.caseId}: distinct; ${queued.person.id} is active with UIN \\d{10}$`),
    );
  });

  it('reads by id and UIN, finds by name and birth year in either script, and records every read', async () => {
    const shown = await run([
      'registry',
      'show',
      amina.id,
      '--purpose',
      'benefit claim 2291',
      '--operator',
      'carol',
    ]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(
      `${amina.id}  UIN ${amina.uin}  active  version 1\n  name (Latn): Amina Haddad\n  name (Arab): أمينة حداد\n  born: 1990-04-12`,
    );
    expect(
      await json(['registry', 'show', '--uin', amina.uin, '--purpose', 'border check', '--operator', 'dave']),
    ).toMatchObject({
      id: amina.id,
      uin: amina.uin,
    });
    const latin = await json([
      'registry',
      'search',
      '--name',
      'Amina Haddad',
      '--born',
      '1990',
      '--purpose',
      'desk lookup',
      '--operator',
      'erin',
    ]);
    expect(latin.map((h: { person: { id: string } }) => h.person.id)).toContain(amina.id);
    expect(latin[0]).toMatchObject({ person: { id: amina.id }, score: 15 });
    const arabic = await json([
      'registry',
      'search',
      '--name',
      'أمينة حداد',
      '--born',
      '1990-04-12',
      '--purpose',
      'desk lookup',
      '--operator',
      'erin',
    ]);
    expect(arabic[0].person.id).toBe(amina.id);
    expect(
      (
        await run([
          'registry',
          'search',
          '--name',
          'Olga Petrova',
          '--born',
          '1990',
          '--purpose',
          'desk lookup',
        ])
      ).stdout,
    ).toBe('no record found');
    expect(
      (
        await json([
          'registry',
          'search',
          '--uin',
          amina.uin,
          '--purpose',
          'phone enquiry',
          '--operator',
          'erin',
        ])
      ).id,
    ).toBe(amina.id);

    const accesses = await json(['registry', 'accesses', amina.id]);
    expect(accesses.map((a: { accessor: string; purpose: string }) => `${a.accessor} ${a.purpose}`)).toEqual([
      'cli:erin phone enquiry',
      'cli:erin desk lookup',
      'cli:erin desk lookup',
      'cli:dave border check',
      'cli:carol benefit claim 2291',
    ]);

    const badUin = `${amina.uin.slice(0, 9)}${(Number(amina.uin[9]) + 1) % 10}`;
    expect((await run(['registry', 'show', '--uin', badUin, '--purpose', 'border check'])).stderr).toMatch(
      /^trieste: UIN_INVALID: /,
    );
    expect(
      (await run(['registry', 'show', 'AAAAAAAAAAAAAAAAAAAAAA', '--purpose', 'border check'])).stderr,
    ).toMatch(/^trieste: PERSON_UNKNOWN: /);
    // An id that starts with '-' (records made before ids stopped doing so) goes after '--'; without
    // it, the usage error says how.
    expect(
      (await run(['registry', 'show', '--purpose', 'border check', '--', '-AAAAAAAAAAAAAAAAAAAAA'])).stderr,
    ).toMatch(/^trieste: PERSON_UNKNOWN: /);
    expect(
      (await run(['registry', 'show', '-AAAAAAAAAAAAAAAAAAAAA', '--purpose', 'border check'])).stderr,
    ).toMatch(/^trieste: USAGE: unknown option .*goes after '--'/);
    expect(
      (await run(['registry', 'show', amina.id, '--uin', amina.uin, '--purpose', 'border check'])).stderr,
    ).toBe('trieste: USAGE: give a record id or --uin: one of them');
    expect((await run(['registry', 'search', '--name', 'Amina', '--purpose', 'desk lookup'])).stderr).toBe(
      'trieste: USAGE: search takes --uin, or --name with --born',
    );
  });

  it('updates against the version read, and applies every lifecycle change to the credential status in one go', async () => {
    // A credential issued for Amina and linked to her record (the server does this on issuance).
    const issued = await json([
      'issue',
      '--vct',
      'urn:trieste:xa:national-identity:1',
      '--claims',
      file('claims.json', { given_name: 'Amina' }),
    ]);
    const runtime = await openRuntime(readConfig(env));
    try {
      await runtime.stores.registry.linkCredential(amina.id, issued.id, runtime.clock.now());
    } finally {
      await runtime.close();
    }
    const status = async () =>
      (await run(['status', 'get', issued.status.list, String(issued.status.idx)])).stdout;
    expect(await status()).toBe('VALID');

    const moved = {
      ...AMINA,
      address: { lines: ['12 Harbour Road'], locality: 'Port Azure', country: 'XA' },
    };
    const stale = await run([
      'registry',
      'update',
      amina.id,
      file('moved.json', moved),
      '--expected-version',
      '2',
      '--reason',
      'moved house',
    ]);
    expect(stale.stderr).toMatch(/^trieste: PERSON_VERSION_CONFLICT: /);

    const deactivated = await run([
      'registry',
      'deactivate',
      amina.id,
      '--reason',
      'court order 12',
      '--operator',
      'bob',
    ]);
    expect(deactivated.stdout).toBe(`${amina.id} is deactivated (version 2); 1 credential(s) suspended`);
    expect(await status()).toBe('SUSPENDED');
    const reactivated = await run([
      'registry',
      'reactivate',
      amina.id,
      '--reason',
      'order lifted',
      '--operator',
      'bob',
    ]);
    expect(reactivated.stdout).toBe(`${amina.id} is active (version 3); 1 credential(s) reinstated`);
    expect(await status()).toBe('VALID');

    // The address is on the credential: the update revokes it and asks for a new one.
    const updated = await json([
      'registry',
      'update',
      amina.id,
      file('moved.json', moved),
      '--expected-version',
      '3',
      '--reason',
      'moved house',
    ]);
    expect(updated).toMatchObject({
      person: { version: 4, data: moved },
      effects: { credentialsChanged: 1, reissue: true },
    });
    expect(await status()).toBe('INVALID');

    const died = await run([
      'registry',
      'death',
      amina.id,
      '--date',
      '2025-02',
      '--estimated',
      '--reason',
      'certificate 77',
    ]);
    expect(died.stdout).toBe(`${amina.id} is deceased (version 5); 0 credential(s) revoked`);
    expect(await json(['registry', 'show', amina.id, '--purpose', 'estate'])).toMatchObject({
      state: 'deceased',
      dateOfDeath: { value: '2025-02', estimated: true },
    });
    expect((await run(['registry', 'reactivate', amina.id, '--reason', 'by mistake'])).stderr).toMatch(
      /^trieste: PERSON_STATE_CONFLICT: /,
    );
    expect(
      (await run(['registry', 'death', amina.id, '--date', '2025-13', '--reason', 'twice'])).stderr,
    ).toMatch(/^trieste: PERSON_(INVALID|STATE_CONFLICT): /);
  });
});
