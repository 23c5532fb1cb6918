import { AdapterError, isAdapterError } from '../errors.js';

/** What the worker thread is started with. */
export interface ThreadStart {
  dataDir: string;
  cacheMegabytes?: number;
}

/** A request to the worker thread; `id` names its reply. `tx`: an open transaction's number. */
export type ThreadRequest =
  | { id: number; op: 'query'; tx?: number; sql: string; params?: unknown[] }
  | { id: number; op: 'exec'; tx?: number; sql: string }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** The reply to request `id` (0: the database opened, or failed to). */
export type ThreadReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ThreadError };

/**
 * An error as it crosses threads: structured cloning keeps an Error's message but not its other
 * fields, so the SQLSTATE (`code`) and the kind are sent beside it.
 */
export interface ThreadError {
  kind: 'adapter' | 'type' | 'database';
  message: string;
  code?: string;
}

export function threadError(error: unknown): ThreadError {
  if (isAdapterError(error)) return { kind: 'adapter', message: error.message, code: error.code };
  if (error instanceof TypeError) return { kind: 'type', message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return { kind: 'database', message, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error again on the opening thread: an AdapterError, a TypeError, or a driver error with its `code`. */
export function fromThreadError(error: ThreadError): Error {
  if (error.kind === 'adapter')
    return new AdapterError(error.code as ConstructorParameters<typeof AdapterError>[0], error.message);
  if (error.kind === 'type') return new TypeError(error.message);
  const rebuilt = new Error(error.message) as Error & { code?: string };
  rebuilt.name = 'DatabaseError';
  if (error.code !== undefined) rebuilt.code = error.code;
  return rebuilt;
}
