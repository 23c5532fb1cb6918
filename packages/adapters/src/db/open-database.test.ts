import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utf8Encode } from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { nodeCrypto } from '../crypto/node-crypto.js';
import { AdapterError } from '../errors.js';
import { generateMasterKey } from '../keys/master-key.js';
import { openStores } from '../stores/sql/open-stores.js';
import { migrateDatabase } from './migrate-database.js';
import { openDatabase } from './open-database.js';

describe('openDatabase', () => {
  it('takes exactly one of databaseUrl and dataDir', () => {
    expect(() => openDatabase({})).toThrow(TypeError);
    expect(() => openDatabase({ databaseUrl: 'postgres://x/y', dataDir: 'memory://' })).toThrow(TypeError);
  });

  it('reports an unreachable server as DATABASE_UNAVAILABLE without the password', async () => {
    const error = await openDatabase({
      databaseUrl: 'postgres://trieste:s3cret-pw@127.0.0.1:1/trieste',
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AdapterError);
    expect((error as AdapterError).code).toBe('DATABASE_UNAVAILABLE');
    expect((error as AdapterError).message).toContain('127.0.0.1:1/trieste');
    expect((error as AdapterError).message).not.toContain('s3cret');
  });

  it('keeps PGlite data in its directory across a close and a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trieste-pglite-'));
    const masterKey = generateMasterKey();
    const dataDir = join(dir, 'data');
    try {
      const first = await openDatabase({ dataDir });
      await migrateDatabase(first);
      const stores = await openStores({ database: first, masterKey });
      const key = await stores.keys.create('ES256');
      await stores.settings.set('issuer', 'https://issuer.example');
      const slot = await stores.statusLists.allocate(nodeCrypto());
      await stores.statusLists.setStatus(slot.listId, slot.idx, 1);
      await stores.close();

      const second = await openDatabase({ dataDir });
      expect(await migrateDatabase(second)).toEqual({ applied: [] });
      const reopened = await openStores({ database: second, masterKey });
      try {
        expect(await reopened.settings.get('issuer')).toBe('https://issuer.example');
        expect(await reopened.statusLists.getStatus(slot.listId, slot.idx)).toBe(1);
        const signer = await reopened.keys.signer();
        expect(signer.kid).toBe(key.kid);
        const data = utf8Encode('after reopen');
        expect(await nodeCrypto().verify('ES256', key.publicJwk, data, await signer.sign(data))).toBe(true);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
