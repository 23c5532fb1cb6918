import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only helper shared with the adapters' contract tests: a fresh database on the test server.
import { createServerTestDatabase } from '../../../packages/adapters/src/db/test-databases.test-util.js';
import { cli } from './cli.test-util.js';

const CLAIMS = {
  given_name: 'Amina',
  family_name: 'Haddad',
  birthdate: '1990-04-12',
  address: { locality: 'Port Azure', country: 'XA' },
  nationalities: ['XA', 'XB'],
};

// The same journeys on the embedded database and on the PostgreSQL server (DATABASE_URL).
const BACKENDS = [
  {
    name: 'embedded PGlite',
    async setUp(dir: string): Promise<{ env: NodeJS.ProcessEnv; tearDown(): Promise<void> }> {
      return { env: { TRIESTE_DATA_DIR: join(dir, 'data') }, tearDown: async () => {} };
    },
  },
  {
    name: 'PostgreSQL server',
    async setUp(dir: string): Promise<{ env: NodeJS.ProcessEnv; tearDown(): Promise<void> }> {
      const database = await createServerTestDatabase();
      return {
        env: { TRIESTE_DATA_DIR: join(dir, 'data'), DATABASE_URL: database.url },
        tearDown: () => database.drop(),
      };
    },
  },
];

describe.each(BACKENDS)('trieste CLI on the $name', (backend) => {
  let dir: string;
  let run: ReturnType<typeof cli>;
  let holderFile: string;
  let claimsFile: string;
  let tearDown: () => Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-cli-'));
    const setup = await backend.setUp(dir);
    tearDown = setup.tearDown;
    run = cli(setup.env);
    holderFile = join(dir, 'holder.jwk');
    claimsFile = join(dir, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify(CLAIMS));
  });
  afterAll(async () => {
    await tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to work on an installation that was never initialised', async () => {
    const r = await run(['keys', 'list']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trieste: NOT_INITIALISED: /);
    expect(r.stdout).toBe('');
  });

  it('initialises once: master key file 0600 and one active ES256 key; again changes nothing', async () => {
    const first = await run(['--json', 'init']);
    expect(first.status, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.created).toBe(true);
    expect(report.activeKey.alg).toBe('ES256');
    expect(statSync(join(dir, 'data', 'master.key')).mode & 0o777).toBe(0o600);
    const again = JSON.parse((await run(['--json', 'init'])).stdout);
    expect(again.created).toBe(false);
    expect(again.activeKey.kid).toBe(report.activeKey.kid);
  });

  it('creates and rotates keys, never printing private key material', async () => {
    const created = await run(['--json', 'keys', 'create', '--alg', 'EdDSA']);
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ alg: 'EdDSA', state: 'pending' });
    const activated = await run(['--json', 'keys', 'activate', '--', JSON.parse(created.stdout).kid]);
    expect(JSON.parse(activated.stdout).activated.state).toBe('active');
    const again = await run(['keys', 'activate', '--', JSON.parse(created.stdout).kid]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^trieste: ISSUER_UNKNOWN: /);
    const rotated = JSON.parse((await run(['--json', 'keys', 'rotate', '--alg', 'ES256'])).stdout);
    expect(rotated.created.state).toBe('active');
    const list = await run(['--json', 'keys', 'list']);
    const keys = JSON.parse(list.stdout);
    expect(keys.filter((k: { state: string }) => k.state === 'active')).toHaveLength(1);
    expect(list.stdout).not.toMatch(/"d"\s*:/);
  });

  it('issues, presents and verifies a credential; disclosure is selective', async () => {
    const holder = await run(['keys', 'holder', '--out', holderFile]);
    expect(holder.status).toBe(0);
    expect(statSync(holderFile).mode & 0o777).toBe(0o600);
    expect(holder.stdout).not.toContain(JSON.parse(readFileSync(holderFile, 'utf8')).d);

    const issued = await run([
      '--json',
      'issue',
      '--vct',
      'urn:trieste:xa:national-identity:1',
      '--claims',
      claimsFile,
      '--sd-all',
      '--holder-key',
      holderFile,
      '--expires',
      '30d',
    ]);
    expect(issued.status, issued.stderr).toBe(0);
    const { credential, status } = JSON.parse(issued.stdout);
    expect(credential.split('~').length).toBeGreaterThan(5);

    const presented = await run([
      'present',
      credential,
      '--disclose',
      'given_name,address.locality',
      '--holder-key',
      holderFile,
      '--nonce',
      'n-1',
      '--aud',
      'https://rp.example',
    ]);
    expect(presented.status, presented.stderr).toBe(0);

    const verified = await run([
      '--json',
      'verify',
      presented.stdout,
      '--nonce',
      'n-1',
      '--aud',
      'https://rp.example',
    ]);
    expect(verified.status, verified.stderr).toBe(0);
    const report = JSON.parse(verified.stdout);
    expect(report).toMatchObject({
      valid: true,
      code: null,
      vct: 'urn:trieste:xa:national-identity:1',
      status: 'VALID',
    });
    expect(report.claims).toEqual({ given_name: 'Amina', address: { locality: 'Port Azure' } });

    // Suspend, reinstate, revoke: each is seen by the verifier at once.
    const verify = () =>
      run(['--json', 'verify', presented.stdout, '--nonce', 'n-1', '--aud', 'https://rp.example']);
    expect((await run(['status', 'set', status.list, String(status.idx), 'suspended'])).status).toBe(0);
    const suspended = await verify();
    expect(suspended.status).toBe(2);
    expect(JSON.parse(suspended.stdout)).toMatchObject({ valid: false, code: 'STATUS_SUSPENDED' });
    expect(suspended.stderr).toMatch(/^trieste: STATUS_SUSPENDED: /);
    expect((await run(['status', 'get', status.list, String(status.idx)])).stdout).toBe('SUSPENDED');
    expect((await run(['status', 'set', status.list, String(status.idx), 'valid'])).status).toBe(0);
    expect((await verify()).status).toBe(0);
    expect((await run(['status', 'set', status.list, String(status.idx), 'invalid'])).status).toBe(0);
    expect(JSON.parse((await verify()).stdout).code).toBe('STATUS_REVOKED');
    // Revocation is final.
    const undo = await run(['status', 'set', status.list, String(status.idx), 'valid']);
    expect(undo.status).toBe(2);
    expect(undo.stderr).toMatch(/^trieste: STATUS_TRANSITION_NOT_ALLOWED: /);

    // The wrong nonce is refused with its code; the message holds no claim value.
    const wrong = await run(['verify', presented.stdout, '--nonce', 'other', '--aud', 'https://rp.example']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^trieste: (KB_NONCE_MISMATCH|STATUS_REVOKED): /);
    expect(wrong.stderr).not.toContain('Amina');
  });

  it('verifies with an explicit issuer key and offline status list, and as of a given time', async () => {
    const issued = JSON.parse(
      (
        await run(
          ['--json', 'issue', '--vct', 'urn:x', '--claims', '-', '--sd', 'given_name', '--expires', '1h'],
          JSON.stringify({ given_name: 'Lea' }),
        )
      ).stdout,
    );
    const key = JSON.parse((await run(['--json', 'keys', 'list'])).stdout).find(
      (k: { state: string }) => k.state === 'active',
    );
    const keyFile = join(dir, 'issuer.jwk');
    writeFileSync(keyFile, JSON.stringify({ keys: [{ ...key.publicJwk, kid: key.kid }] }));
    const ok = await run(['--json', 'verify', issued.credential, '--issuer-key', keyFile]);
    expect(ok.status, ok.stderr).toBe(0);
    const later = await run(['--json', 'verify', issued.credential, '--at', '2999-01-01T00:00:00Z']);
    expect(JSON.parse(later.stdout).code).toBe('CREDENTIAL_EXPIRED');

    // Fully offline, on a machine with no installation: the issuer key and the status list token
    // travel as files.
    const tokenFile = join(dir, 'status-list.jwt');
    const token = await run(['status', 'token', issued.status.list]);
    expect(token.status, token.stderr).toBe(0);
    writeFileSync(tokenFile, token.stdout);
    const elsewhere = cli({ TRIESTE_DATA_DIR: join(dir, 'nothing-here') });
    const offline = await elsewhere([
      '--json',
      'verify',
      issued.credential,
      '--issuer-key',
      keyFile,
      '--status-list',
      tokenFile,
    ]);
    expect(offline.status, offline.stderr).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      valid: true,
      status: 'VALID',
      claims: { given_name: 'Lea' },
    });
    const noStatus = await elsewhere(['--json', 'verify', issued.credential, '--issuer-key', keyFile]);
    expect(JSON.parse(noStatus.stdout)).toMatchObject({ valid: false, code: 'STATUS_UNAVAILABLE' });
    const noKey = await elsewhere(['verify', issued.credential]);
    expect(noKey.stderr).toMatch(/^trieste: NOT_INITIALISED: /);
  });

  it('decodes a status list token and reads one index', async () => {
    const lists = JSON.parse((await run(['--json', 'status', 'lists'])).stdout);
    expect(lists.length).toBeGreaterThan(0);
    const r = await run(['--json', 'status', 'decode', '{"bits":1,"lst":"eNrbuRgAAhcBXQ"}']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ bits: 1, size: 16 });
    const one = await run(['status', 'decode', '{"bits":1,"lst":"eNrbuRgAAhcBXQ"}', '--index', '0']);
    expect(one.stdout).toBe('INVALID');
  });

  it('gives one coded line on stderr and exit 2 for bad input, writing nothing', async () => {
    const before = JSON.parse((await run(['--json', 'status', 'lists'])).stdout);
    const cases: Array<[string[], string, string?]> = [
      [['issue', '--vct', 'urn:x', '--claims', '-'], 'INPUT_INVALID', 'not json'],
      [['issue', '--vct', 'urn:x', '--claims', '-'], 'INPUT_INVALID', '[1,2]'],
      [['issue', '--vct', 'urn:x', '--claims', join(dir, 'missing.json')], 'INPUT_UNREADABLE'],
      [['issue', '--vct', 'urn:x', '--claims', claimsFile, '--expires', 'soon'], 'USAGE'],
      [['issue', '--vct', 'urn:x', '--claims', claimsFile, '--sd', 'a', '--sd-all'], 'USAGE'],
      [['verify', 'not-a-credential'], 'MALFORMED'],
      [['verify', '-', '--at', 'tomorrow'], 'USAGE', 'x'],
      [['status', 'set', 'nolist', '1', 'maybe'], 'USAGE'],
      [['status', 'set', 'nolist', '-1', 'valid'], 'USAGE'],
      [['status', 'decode', '{"bits":3,"lst":"eNrbuRgAAhcBXQ"}'], 'MALFORMED'],
      [['keys', 'create', '--alg', 'RS256'], 'USAGE'],
      [['no-such-command'], 'USAGE'],
    ];
    for (const [args, code, stdin] of cases) {
      const r = await run(args, stdin);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.split('\n')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^trieste: ${code}: `));
    }
    expect(JSON.parse((await run(['--json', 'status', 'lists'])).stdout)).toEqual(before);
  });
});

describe('trieste CLI configuration', () => {
  it('fails fast on a bad configuration value, naming the variable and not its value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trieste-cli-'));
    try {
      const cases: NodeJS.ProcessEnv[] = [
        { TRIESTE_DATA_DIR: dir, DATABASE_URL: 'mysql://root:secret@db/x' },
        { TRIESTE_DATA_DIR: dir, TRIESTE_ISSUER: 'not a url' },
        { TRIESTE_DATA_DIR: dir, TRIESTE_MASTER_KEY: 'too-short' },
      ];
      for (const env of cases) {
        const r = await cli(env)(['init']);
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^trieste: (CONFIG_INVALID|MASTER_KEY_INVALID): /);
        expect(r.stderr).not.toContain('secret');
        expect(r.stderr).not.toContain('too-short');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
