import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeStatusList } from './decode-status-list.js';
import { DRAFT_VECTORS, VECTOR_1_BIT_SHORT, VECTOR_2_BIT_SHORT } from './draft-vectors.test-util.js';
import { encodeStatusList } from './encode-status-list.js';
import { type StatusBits, StatusList } from './status-list.js';

function listOf(vector: (typeof DRAFT_VECTORS)[number]): StatusList {
  const list = new StatusList(vector.size, vector.bits);
  for (const [index, status] of vector.statuses) list.set(index, status);
  return list;
}

describe('encodeStatusList', () => {
  it('refuses an aggregationUri that is not a non-empty string (TypeError)', () => {
    for (const aggregationUri of ['', 7, null] as unknown[]) {
      expect(() => encodeStatusList(new StatusList(8), { aggregationUri: aggregationUri as string })).toThrow(
        TypeError,
      );
    }
  });

  it('reproduces the draft §4.2 examples byte for byte (ZLIB, highest compression level)', () => {
    expect(encodeStatusList(listOf(VECTOR_1_BIT_SHORT))).toEqual({ bits: 1, lst: 'eNrbuRgAAhcBXQ' });
    expect(encodeStatusList(listOf(VECTOR_2_BIT_SHORT))).toEqual({ bits: 2, lst: 'eNo76fITAAPfAgc' });
  });

  for (const vector of DRAFT_VECTORS) {
    it(`encodes the statuses of ${vector.name} to a list that decodes to the same statuses`, () => {
      const encoded = encodeStatusList(listOf(vector));
      const ours = decodeStatusList(encoded).list;
      const theirs = decodeStatusList({ bits: vector.bits, lst: vector.lst }).list;
      // Buffer.equals: toEqual walks a megabyte element by element.
      expect(Buffer.from(ours.toBytes()).equals(theirs.toBytes())).toBe(true);
    });
  }

  it('adds aggregation_uri when asked', () => {
    expect(
      encodeStatusList(new StatusList(8), { aggregationUri: 'https://example.com/agg' }).aggregation_uri,
    ).toBe('https://example.com/agg');
  });

  it('round-trips through decodeStatusList for every bit size (property)', () => {
    const bitsArb = fc.constantFrom<StatusBits>(1, 2, 4, 8);
    fc.assert(
      fc.property(
        bitsArb,
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 200 }),
        (bits, size, writes) => {
          const list = new StatusList(size, bits);
          for (const [at, status] of writes) list.set(at % size, status % 2 ** bits);
          const decoded = decodeStatusList(encodeStatusList(list)).list;
          expect(decoded.bits).toBe(bits);
          expect(decoded.toBytes()).toEqual(list.toBytes());
          for (let i = 0; i < size; i++)
            if (decoded.get(i) !== list.get(i)) throw new Error(`entry ${i} differs`);
          // Padding entries of the last byte decode as VALID.
          for (let i = size; i < decoded.size; i++) expect(decoded.get(i)).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});
