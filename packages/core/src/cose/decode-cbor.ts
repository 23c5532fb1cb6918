import { fail } from '../errors.js';

/** A CBOR map key we accept: an integer (safe range) or a text string. */
export type CborKey = number | string;

/** A decoded CBOR data item (RFC 8949). Maps are `Map`s (integer keys stay numbers), tags are `CborTag`s. */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | undefined
  | Uint8Array
  | CborValue[]
  | CborMap
  | CborTag;

export type CborMap = Map<CborKey, CborValue>;

/** A tagged data item (RFC 8949 §3.4): the tag number and its content, left for the caller to interpret. */
export class CborTag {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

export interface DecodeCborOptions {
  /** Nesting bound (arrays, maps, tags). Default 32: COSE, CWT, DCC and Claim 169 need under 10. */
  maxDepth?: number;
  /** Names the input in error messages. */
  what?: string;
}

const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes one untrusted CBOR data item (RFC 8949) strictly. Written here instead of using cbor-x's
 * decoder because a verifier must not give attacker bytes any of cbor-x's extensions: shared
 * references (tags 28/29) that build cyclic objects, typed arrays (tags 64–87), records, sets and
 * dates that change the shape of what the caller checks, and duplicate map keys that it silently
 * overwrites (a parser differential: two readers seeing two different claims). Here:
 * - every tag is returned as a CborTag, never interpreted;
 * - map keys are integers or text, and a repeated key is refused (RFC 8949 §5.6: such a map is
 *   invalid; RFC 9052 §3 forbids it for COSE headers);
 * - lengths are checked against the bytes left before anything is allocated, nesting is bounded,
 *   text must be valid UTF-8, and bytes after the item are refused;
 * - simple values other than false/true/null/undefined and the reserved additional-information
 *   values 28–30 are refused.
 * Every failure is MALFORMED and names no content.
 */
export function decodeCbor(bytes: Uint8Array, options: DecodeCborOptions = {}): CborValue {
  const what = options.what ?? 'CBOR';
  const reader = new Reader(bytes, options.maxDepth ?? 32, what);
  const value = reader.item(0);
  if (reader.at !== bytes.length) throw fail('MALFORMED', `${what} has bytes after its data item`);
  return value;
}

const BREAK = Symbol('break');

class Reader {
  at = 0;
  /** Major type of the last item started: tells an integer key from a float of the same value. */
  private lastMajor = -1;
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly maxDepth: number,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(depth: number): CborValue {
    const value = this.itemOrBreak(depth);
    if (value === BREAK) throw this.malformed('has a "break" outside an indefinite-length item');
    return value;
  }

  private itemOrBreak(depth: number): CborValue | typeof BREAK {
    if (depth > this.maxDepth) throw this.malformed('is nested too deeply');
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    this.lastMajor = major;
    if (major === 7) return this.simple(info);
    if (info === 31) {
      if (major === 0 || major === 1 || major === 6)
        throw this.malformed('has an indefinite-length integer or tag');
      return this.indefinite(major, depth);
    }
    const argument = this.argument(info);
    switch (major) {
      case 0:
        return argument;
      case 1:
        return typeof argument === 'bigint' || argument >= Number.MAX_SAFE_INTEGER
          ? -1n - BigInt(argument)
          : -1 - argument;
      case 2:
        return this.take(this.length(argument)).slice();
      case 3:
        return this.text(this.take(this.length(argument)));
      case 4: {
        const count = this.length(argument);
        const out: CborValue[] = [];
        for (let i = 0; i < count; i++) out.push(this.item(depth + 1));
        return out;
      }
      case 5: {
        const count = this.length(argument);
        const out: CborMap = new Map();
        for (let i = 0; i < count; i++) this.entry(out, this.item(depth + 1), depth);
        return out;
      }
      default: {
        if (typeof argument === 'bigint') throw this.malformed('has a tag number beyond 2^53');
        return new CborTag(argument, this.item(depth + 1));
      }
    }
  }

  private indefinite(major: number, depth: number): CborValue {
    if (major === 2 || major === 3) {
      // RFC 8949 §3.2.3: definite-length chunks of the same major type, then "break".
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const initial = this.byte();
        if (initial === 0xff) break;
        if (initial >> 5 !== major || (initial & 0x1f) === 31) throw this.malformed('has a bad string chunk');
        const chunk = this.take(this.length(this.argument(initial & 0x1f)));
        chunks.push(chunk);
        total += chunk.length;
      }
      const joined = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        joined.set(chunk, at);
        at += chunk.length;
      }
      return major === 2 ? joined : this.text(joined);
    }
    if (major === 4) {
      const out: CborValue[] = [];
      for (;;) {
        const value = this.itemOrBreak(depth + 1);
        if (value === BREAK) return out;
        out.push(value);
      }
    }
    const out: CborMap = new Map();
    for (;;) {
      const key = this.itemOrBreak(depth + 1);
      if (key === BREAK) return out;
      this.entry(out, key, depth);
    }
  }

  private entry(map: CborMap, key: CborValue, depth: number): void {
    const isInteger = typeof key === 'number' && this.lastMajor <= 1 && Number.isSafeInteger(key);
    if (typeof key !== 'string' && !isInteger) {
      throw this.malformed('has a map key that is not an integer or text');
    }
    if (map.has(key)) throw this.malformed('has a map with a repeated key');
    map.set(key, this.item(depth + 1));
  }

  private simple(info: number): CborValue | typeof BREAK {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25:
        return halfToNumber(this.view.getUint16(this.advance(2)));
      case 26:
        return this.view.getFloat32(this.advance(4));
      case 27:
        return this.view.getFloat64(this.advance(8));
      case 31:
        return BREAK;
      default:
        throw this.malformed('has a simple value we do not accept');
    }
  }

  /** The argument of the initial byte (RFC 8949 §3): a number, or a bigint beyond 2^53 - 1. */
  private argument(info: number): number | bigint {
    if (info < 24) return info;
    if (info === 24) return this.byte();
    if (info === 25) return this.view.getUint16(this.advance(2));
    if (info === 26) return this.view.getUint32(this.advance(4));
    if (info === 27) {
      const value = this.view.getBigUint64(this.advance(8));
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    throw this.malformed('has a reserved additional-information value');
  }

  /** A length must fit in what is left of the input: nothing is allocated for a claimed size. */
  private length(argument: number | bigint): number {
    if (typeof argument === 'bigint' || argument > this.bytes.length - this.at) {
      throw this.malformed('claims a length beyond its end');
    }
    return argument;
  }

  private byte(): number {
    if (this.at >= this.bytes.length) throw this.malformed('ends early');
    return this.bytes[this.at++]!;
  }

  private advance(count: number): number {
    if (this.at + count > this.bytes.length) throw this.malformed('ends early');
    const start = this.at;
    this.at += count;
    return start;
  }

  private take(count: number): Uint8Array {
    return this.bytes.subarray(this.advance(count), this.at);
  }

  private text(bytes: Uint8Array): string {
    try {
      return textDecoder.decode(bytes);
    } catch (cause) {
      throw fail('MALFORMED', `${this.what} has a text string that is not valid UTF-8`, cause);
    }
  }

  private malformed(problem: string) {
    return fail('MALFORMED', `${this.what} ${problem}`);
  }
}

// RFC 8949 Appendix D.
function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (mantissa + 1024) * 2 ** (exponent - 25);
}
