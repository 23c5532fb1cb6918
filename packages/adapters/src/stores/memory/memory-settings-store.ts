import type { SettingsStore } from '@trieste/core';
import type { MemoryScope } from './memory-store-data.js';

export function memorySettingsStore(scope: MemoryScope): SettingsStore {
  return {
    get: (name) => scope.run((state) => state.settings.get(name)),
    async set(name, value) {
      if (typeof name !== 'string' || name === '' || typeof value !== 'string') {
        throw new TypeError('setting name and value must be strings');
      }
      await scope.run((state) => void state.settings.set(name, value));
    },
  };
}
