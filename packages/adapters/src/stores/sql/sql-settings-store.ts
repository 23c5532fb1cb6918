import type { Clock, SettingsStore } from '@trieste/core';
import type { Queryable } from '../../db/database.js';

export function sqlSettingsStore(db: Queryable, clock: Clock): SettingsStore {
  return {
    async get(name) {
      const rows = await db.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
      return rows[0]?.value;
    },
    async set(name, value) {
      if (typeof name !== 'string' || name === '' || typeof value !== 'string') {
        throw new TypeError('setting name and value must be strings');
      }
      await db.query(
        `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [name, value, clock.now()],
      );
    },
  };
}
