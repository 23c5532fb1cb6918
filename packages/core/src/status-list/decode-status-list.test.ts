import { Buffer } from 'node:buffer';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { DEFAULT_MAX_DECOMPRESSED_BYTES, decodeStatusList } from './decode-status-list.js';
import { DRAFT_VECTORS } from './draft-vectors.test-util.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const zlib = (bytes: Uint8Array) => b64(zlibSync(bytes, { level: 9 }));

function codeOf(value: unknown, options?: Parameters<typeof decodeStatusList>[1]): string | undefined {
  try {
    decodeStatusList(value, options);
  } catch (error) {
    return isTriesteError(error) ? error.code : `uncoded ${(error as Error).name}`;
  }
  return undefined;
}

describe('decodeStatusList: refuses malformed lists with MALFORMED', () => {
  it('refuses a status_list that is not a JSON object', () => {
    for (const value of [null, undefined, 'eNrbuRgAAhcBXQ', 1, [1, 'eNrbuRgAAhcBXQ']]) {
      expect(codeOf(value)).toBe('MALFORMED');
    }
  });

  it('refuses bits other than 1, 2, 4, 8', () => {
    for (const bits of [undefined, 0, 3, 16, -1, 1.5, '1', null]) {
      expect(codeOf({ bits, lst: 'eNrbuRgAAhcBXQ' })).toBe('MALFORMED');
    }
  });

  it('refuses a missing, empty or non-string lst', () => {
    for (const lst of [undefined, '', 42, null, ['eNrbuRgAAhcBXQ']])
      expect(codeOf({ bits: 1, lst })).toBe('MALFORMED');
  });

  it('refuses lst that is not strict base64url (padding, standard alphabet, whitespace, stray bits)', () => {
    for (const lst of ['eNrbuRgAAhcBXQ==', 'eNrbuRgAAhcBXQ+/', 'eNrbuRg AAhcBXQ', 'eNrbuRgAAhcBXR', 'e']) {
      expect(codeOf({ bits: 1, lst })).toBe('MALFORMED');
    }
  });

  it('refuses a non-string aggregation_uri', () => {
    expect(codeOf({ bits: 1, lst: 'eNrbuRgAAhcBXQ', aggregation_uri: 7 })).toBe('MALFORMED');
  });

  it('refuses data that is not a ZLIB stream: raw DEFLATE, gzip, garbage, a bad header check', () => {
    const zl = zlibSync(new Uint8Array([0xb9, 0xa3]), { level: 9 });
    const badCheck = zl.slice();
    badCheck[1] = badCheck[1]! ^ 1;
    for (const bytes of [
      zl.subarray(2, -4),
      new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]),
      new Uint8Array(16).fill(0xaa),
      badCheck,
    ]) {
      expect(codeOf({ bits: 1, lst: b64(bytes) })).toBe('MALFORMED');
    }
  });

  it('refuses a ZLIB stream that asks for a preset dictionary (RFC 1950 FDICT)', () => {
    const withDict = zlibSync(new Uint8Array([1, 2, 3]), { dictionary: new Uint8Array([1, 2, 3]) });
    expect(codeOf({ bits: 1, lst: b64(withDict) })).toBe('MALFORMED');
  });

  it('refuses a truncated stream and one whose Adler-32 does not match', () => {
    const zl = zlibSync(
      new Uint8Array(1000).map((_, i) => i * 7),
      { level: 9 },
    );
    expect(codeOf({ bits: 1, lst: b64(zl.subarray(0, zl.length - 6)) })).toBe('MALFORMED');
    const badSum = zl.slice();
    badSum[badSum.length - 1] = badSum[badSum.length - 1]! ^ 0x01;
    expect(codeOf({ bits: 1, lst: b64(badSum) })).toBe('MALFORMED');
  });

  it('refuses an empty byte array: a list with no entries', () => {
    expect(codeOf({ bits: 1, lst: zlib(new Uint8Array(0)) })).toBe('MALFORMED');
  });

  it('refuses a decompression bomb beyond the default 16 MiB before inflating all of it', () => {
    const bomb = zlibSync(new Uint8Array(DEFAULT_MAX_DECOMPRESSED_BYTES + 4 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(codeOf({ bits: 1, lst: b64(bomb) })).toBe('MALFORMED');
  });

  it('enforces maxDecompressedBytes exactly, on the one-step and the stepped path', () => {
    for (const length of [1000, 10 * 1024 * 1024]) {
      const lst = zlib(new Uint8Array(length));
      expect(codeOf({ bits: 8, lst }, { maxDecompressedBytes: length - 1 })).toBe('MALFORMED');
      expect(codeOf({ bits: 8, lst }, { maxDecompressedBytes: length })).toBeUndefined();
    }
  });

  it('treats a bad maxDecompressedBytes as a caller bug (TypeError)', () => {
    for (const max of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        decodeStatusList({ bits: 1, lst: 'eNrbuRgAAhcBXQ' }, { maxDecompressedBytes: max }),
      ).toThrow(TypeError);
    }
  });
});

describe('decodeStatusList: the draft test vectors', () => {
  for (const vector of DRAFT_VECTORS) {
    it(`decodes ${vector.name}`, () => {
      const { list } = decodeStatusList({ bits: vector.bits, lst: vector.lst });
      expect(list.bits).toBe(vector.bits);
      expect(list.size).toBeGreaterThanOrEqual(vector.size);
      expect(list.byteLength).toBe(Math.ceil((vector.size * vector.bits) / 8));
      const expected = new Map(vector.statuses);
      for (let i = 0; i < list.size; i++) {
        if (list.get(i) !== (expected.get(i) ?? 0)) {
          throw new Error(`${vector.name}: entry ${i} is ${list.get(i)}, expected ${expected.get(i) ?? 0}`);
        }
      }
    });
  }

  it('keeps aggregation_uri and ignores members it does not know', () => {
    const decoded = decodeStatusList({
      bits: 1,
      lst: 'eNrbuRgAAhcBXQ',
      aggregation_uri: 'https://example.com/statuslists',
      future_member: true,
    });
    expect(decoded.aggregationUri).toBe('https://example.com/statuslists');
    expect(decoded.list.get(0)).toBe(1);
  });
});
