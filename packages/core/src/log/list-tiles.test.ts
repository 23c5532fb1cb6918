import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type TileId, tilesForTreeSize } from './list-tiles.js';

const key = ({ level, index, width }: TileId) => `${level}/${index}/${width}`;

describe('tilesForTreeSize (c2sp.org/tlog-tiles, Partial Tiles)', () => {
  it('refuses sizes that are not safe integers, and a previous size above the size, as caller bugs', () => {
    expect(() => tilesForTreeSize(-1)).toThrow(TypeError);
    expect(() => tilesForTreeSize(1.5)).toThrow(TypeError);
    expect(() => tilesForTreeSize(5, 6)).toThrow(TypeError);
  });

  it('has no tiles for the empty tree', () => {
    expect(tilesForTreeSize(0)).toEqual([]);
  });

  it('matches the spec: 256 is a full level 0 tile and a partial level 1 tile of width 1', () => {
    expect(tilesForTreeSize(256)).toEqual([
      { level: 0, index: 0, width: 256 },
      { level: 1, index: 0, width: 1 },
    ]);
  });

  it('matches the spec: 70,000 is 273 full level 0 tiles, one of width 112, one full level 1 tile, one of width 17, one level 2 tile of width 1', () => {
    const tiles = tilesForTreeSize(70_000);
    const level0 = tiles.filter((t) => t.level === 0);
    expect(level0.filter((t) => t.width === 256).length).toBe(273);
    expect(level0.filter((t) => t.width !== 256)).toEqual([{ level: 0, index: 273, width: 112 }]);
    expect(tiles.filter((t) => t.level === 1)).toEqual([
      { level: 1, index: 0, width: 256 },
      { level: 1, index: 1, width: 17 },
    ]);
    expect(tiles.filter((t) => t.level === 2)).toEqual([{ level: 2, index: 0, width: 1 }]);
    expect(tiles.length).toBe(273 + 1 + 2 + 1);
  });

  it('with a previous size, lists exactly the tiles the new size has and the old one lacks', () => {
    fc.assert(
      fc.property(fc.nat(200_000), fc.nat(200_000), (a, b) => {
        const [previous, size] = a <= b ? [a, b] : [b, a];
        const before = new Set(tilesForTreeSize(previous).map(key));
        const expected = tilesForTreeSize(size).filter((t) => !before.has(key(t)));
        expect(tilesForTreeSize(size, previous)).toEqual(expected);
      }),
    );
    expect(tilesForTreeSize(300, 300)).toEqual([]);
  });

  it('handles the largest safe sizes', () => {
    const size = Number.MAX_SAFE_INTEGER;
    const tiles = tilesForTreeSize(size, size - 70_000);
    expect(tiles.every((t) => Number.isSafeInteger(t.index) && t.width >= 1 && t.width <= 256)).toBe(true);
    expect(tiles.filter((t) => t.width < 256)).toEqual(
      [0, 1, 2].map((level) => ({
        level,
        index: Math.floor(size / 256 ** (level + 1)),
        width: Math.floor(size / 256 ** level) % 256,
      })),
    );
  });
});
