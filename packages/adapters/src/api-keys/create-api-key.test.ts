import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../stores/memory/create-memory-stores.js';
import { createApiKey, parseApiKey } from './create-api-key.js';

describe('createApiKey', () => {
  it('never gives an id a leading "-", which a command line would read as an option', async () => {
    const clock = { now: () => 1_750_000_000 };
    const stores = createMemoryStores({ clock });
    // One random id in 64 started with '-' before: 2,000 keys would show one all but surely.
    for (let i = 0; i < 2000; i++) {
      const { key, record } = await createApiKey(stores.apiKeys, clock, {
        name: `k${i}`,
        roles: ['verifier'],
      });
      expect(record.id.startsWith('-'), record.id).toBe(false);
      expect(parseApiKey(key)?.id).toBe(record.id);
    }
  });
});
