import { utf8Encode } from '../encoding/utf8.js';
import { fail } from '../errors.js';

/** tlog-tiles entry bundles carry each entry with a 2-byte length (c2sp.org/tlog-tiles). */
export const MAX_LOG_ENTRY_BYTES = 65535;

/** What Trieste logs: types and public data or hashes only, never personal data. */
export type LogEntryType =
  | 'issuer-key/created'
  | 'issuer-key/activated'
  | 'issuer-key/retired'
  | 'status-list/version'
  /** A trust list version: jurisdiction, sequence number, times, signing kid, SHA-256 of the JWS. */
  | 'trust-list/version'
  /** A read of a person's registry record: the SHA-256 of the access record, nothing personal. */
  | 'registry/access'
  /** A registry lifecycle event (enrolled, updated, merged…): the event name and its record's SHA-256. */
  | 'registry/lifecycle'
  | 'operator/note';

export type LogEntryValue =
  | string
  | number
  | boolean
  | null
  | LogEntryValue[]
  | { [key: string]: LogEntryValue };

/**
 * A log entry's bytes: UTF-8 JSON with every object's keys sorted and no whitespace, so the same
 * event always has the same leaf hash and anyone can re-derive it. `type` names the event.
 */
export function encodeLogEntry(type: LogEntryType, fields: { [key: string]: LogEntryValue }): Uint8Array {
  if ('type' in fields) throw new TypeError('a log entry sets its type through the first argument');
  const bytes = utf8Encode(canonicalJson({ ...fields, type }));
  if (bytes.length > MAX_LOG_ENTRY_BYTES)
    throw fail('LOG_ENTRY_INVALID', 'log entry is larger than 65535 bytes');
  return bytes;
}

function canonicalJson(value: LogEntryValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key]!)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    throw new TypeError('log entries hold finite numbers only');
  return JSON.stringify(value);
}
