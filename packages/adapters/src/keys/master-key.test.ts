import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAdapterError } from '../errors.js';
import { loadOrCreateMasterKeyFile } from './load-or-create-master-key-file.js';
import { deriveIssuerKeyEncryptionKey, generateMasterKey, MasterKey } from './master-key.js';
import { parseMasterKey } from './parse-master-key.js';

const sameKey = (a: MasterKey, b: MasterKey) =>
  Buffer.from(deriveIssuerKeyEncryptionKey(a)).equals(deriveIssuerKeyEncryptionKey(b));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAdapterError(error) ? error.code : `uncoded: ${String(error)}`;
  }
  return undefined;
}

async function asyncCodeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (e: unknown) => (isAdapterError(e) ? e.code : `uncoded: ${String(e)}`),
  );
}

describe('parseMasterKey', () => {
  const bytes = randomBytes(32);

  it('refuses anything but 32 bytes in hex or base64url, without echoing the text', () => {
    for (const text of [
      '',
      'abc',
      bytes.toString('hex').slice(2),
      `${bytes.toString('hex')}00`,
      bytes.toString('base64'),
    ]) {
      expect(codeOf(() => parseMasterKey(text))).toBe('MASTER_KEY_INVALID');
    }
    try {
      parseMasterKey(`${bytes.toString('hex')}zz`);
    } catch (error) {
      expect((error as Error).message).not.toContain(bytes.toString('hex'));
    }
  });

  it('refuses a non-canonical base64url spelling', () => {
    const canonical = Buffer.alloc(32).toString('base64url'); // 'AAAA…A'
    expect(codeOf(() => parseMasterKey(`${canonical.slice(0, 42)}B`))).toBe('MASTER_KEY_INVALID');
  });

  it('reads hex and base64url spellings of one key alike, ignoring surrounding whitespace', () => {
    const fromHex = parseMasterKey(` ${bytes.toString('hex').toUpperCase()}\n`);
    const fromBase64url = parseMasterKey(bytes.toString('base64url'));
    expect(sameKey(fromHex, fromBase64url)).toBe(true);
    expect(sameKey(fromHex, generateMasterKey())).toBe(false);
  });

  it('never prints or serialises the key bytes', () => {
    const key = parseMasterKey(bytes.toString('hex'));
    for (const shown of [String(key), JSON.stringify({ key }), inspect(key), inspect({ key })]) {
      expect(shown).toContain('[MasterKey]');
      expect(shown).not.toContain(bytes.toString('hex'));
    }
    expect(codeOf(() => MasterKey.fromBytes(new Uint8Array(31)))).toBe('MASTER_KEY_INVALID');
  });
});

describe('loadOrCreateMasterKeyFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trieste-master-key-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('creates a 0600 file of 32 random bytes, then reads the same key back', async () => {
    const path = join(dir, 'created.key');
    const created = await loadOrCreateMasterKeyFile(path);
    const info = await stat(path);
    expect(info.mode & 0o777).toBe(0o600);
    expect(info.size).toBe(32);
    expect(sameKey(created, await loadOrCreateMasterKeyFile(path))).toBe(true);
    expect(sameKey(created, MasterKey.fromBytes(await readFile(path)))).toBe(true);
  });

  it('gives processes racing to create the file one and the same key', async () => {
    const path = join(dir, 'raced.key');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateMasterKeyFile(path)));
    for (const key of keys) expect(sameKey(key, keys[0]!)).toBe(true);
  });

  it('refuses a file readable by group or others', async () => {
    const path = join(dir, 'open.key');
    await writeFile(path, randomBytes(32), { mode: 0o600 });
    await chmod(path, 0o640);
    expect(await asyncCodeOf(loadOrCreateMasterKeyFile(path))).toBe('MASTER_KEY_FILE_UNSAFE');
    await chmod(path, 0o604);
    expect(await asyncCodeOf(loadOrCreateMasterKeyFile(path))).toBe('MASTER_KEY_FILE_UNSAFE');
  });

  it('refuses a file of the wrong length, and a symlink', async () => {
    const short = join(dir, 'short.key');
    await writeFile(short, randomBytes(31), { mode: 0o600 });
    expect(await asyncCodeOf(loadOrCreateMasterKeyFile(short))).toBe('MASTER_KEY_FILE_UNSAFE');
    const text = join(dir, 'text.key');
    await writeFile(text, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    expect(await asyncCodeOf(loadOrCreateMasterKeyFile(text))).toBe('MASTER_KEY_FILE_UNSAFE');
    const target = join(dir, 'target.key');
    await writeFile(target, randomBytes(32), { mode: 0o600 });
    const link = join(dir, 'link.key');
    await symlink(target, link);
    expect(await asyncCodeOf(loadOrCreateMasterKeyFile(link))).toBe('MASTER_KEY_FILE_UNSAFE');
  });
});
