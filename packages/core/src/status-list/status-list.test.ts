import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTriesteError } from '../errors.js';
import { MAX_STATUS_LIST_SIZE, STATUS, type StatusBits, StatusList } from './status-list.js';

const ALL_BITS: StatusBits[] = [1, 2, 4, 8];

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return isTriesteError(error) ? error.code : `uncoded ${(error as Error).name}`;
  }
  return undefined;
}

describe('StatusList: refuses what it cannot hold', () => {
  it('refuses a bit size other than 1, 2, 4, 8 (a caller bug: TypeError)', () => {
    for (const bits of [0, 3, 5, 16, 1.5, '1'] as unknown[]) {
      expect(() => new StatusList(8, bits as StatusBits)).toThrow(TypeError);
    }
  });

  it('refuses a size that is not an integer from 1 to 2^31', () => {
    for (const size of [0, -1, 1.5, Number.NaN, MAX_STATUS_LIST_SIZE + 1, '8'] as unknown[]) {
      expect(() => new StatusList(size as number, 1)).toThrow(TypeError);
    }
  });

  it('reports an index outside [0, size) as STATUS_INDEX_OUT_OF_RANGE, for get and set', () => {
    const list = new StatusList(10, 2);
    for (const index of [
      -1,
      10,
      11,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 32,
      '1',
      null,
    ] as unknown[]) {
      expect(codeOf(() => list.get(index as number))).toBe('STATUS_INDEX_OUT_OF_RANGE');
      expect(codeOf(() => list.set(index as number, 1))).toBe('STATUS_INDEX_OUT_OF_RANGE');
    }
  });

  it('refuses a status that does not fit in the bit size (TypeError), and leaves the list unchanged', () => {
    for (const bits of ALL_BITS) {
      const list = new StatusList(16, bits);
      for (const status of [-1, 0.5, 2 ** bits, 256, Number.NaN, '1'] as unknown[]) {
        expect(() => list.set(3, status as number)).toThrow(TypeError);
      }
      expect(list.toBytes().every((byte) => byte === 0)).toBe(true);
    }
  });

  it('fromBytes refuses anything but a Uint8Array and a valid bit size', () => {
    expect(() => StatusList.fromBytes([1, 2] as unknown as Uint8Array, 1)).toThrow(TypeError);
    expect(() => StatusList.fromBytes(new Uint8Array(2), 3 as StatusBits)).toThrow(TypeError);
  });
});

describe('StatusList: the draft bit order (§4.1)', () => {
  it('packs the 1-bit example into 0xB9 0xA3: index 0 in the least significant bit of byte 0', () => {
    const list = new StatusList(16, 1);
    for (const [index, status] of [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].entries())
      list.set(index, status);
    expect([...list.toBytes()]).toEqual([0xb9, 0xa3]);
  });

  it('packs the 2-bit example into 0xC9 0x44 0xF9', () => {
    const list = new StatusList(12, 2);
    for (const [index, status] of [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].entries()) list.set(index, status);
    expect([...list.toBytes()]).toEqual([0xc9, 0x44, 0xf9]);
  });

  it('reads single bytes at every bit size the same way', () => {
    const bytes = new Uint8Array([0b1110_0100]);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => StatusList.fromBytes(bytes, 1).get(i))).toEqual([
      0, 0, 1, 0, 0, 1, 1, 1,
    ]);
    expect([0, 1, 2, 3].map((i) => StatusList.fromBytes(bytes, 2).get(i))).toEqual([0, 1, 2, 3]);
    expect([0, 1].map((i) => StatusList.fromBytes(bytes, 4).get(i))).toEqual([0x4, 0xe]);
    expect(StatusList.fromBytes(bytes, 8).get(0)).toBe(0xe4);
  });
});

describe('StatusList: behaviour', () => {
  it('exports the §7.1 status types', () => {
    expect(STATUS).toEqual({ VALID: 0, INVALID: 1, SUSPENDED: 2, APPLICATION_SPECIFIC: 3 });
  });

  it('starts all VALID, sized to whole bytes', () => {
    const list = new StatusList(13, 2);
    expect(list.byteLength).toBe(4);
    expect(list.size).toBe(13);
    expect(list.get(12)).toBe(STATUS.VALID);
  });

  it('overwrites an entry without touching its neighbours', () => {
    const list = new StatusList(4, 2);
    for (let i = 0; i < 4; i++) list.set(i, 3);
    list.set(1, STATUS.INVALID);
    expect([0, 1, 2, 3].map((i) => list.get(i))).toEqual([3, 1, 3, 3]);
    list.set(1, STATUS.VALID);
    expect([0, 1, 2, 3].map((i) => list.get(i))).toEqual([3, 0, 3, 3]);
  });

  it('copies on fromBytes and toBytes, so no caller can change a list behind its back', () => {
    const bytes = new Uint8Array([0xff]);
    const list = StatusList.fromBytes(bytes, 1);
    bytes[0] = 0;
    list.toBytes()[0] = 0;
    expect(list.get(0)).toBe(1);
    expect(list.size).toBe(8);
  });

  it('behaves like an array of numbers for every bit size (property)', () => {
    for (const bits of ALL_BITS) {
      const max = 2 ** bits - 1;
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 200 }),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max })), { maxLength: 300 }),
          (size, writes) => {
            const list = new StatusList(size, bits);
            const model = new Array<number>(size).fill(0);
            for (const [at, status] of writes) {
              list.set(at % size, status);
              model[at % size] = status;
            }
            expect(model.map((_, i) => list.get(i))).toEqual(model);
            expect(StatusList.fromBytes(list.toBytes(), bits).get(size - 1)).toBe(model[size - 1]);
          },
        ),
        { numRuns: 100 },
      );
    }
  });
});
