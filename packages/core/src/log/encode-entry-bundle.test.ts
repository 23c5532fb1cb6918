import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeEntryBundle } from './decode-entry-bundle.js';
import { encodeEntryBundle } from './encode-entry-bundle.js';

const entryInvalid = expect.objectContaining({ name: 'TriesteError', code: 'LOG_ENTRY_INVALID' });

describe('encodeEntryBundle (c2sp.org/tlog-tiles, Log entries)', () => {
  it('refuses an entry over 65535 bytes with LOG_ENTRY_INVALID, without echoing it', () => {
    const secret = new Uint8Array(65536).fill(0x41);
    try {
      encodeEntryBundle([new Uint8Array(1), secret]);
      expect.unreachable();
    } catch (error) {
      expect(error).toEqual(entryInvalid);
      expect((error as Error).message).not.toContain('AAAA');
    }
  });

  it('refuses no entries or more than 256, as caller bugs', () => {
    expect(() => encodeEntryBundle([])).toThrow(TypeError);
    expect(() => encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(1)))).toThrow(TypeError);
  });

  it('writes each entry as a big-endian uint16 length and its bytes', () => {
    const bundle = encodeEntryBundle([
      new Uint8Array([7, 8, 9]),
      new Uint8Array(0),
      new Uint8Array(300).fill(1),
    ]);
    expect(Array.from(bundle.subarray(0, 7))).toEqual([0, 3, 7, 8, 9, 0, 0]);
    expect(Array.from(bundle.subarray(7, 9))).toEqual([1, 44]);
    expect(bundle.length).toBe(5 + 2 + 302);
  });

  it('carries the limits: 256 entries, an entry of exactly 65535 bytes, empty entries', () => {
    const max = new Uint8Array(65535).fill(0xee);
    const entries = [max, ...Array.from({ length: 255 }, (_, i) => new Uint8Array(i % 3))];
    const decoded = decodeEntryBundle(encodeEntryBundle(entries), 256);
    expect(decoded.length).toBe(256);
    expect(decoded[0]).toEqual(max);
    expect(decoded.slice(1)).toEqual(entries.slice(1));
  });
});

describe('decodeEntryBundle', () => {
  it.each([
    ['no bytes', new Uint8Array(0)],
    ['half a length prefix', new Uint8Array([0])],
    ['an entry cut short', new Uint8Array([0, 3, 1, 2])],
    ['a length prefix cut short after an entry', new Uint8Array([0, 1, 9, 0])],
    ['a length prefix with nothing after', new Uint8Array([1, 0])],
  ])('refuses %s with LOG_ENTRY_INVALID', (_name, bytes) => {
    expect(() => decodeEntryBundle(bytes)).toThrow(entryInvalid);
  });

  it('refuses more than 256 entries, or not the count the tile width promises', () => {
    expect(() => decodeEntryBundle(new Uint8Array(2 * 257))).toThrow(entryInvalid);
    expect(() => decodeEntryBundle(new Uint8Array(2 * 3), 4)).toThrow(entryInvalid);
    expect(() => decodeEntryBundle(new Uint8Array(2 * 3), 2)).toThrow(entryInvalid);
    expect(decodeEntryBundle(new Uint8Array(2 * 256), 256).length).toBe(256);
  });

  it('refuses a value that is not bytes', () => {
    expect(() => decodeEntryBundle('0001' as unknown as Uint8Array)).toThrow(entryInvalid);
  });

  it('round-trips any bundle, returning views of the input rather than copies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 700 }), { minLength: 1, maxLength: 256 }),
        (entries) => {
          const bundle = encodeEntryBundle(entries);
          const decoded = decodeEntryBundle(bundle, entries.length);
          expect(decoded).toEqual(entries);
          for (const entry of decoded) expect(entry.buffer).toBe(bundle.buffer);
        },
      ),
      { numRuns: 50 },
    );
  });
});
