import { sha256Base64url } from '../crypto/sha256-base64url.js';
import { encodeLogEntry } from '../log/encode-log-entry.js';
import type { Hasher } from '../ports.js';
import type { AccessRecord } from './registry-records.js';

/**
 * What the transparency log records of the registry: never personal data, only the SHA-256 of a
 * record the registry keeps (an access record, a lifecycle event), so the registry cannot later
 * hide or rewrite it: whoever is shown the record can recompute its digest and ask the log for an
 * inclusion proof. The records carry 128-bit random ids, so a digest cannot be guessed from what
 * one knows about a person.
 */

/** The lifecycle events the registry logs. */
export type LifecycleEventName =
  | 'enrolled'
  | 'queued'
  | 'activated'
  | 'updated'
  | 'deactivated'
  | 'reactivated'
  | 'deceased'
  | 'merged'
  | 'imported';

/** A lifecycle event as hashed for the log: which record, which version, who, when, why. */
export interface LifecycleEvent {
  event: LifecycleEventName;
  personId: string;
  version: number;
  by: string;
  at: number;
  reason?: string;
  mergedInto?: string;
}

/** UTF-8 JSON with sorted keys and no whitespace: the form every digest is taken over. */
export function canonicalRecordJson(record: object): string {
  const value = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(value).join(',')}]`;
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${value(x)}`).join(',')}}`;
    }
    return JSON.stringify(v);
  };
  return value(record);
}

/** base64url(SHA-256(canonical JSON of the access record)): what the log holds for one read. */
export function accessRecordDigest(record: AccessRecord, hasher: Hasher): string {
  return sha256Base64url(hasher, canonicalRecordJson(record));
}

/** base64url(SHA-256(canonical JSON of the event)). */
export function lifecycleEventDigest(event: LifecycleEvent, hasher: Hasher): string {
  return sha256Base64url(hasher, canonicalRecordJson(event));
}

/** {"sha256","type":"registry/access"}. */
export function accessLogEntry(record: AccessRecord, hasher: Hasher): Uint8Array {
  return encodeLogEntry('registry/access', { sha256: accessRecordDigest(record, hasher) });
}

/** {"event","sha256","type":"registry/lifecycle"}: the event's name is public, its record is not. */
export function lifecycleLogEntry(event: LifecycleEvent, hasher: Hasher): Uint8Array {
  return encodeLogEntry('registry/lifecycle', {
    event: event.event,
    sha256: lifecycleEventDigest(event, hasher),
  });
}

/**
 * One entry for a whole import batch: {"count","event":"imported","sha256"} over the digests of
 * the batch's events, in row order (a log entry per row would make the log the import's bottleneck).
 */
export function importLogEntry(events: readonly LifecycleEvent[], hasher: Hasher): Uint8Array {
  const digests = events.map((e) => lifecycleEventDigest(e, hasher));
  return encodeLogEntry('registry/lifecycle', {
    event: 'imported',
    count: events.length,
    sha256: sha256Base64url(hasher, digests.join('\n')),
  });
}
