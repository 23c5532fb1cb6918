import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  hashApiKeySecret,
  loadOrCreateMasterKeyFile,
  openInstallation,
  parseApiKey,
} from '@trieste/adapters';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';

describe('trieste apikeys', () => {
  let dir: string;
  let run: ReturnType<typeof cli>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-apikeys-'));
    run = cli({ TRIESTE_DATA_DIR: join(dir, 'data') });
    expect((await run(['init'])).status).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a key in the server format, stored hashed; lists and revokes it', async () => {
    const created = await run(['--json', 'apikeys', 'create', '--role', 'registrar', '--label', 'desk 3']);
    expect(created.status, created.stderr).toBe(0);
    const body = JSON.parse(created.stdout);
    expect(body).toMatchObject({ roles: ['registrar'], label: 'desk 3' });
    const parsed = parseApiKey(body.key);
    expect(parsed?.id).toBe(body.id);

    const human = await run(['apikeys', 'create', '--role', 'verifier']);
    expect(human.stdout).toMatch(/^created verifier API key \S+\ntrieste\.\S+\n\(shown once/);

    const listed = await run(['--json', 'apikeys', 'list']);
    expect(listed.stdout).not.toContain(parsed!.secret);
    expect(listed.stdout).not.toMatch(/hash/i);
    const entry = JSON.parse(listed.stdout).find((k: { id: string }) => k.id === body.id);
    expect(entry).toEqual({ id: body.id, roles: ['registrar'], label: 'desk 3', createdAt: body.createdAt });

    const revoked = await run(['apikeys', 'revoke', body.id]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toBe(`revoked API key ${body.id}`);
    expect((await run(['apikeys', 'list'])).stdout).toMatch(new RegExp(`${body.id}  revoked  registrar`));

    // What the server will look up: the stored hash of the secret, and the revocation.
    const installation = await openInstallation({
      database: { dataDir: join(dir, 'data', 'pg') },
      masterKey: await loadOrCreateMasterKeyFile(join(dir, 'data', 'master.key')),
      issuer: 'http://localhost:8080',
    });
    try {
      const stored = await installation.stores.apiKeys.find(body.id);
      expect(stored?.secretHash).toEqual(hashApiKeySecret(parsed!.secret));
      expect(stored?.record.revokedAt).toBeTypeOf('number');
    } finally {
      await installation.close();
    }
  });

  it('refuses an unknown role and an unknown id', async () => {
    const role = await run(['apikeys', 'create', '--role', 'root']);
    expect(role.status).toBe(2);
    expect(role.stderr).toBe('trieste: USAGE: --role must be one of admin, registrar, supervisor, verifier');
    const missing = await run(['apikeys', 'create']);
    expect(missing.status).toBe(2);
    const unknown = await run(['apikeys', 'revoke', 'AAAAAAAAAAAAAAAA']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^trieste: NOT_FOUND: /);
  });
});
