import { describe, expect, it } from 'vitest';
import { entryBundlePath, TILE_HEIGHT, TILE_WIDTH, tilePath } from './format-tile-path.js';

describe('tilePath and entryBundlePath (c2sp.org/tlog-tiles)', () => {
  it('refuses levels, indices and widths the spec does not allow, as caller bugs', () => {
    for (const level of [-1, 64, 1.5, Number.NaN]) expect(() => tilePath(level, 0)).toThrow(TypeError);
    for (const index of [-1, 0.5, 2 ** 53]) {
      expect(() => tilePath(0, index)).toThrow(TypeError);
      expect(() => entryBundlePath(index)).toThrow(TypeError);
    }
    for (const width of [0, 257, 2.5]) {
      expect(() => tilePath(0, 0, width)).toThrow(TypeError);
      expect(() => entryBundlePath(0, width)).toThrow(TypeError);
    }
  });

  it('has tiles of height 8 and width 256', () => {
    expect(TILE_HEIGHT).toBe(8);
    expect(TILE_WIDTH).toBe(2 ** TILE_HEIGHT);
  });

  it('encodes the index in 3-digit elements, all but the last prefixed with x: 1234067 → x001/x234/067', () => {
    expect(tilePath(0, 1234067)).toBe('tile/0/x001/x234/067');
    expect(tilePath(1, 0)).toBe('tile/1/000');
    expect(tilePath(2, 5)).toBe('tile/2/005');
    expect(tilePath(0, 999)).toBe('tile/0/999');
    expect(tilePath(0, 1000)).toBe('tile/0/x001/000');
    expect(tilePath(63, 1_000_000)).toBe('tile/63/x001/x000/000');
    expect(tilePath(0, Number.MAX_SAFE_INTEGER)).toBe('tile/0/x009/x007/x199/x254/x740/991');
  });

  it('adds .p/<W> for a partial tile only, without leading zeroes', () => {
    expect(tilePath(0, 1234067, 8)).toBe('tile/0/x001/x234/067.p/8');
    expect(tilePath(1, 3, 255)).toBe('tile/1/003.p/255');
    expect(tilePath(1, 3, 256)).toBe('tile/1/003');
    // The tessera layout example: EntriesPath(1234067, 8).
    expect(entryBundlePath(1234067, 8)).toBe('tile/entries/x001/x234/067.p/8');
    expect(entryBundlePath(0)).toBe('tile/entries/000');
    expect(entryBundlePath(7, 1)).toBe('tile/entries/007.p/1');
  });
});
