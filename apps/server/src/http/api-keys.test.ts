import * as nodeCryptoModule from 'node:crypto';
import { createMemoryStores } from '@trieste/adapters';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticateApiKey, createApiKey, hasRole } from './api-keys.js';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const clock = { now: () => 1_780_000_000 };
const timingSafeEqual = vi.mocked(nodeCryptoModule.timingSafeEqual);

describe('API keys', () => {
  beforeEach(() => {
    timingSafeEqual.mockClear();
  });

  it('are trieste.<id>.<secret>, stored as the SHA-256 of the secret only', async () => {
    const stores = createMemoryStores({ clock });
    const { key, record } = await createApiKey(stores.apiKeys, clock, { name: 'desk', roles: ['registrar'] });
    expect(key).toMatch(/^trieste\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
    const [, id, secret] = key.split('.');
    expect(record).toEqual({ id, name: 'desk', roles: ['registrar'], createdAt: clock.now() });
    const stored = await stores.apiKeys.find(id!);
    expect(stored?.secretHash).toEqual(
      new Uint8Array(nodeCryptoModule.createHash('sha256').update(secret!).digest()),
    );
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('compare the secret in constant time, also for an unknown id or a malformed key', async () => {
    const stores = createMemoryStores({ clock });
    const { key, record } = await createApiKey(stores.apiKeys, clock, { name: 'desk', roles: ['registrar'] });
    expect(await authenticateApiKey(stores.apiKeys, key)).toEqual(record);
    const wrongSecret = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    const unknownId = `trieste.${'A'.repeat(16)}.${key.split('.')[2]}`;
    for (const presented of [wrongSecret, unknownId, 'garbage', 'x'.repeat(100_000)]) {
      expect(await authenticateApiKey(stores.apiKeys, presented)).toBeUndefined();
    }
    // One constant-time comparison per attempt, whatever was presented.
    expect(timingSafeEqual).toHaveBeenCalledTimes(5);
  });

  it('let admin stand in for every role, and no one else', () => {
    expect(hasRole(['admin'], 'registrar')).toBe(true);
    expect(hasRole(['registrar'], 'registrar')).toBe(true);
    expect(hasRole(['registrar'], 'admin')).toBe(false);
    expect(hasRole([], 'registrar')).toBe(false);
  });
});
