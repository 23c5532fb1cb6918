import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryBundlePath, tilePath } from './format-tile-path.js';
import { parseTilePath } from './parse-tile-path.js';

const malformed = expect.objectContaining({ name: 'TriesteError', code: 'MALFORMED' });

describe('parseTilePath', () => {
  it.each([
    '',
    'tile/0',
    'tile/0/',
    '/tile/0/000',
    'tile/0/000/',
    'tiles/0/000',
    'tile/00/000',
    'tile/01/000',
    'tile/64/000',
    'tile/-1/000',
    'tile/8/0/000',
    'tile/0/00',
    'tile/0/0000',
    'tile/0/x000/001', // a second spelling of 001
    'tile/0/x001',
    'tile/0/001/x234',
    'tile/0/x1/000',
    'tile/0/X001/000',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/08',
    'tile/0/000.p/',
    'tile/0/000.p',
    'tile/0/000.p/1/',
    'tile/0/000.q/1',
    'tile/Entries/000',
    'tile/entries/000.p/999',
    'tile/data/000',
    'tile/0/x001/x002/x003/x004/x005/x006/007', // beyond 2^53
    `tile/0/${'x001/'.repeat(20)}000`,
    'tile/0/０００',
    'tile/0/000\n',
    'tile/0/..%2f000',
  ])('refuses %j with MALFORMED', (path) => {
    expect(() => parseTilePath(path)).toThrow(malformed);
  });

  it('refuses a value that is not a string with MALFORMED', () => {
    expect(() => parseTilePath(42 as unknown as string)).toThrow(malformed);
  });

  it('parses the spec examples', () => {
    expect(parseTilePath('tile/0/x001/x234/067')).toEqual({
      kind: 'hash',
      level: 0,
      index: 1234067,
      width: 256,
    });
    expect(parseTilePath('tile/2/x001/x234/067.p/8')).toEqual({
      kind: 'hash',
      level: 2,
      index: 1234067,
      width: 8,
    });
    expect(parseTilePath('tile/63/000')).toEqual({ kind: 'hash', level: 63, index: 0, width: 256 });
    expect(parseTilePath('tile/entries/x001/000.p/255')).toEqual({
      kind: 'entries',
      index: 1000,
      width: 255,
    });
  });

  it('reads back exactly what tilePath and entryBundlePath write', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 63 }),
        fc.oneof(fc.nat(2000), fc.maxSafeNat()),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          expect(parseTilePath(tilePath(level, index, width))).toEqual({ kind: 'hash', level, index, width });
          expect(parseTilePath(entryBundlePath(index, width))).toEqual({ kind: 'entries', index, width });
        },
      ),
    );
  });
});
