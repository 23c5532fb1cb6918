import { Decoder, Encoder } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CborTag, type CborValue, cborToJson, decodeCbor, encodeCbor, TriesteError } from '../index.js';

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
};

describe('decodeCbor', () => {
  // RFC 8949 Appendix A examples.
  it.each([
    ['00', 0],
    ['17', 23],
    ['1818', 24],
    ['1903e8', 1000],
    ['1a000f4240', 1000000],
    ['1b000000e8d4a51000', 1000000000000],
    ['1bffffffffffffffff', 18446744073709551615n],
    ['20', -1],
    ['3863', -100],
    ['3bffffffffffffffff', -18446744073709551616n],
    ['f90000', 0],
    ['f93c00', 1],
    ['f97bff', 65504],
    ['fa47c35000', 100000],
    ['fb3ff199999999999a', 1.1],
    ['f97c00', Number.POSITIVE_INFINITY],
    ['f4', false],
    ['f5', true],
    ['f6', null],
    ['f7', undefined],
    ['60', ''],
    ['6449455446', 'IETF'],
    ['62c3bc', 'ü'],
    ['7f657374726561646d696e67ff', 'streaming'],
  ])('RFC 8949 Appendix A: %s', (encoded, value) => {
    expect(decodeCbor(hex(encoded))).toEqual(value);
  });

  it('decodes byte strings, arrays, maps and tags as our types', () => {
    expect(decodeCbor(hex('4401020304'))).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(decodeCbor(hex('5f42010243030405ff'))).toEqual(new Uint8Array([1, 2, 3, 4, 5]));
    expect(decodeCbor(hex('83010203'))).toEqual([1, 2, 3]);
    expect(decodeCbor(hex('9f018202039f0405ffff'))).toEqual([1, [2, 3], [4, 5]]);
    expect(decodeCbor(hex('a201020304'))).toEqual(
      new Map([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(decodeCbor(hex('bf61610161629f0203ffff'))).toEqual(
      new Map<string, CborValue>([
        ['a', 1],
        ['b', [2, 3]],
      ]),
    );
    const tagged = decodeCbor(hex('c074323031332d30332d32315432303a30343a30305a'));
    expect(tagged).toEqual(new CborTag(0, '2013-03-21T20:04:00Z'));
    expect(decodeCbor(hex('f97e00'))).toBeNaN();
  });

  it('refuses what a verifier must not accept (MALFORMED)', () => {
    for (const [why, bad] of [
      ['empty', ''],
      ['truncated argument', '19 03'],
      ['truncated string', '64 4945'],
      ['length beyond the input', '5b ffffffffffffffff'],
      ['array longer than the input', '9a ffffffff 00'],
      ['trailing bytes', '01 02'],
      ['reserved additional info', '1c'],
      ['indefinite integer', '1f'],
      ['indefinite tag', 'df 00'],
      ['lone break', 'ff'],
      ['break in a definite array', '82 01 ff'],
      ['bad chunk type in indefinite bytes', '5f 61 61 ff'],
      ['nested indefinite chunk', '7f 7f ff ff'],
      ['invalid UTF-8', '62 c328'],
      ['unassigned simple value', 'f0'],
      ['simple value in two bytes', 'f8 20'],
      ['duplicate int key', 'a2 01 01 01 02'],
      ['duplicate text key', 'a2 6161 01 6161 02'],
      ['float key', 'a1 f93c00 01'],
      ['byte-string key', 'a1 4101 01'],
      ['array key', 'a1 80 01'],
      ['huge int key', 'a1 1bffffffffffffffff 01'],
      ['tag beyond 2^53', 'dbffffffffffffffff 00'],
    ] as const) {
      expect(
        codeOf(() => decodeCbor(hex(bad))),
        why,
      ).toBe('MALFORMED');
    }
    expect(codeOf(() => decodeCbor(hex(`${'81'.repeat(40)}00`)))).toBe('MALFORMED');
    expect(decodeCbor(hex(`${'81'.repeat(40)}00`), { maxDepth: 64 })).toBeDefined();
  });

  it('keeps "__proto__" an ordinary key, in the map and in its JSON view', () => {
    const value = decodeCbor(hex('a1695f5f70726f746f5f5fa16161f5'));
    expect(value).toBeInstanceOf(Map);
    const json = cborToJson(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(json)).toBe(Object.prototype);
    expect(Object.keys(json)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['a']).toBeUndefined();
  });

  it('reads what cbor-x writes, and encodeCbor writes what cbor-x reads', () => {
    const writer = new Encoder({ useRecords: false, tagUint8Array: false, mapsAsObjects: false });
    const reader = new Decoder({ useRecords: false, mapsAsObjects: false });
    const key = fc.oneof(fc.integer({ min: -1000, max: 1_000_000 }), fc.string({ maxLength: 8 }));
    const { value } = fc.letrec<{ value: CborValue }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.maxSafeInteger(),
        fc.string({ maxLength: 20 }),
        fc.boolean(),
        fc.constant(null),
        fc.uint8Array({ maxLength: 20 }),
        fc.double({ noNaN: true }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc
          .uniqueArray(fc.tuple(key, tie('value')), { maxLength: 4, selector: ([k]) => k })
          .map((entries) => new Map(entries)),
      ),
    }));
    fc.assert(
      fc.property(value, (item) => {
        const normalise = (v: unknown): unknown =>
          v instanceof Uint8Array
            ? Array.from(v)
            : Array.isArray(v)
              ? v.map(normalise)
              : v instanceof Map
                ? new Map([...v].map(([k, x]) => [k, normalise(x)]))
                : Object.is(v, -0)
                  ? 0
                  : // cbor-x reads every 64-bit integer as a bigint; we read safe ones as numbers.
                    typeof v === 'bigint' && v >= -(2n ** 53n) && v < 2n ** 53n
                    ? Number(v)
                    : v;
        expect(normalise(decodeCbor(new Uint8Array(writer.encode(item))))).toEqual(normalise(item));
        expect(normalise(reader.decode(Buffer.from(encodeCbor(item))))).toEqual(normalise(item));
        expect(normalise(decodeCbor(encodeCbor(item)))).toEqual(normalise(item));
      }),
      { numRuns: 500 },
    );
  });

  it('turns hostile bytes into a value or MALFORMED, never another error or a hang', () => {
    const cborish = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 255 }),
          fc.constantFrom(0x9f, 0xbf, 0x5f, 0x7f, 0xff, 0xd2, 0xd8, 0x1b, 0x5b, 0xa1, 0x81),
        ),
        { maxLength: 64 },
      )
      .map((bytes) => new Uint8Array(bytes));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), cborish), (bytes) => {
        try {
          decodeCbor(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(TriesteError);
          expect((error as TriesteError).code).toBe('MALFORMED');
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('encodeCbor', () => {
  it('writes maps plainly (no tag 259), 64-bit integers as integers, and refuses non-CBOR values', () => {
    expect(Buffer.from(encodeCbor(new Map([[1, -7]]))).toString('hex')).toBe('a10126');
    expect(Buffer.from(encodeCbor(2 ** 40)).toString('hex')).toBe('1b0000010000000000');
    expect(Buffer.from(encodeCbor(-(2 ** 40))).toString('hex')).toBe('3b000000ffffffffff');
    expect(Buffer.from(encodeCbor(new CborTag(18, [])).subarray(0, 1)).toString('hex')).toBe('d2');
    expect(() => encodeCbor({ a: 1 } as unknown as CborValue)).toThrow(TypeError);
    expect(Buffer.from(encodeCbor(2 ** 60)).toString('hex')).toBe('fb43b0000000000000');
  });
});
