import type { MatchProfile } from './match-profile.js';

/**
 * The match profiles of records a bulk import has already scored, by record id and version, so a
 * later batch that meets the same candidates (most of them, at scale: common names fall into the
 * same blocks batch after batch) neither fetches their data again nor profiles it again. A record
 * changes version with every change of its data, so an entry is never stale. Bounded: the
 * least recently used entries go first. One per import run; it holds derived name forms and
 * birth dates of the records it met, so it lives no longer than the run.
 */
export class MatchProfileCache {
  readonly #entries = new Map<string, { version: number; profile: MatchProfile }>();
  readonly #capacity: number;

  constructor(capacity = 100_000) {
    if (!Number.isSafeInteger(capacity) || capacity < 1)
      throw new TypeError('capacity must be a positive integer');
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Whether the profile of this version of the record is held. */
  has(id: string, version: number): boolean {
    return this.#entries.get(id)?.version === version;
  }

  /** The profile of this version of the record, marked as recently used; undefined for another version. */
  get(id: string, version: number): MatchProfile | undefined {
    const entry = this.#entries.get(id);
    if (entry?.version !== version) return undefined;
    this.#entries.delete(id);
    this.#entries.set(id, entry);
    return entry.profile;
  }

  set(id: string, version: number, profile: MatchProfile): void {
    this.#entries.delete(id);
    this.#entries.set(id, { version, profile });
    if (this.#entries.size > this.#capacity) {
      // A Map iterates in insertion order, and every use re-inserts: the first is the least recent.
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
