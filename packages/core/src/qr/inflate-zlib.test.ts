import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TriesteError } from '../errors.js';
import { DEFAULT_QR_MAX_DECOMPRESSED_BYTES, deflateZlib, inflateZlib, isZlibHeader } from './inflate-zlib.js';

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

describe('inflateZlib', () => {
  it('inflates what node:zlib deflates, at every level', () => {
    const data = new TextEncoder().encode('Claim 169 '.repeat(200));
    for (const level of [0, 1, 6, 9]) {
      expect(inflateZlib(new Uint8Array(deflateSync(data, { level })))).toEqual(data);
    }
    expect(inflateZlib(deflateZlib(new Uint8Array()))).toEqual(new Uint8Array());
  });

  it('refuses a zlib bomb before spending the memory (QR_PAYLOAD_TOO_LARGE)', () => {
    // 10 MB of zeros compress to ~10 KB: far more than any QR code holds, refused at the cap.
    const bomb = new Uint8Array(deflateSync(new Uint8Array(10 * 1024 * 1024), { level: 9 }));
    expect(codeOf(() => inflateZlib(bomb))).toBe('QR_PAYLOAD_TOO_LARGE');
    const justOver = new Uint8Array(deflateSync(new Uint8Array(DEFAULT_QR_MAX_DECOMPRESSED_BYTES + 1)));
    expect(codeOf(() => inflateZlib(justOver))).toBe('QR_PAYLOAD_TOO_LARGE');
    const atCap = new Uint8Array(deflateSync(new Uint8Array(DEFAULT_QR_MAX_DECOMPRESSED_BYTES)));
    expect(inflateZlib(atCap)).toHaveLength(DEFAULT_QR_MAX_DECOMPRESSED_BYTES);
    expect(codeOf(() => inflateZlib(atCap, { maxBytes: 1000 }))).toBe('QR_PAYLOAD_TOO_LARGE');
    expect(() => inflateZlib(atCap, { maxBytes: 0 })).toThrow(TypeError);
  });

  it('refuses truncated streams, bad headers, bad checksums and junk after the stream (MALFORMED)', () => {
    const good = new Uint8Array(deflateSync(new TextEncoder().encode('HC1 payload '.repeat(20))));
    for (let cut = 0; cut < good.length; cut++) {
      expect(
        codeOf(() => inflateZlib(good.subarray(0, cut))),
        `cut at ${cut}`,
      ).toBe('MALFORMED');
    }
    const badChecksum = good.slice();
    badChecksum[badChecksum.length - 1]! ^= 1;
    expect(codeOf(() => inflateZlib(badChecksum))).toBe('MALFORMED');
    // Junk after the final block, with the checksum moved to the end so only the junk is wrong.
    const body = good.subarray(0, good.length - 4);
    const junk = new Uint8Array([...body, 0x00, ...good.subarray(good.length - 4)]);
    expect(codeOf(() => inflateZlib(junk))).toBe('MALFORMED');
    expect(codeOf(() => inflateZlib(new Uint8Array([0x78, 0x9c, 0x00])))).toBe('MALFORMED');
    const preset = new Uint8Array([0x78, 0xbb, 0, 0, 0, 1, 3, 0, 0, 0, 0, 1]);
    expect(codeOf(() => inflateZlib(preset))).toBe('MALFORMED');
    expect(isZlibHeader(new Uint8Array([0x78, 0x9c]))).toBe(true);
    expect(isZlibHeader(new Uint8Array([0x78, 0xda]))).toBe(true);
    expect(isZlibHeader(new Uint8Array([0x78, 0x9d]))).toBe(false);
    expect(isZlibHeader(new Uint8Array([0x1f, 0x8b]))).toBe(false);
  });

  it('round-trips any bytes, and turns any hostile input into bytes or a coded error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
        expect(inflateZlib(deflateZlib(data))).toEqual(data);
      }),
      { numRuns: 200 },
    );
    const zlibLike = fc
      .uint8Array({ minLength: 0, maxLength: 200 })
      .map((tail) => new Uint8Array([0x78, 0x9c, ...tail]));
    const mutated = fc
      .tuple(fc.uint8Array({ maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([data, at, flip]) => {
        const stream = deflateZlib(data);
        stream[at % stream.length]! ^= flip;
        return stream;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), zlibLike, mutated), (input) => {
        try {
          expect(inflateZlib(input, { maxBytes: 4096 }).length).toBeLessThanOrEqual(4096);
        } catch (error) {
          expect(error).toBeInstanceOf(TriesteError);
          expect(['MALFORMED', 'QR_PAYLOAD_TOO_LARGE']).toContain((error as TriesteError).code);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
