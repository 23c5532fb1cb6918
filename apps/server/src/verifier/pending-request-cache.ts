import type { PresentationRequestRecord } from '@trieste/core';

/**
 * The presentation requests this process created or served, while pending, so the response
 * endpoint need not read the request back. Safe across processes: what is cached never changes
 * (a pending request's query, nonce, state, expiry), and the one thing that does, whether it is
 * still pending, is decided by the conditional write that records the answer; when that write
 * finds the request answered or deleted elsewhere, the caller forgets it and reads it. Bounded:
 * the oldest entry goes first.
 */
export class PendingRequestCache {
  readonly #entries = new Map<string, PresentationRequestRecord>();

  constructor(readonly capacity = 5000) {}

  remember(record: PresentationRequestRecord): void {
    if (record.status !== 'pending' || this.capacity <= 0) return;
    this.#entries.delete(record.id);
    this.#entries.set(record.id, record);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  get(id: string): PresentationRequestRecord | undefined {
    return this.#entries.get(id);
  }

  forget(id: string): void {
    this.#entries.delete(id);
  }

  get size(): number {
    return this.#entries.size;
  }
}
