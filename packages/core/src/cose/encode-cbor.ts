import { Encoder, Tag } from 'cbor-x';
import { CborTag, type CborValue } from './decode-cbor.js';

// The one encoder for bytes we sign: no records, no typed-array tags, no tag 259 around maps,
// definite lengths. Integers are written in their shortest form (RFC 8949 §4.2.1); map entries
// keep the order the caller gives, which the COSE and CWT specifications leave free.
const options = {
  tagUint8Array: false,
  useRecords: false,
  variableMapSize: true,
  // Not in cbor-x's type definitions, but read by its encoder (encode.js): no tag 259 on maps.
  useTag259ForMaps: false,
  mapsAsObjects: false,
};
const encoder = new Encoder(options);

/**
 * Encodes a value as CBOR with cbor-x: `Map` (integer or text keys) → map, array → array,
 * Uint8Array → byte string, string → text, safe integer → int (cbor-x writes integers beyond 32
 * bits as floats, so those become 64-bit ints here), other number → float, CborTag → tag. A value of any other type is a
 * caller's bug (TypeError).
 */
export function encodeCbor(value: CborValue): Uint8Array {
  // A copy: cbor-x hands out views of a buffer it reuses for later encodings.
  return new Uint8Array(encoder.encode(prepare(value, 0)));
}

function prepare(value: CborValue, depth: number): unknown {
  if (depth > 64) throw new TypeError('value to encode is nested too deeply');
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return value;
    case 'number':
      // Beyond 2^53 a number is a float that happens to be integral: cbor-x keeps it a float.
      if (Number.isSafeInteger(value) && (value > 0xffffffff || value < -0x100000000)) return BigInt(value);
      return value;
    case 'object': {
      if (value === null || value instanceof Uint8Array) return value;
      if (Array.isArray(value)) return value.map((item) => prepare(item, depth + 1));
      if (value instanceof Map) {
        const out = new Map<unknown, unknown>();
        for (const [key, item] of value) out.set(key, prepare(item, depth + 1));
        return out;
      }
      if (value instanceof CborTag) return new Tag(prepare(value.value, depth + 1), value.tag);
      throw new TypeError('value to encode is not CBOR data');
    }
    default:
      throw new TypeError('value to encode is not CBOR data');
  }
}
