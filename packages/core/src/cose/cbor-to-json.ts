import { base64urlEncode } from '../encoding/base64url.js';
import type { JsonValue } from '../encoding/json.js';
import { CborTag, type CborValue } from './decode-cbor.js';

/**
 * A JSON view of decoded CBOR, for results that must be JSON (a verification report, `--json`):
 * maps become objects (integer keys as their decimal text), byte strings base64url, bigints
 * decimal text, `undefined` and non-finite floats null, and a tag is replaced by its content.
 * Members are defined, never assigned, so a "__proto__" key stays an ordinary member.
 */
export function cborToJson(value: CborValue): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  if (value instanceof Uint8Array) return base64urlEncode(value);
  if (Array.isArray(value)) return value.map(cborToJson);
  if (value instanceof CborTag) return cborToJson(value.value);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, item] of value) defineMember(out, String(key), cborToJson(item));
  return out;
}

export function defineMember(target: { [key: string]: JsonValue }, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
