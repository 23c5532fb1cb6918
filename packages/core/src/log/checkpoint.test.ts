import { describe, expect, it } from 'vitest';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.js';
import { expectCode } from './signed-note.test-util.js';

// c2sp.org/tlog-checkpoint, the example at the top of the spec (its note text).
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const ROOT = 'CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=';

describe('parseCheckpoint (tlog-checkpoint §Note text)', () => {
  it('refuses texts that are not checkpoints, with LOG_NOTE_MALFORMED', async () => {
    const bad: Array<[string, string]> = [
      ['fewer than three lines', `example.com/log\n1\n`],
      ['no final newline', `example.com/log\n1\n${ROOT}`],
      ['an empty origin', `\n1\n${ROOT}\n`],
      ['an empty extension line', `example.com/log\n1\n${ROOT}\n\n`],
      ['an empty line between extensions', `example.com/log\n1\n${ROOT}\next\n\nmore\n`],
      ['a size with a leading zero', `example.com/log\n01\n${ROOT}\n`],
      ['a size of 00', `example.com/log\n00\n${ROOT}\n`],
      ['a negative size', `example.com/log\n-1\n${ROOT}\n`],
      ['a size with a plus sign', `example.com/log\n+1\n${ROOT}\n`],
      ['a size with a space', `example.com/log\n 1\n${ROOT}\n`],
      ['a hexadecimal size', `example.com/log\n0x10\n${ROOT}\n`],
      ['a fractional size', `example.com/log\n1.5\n${ROOT}\n`],
      ['a size in exponent form', `example.com/log\n1e3\n${ROOT}\n`],
      ['a size beyond 2^53 - 1', `example.com/log\n9007199254740992\n${ROOT}\n`],
      ['a size beyond uint64', `example.com/log\n99999999999999999999\n${ROOT}\n`],
      ['a root of 31 bytes', `example.com/log\n1\n${Buffer.alloc(31).toString('base64')}\n`],
      ['a root of 33 bytes', `example.com/log\n1\n${Buffer.alloc(33).toString('base64')}\n`],
      ['a root in base64url', `example.com/log\n1\n${Buffer.alloc(32, 0xfb).toString('base64url')}\n`],
      ['a root without padding', `example.com/log\n1\n${ROOT.slice(0, -1)}\n`],
      ['a control character', `example.com/log\n1\n${ROOT}\next\u0007\n`],
      ['too long', `example.com/log\n1\n${ROOT}\n${'x'.repeat(200 * 1024)}\n`],
    ];
    for (const [why, text] of bad) {
      await expectCode(() => parseCheckpoint(text), 'LOG_NOTE_MALFORMED').catch((error) => {
        throw new Error(why, { cause: error });
      });
    }
    expect(() => parseCheckpoint(undefined as unknown as string)).toThrow(TypeError);
  });

  it('parses the tlog-checkpoint example', () => {
    const checkpoint = parseCheckpoint(SPEC_TEXT);
    expect(checkpoint).toMatchObject({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
      extensions: [],
    });
    expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(ROOT);
  });

  it('keeps extension lines and allows any origin text (clients MUST NOT assume it is a URL)', () => {
    const text = `a log with spaces+plus\n0\n${ROOT}\nextension one\nextension two\n`;
    expect(parseCheckpoint(text)).toMatchObject({
      origin: 'a log with spaces+plus',
      size: 0,
      extensions: ['extension one', 'extension two'],
    });
    expect(parseCheckpoint(`o\n9007199254740991\n${ROOT}\n`).size).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('formatCheckpoint', () => {
  it('reproduces the tlog-checkpoint example and round-trips with extensions', () => {
    const rootHash = new Uint8Array(Buffer.from(ROOT, 'base64'));
    expect(formatCheckpoint({ origin: 'example.com/behind-the-sofa', size: 20852163, rootHash })).toBe(
      SPEC_TEXT,
    );
    const text = formatCheckpoint({ origin: 'example.com/log', size: 0, rootHash, extensions: ['x y'] });
    expect(parseCheckpoint(text)).toEqual({
      origin: 'example.com/log',
      size: 0,
      rootHash,
      extensions: ['x y'],
    });
  });

  it('refuses what would not parse, as caller bugs', () => {
    const rootHash = new Uint8Array(32);
    const bad = [
      { origin: '', size: 1, rootHash },
      { origin: 'a\nb', size: 1, rootHash },
      { origin: 'a\u0001', size: 1, rootHash },
      { origin: 'a', size: -1, rootHash },
      { origin: 'a', size: 1.5, rootHash },
      { origin: 'a', size: 2 ** 53, rootHash },
      { origin: 'a', size: 1, rootHash: new Uint8Array(31) },
      { origin: 'a', size: 1, rootHash, extensions: [''] },
      { origin: 'a', size: 1, rootHash, extensions: ['a\nb'] },
    ];
    for (const input of bad) expect(() => formatCheckpoint(input), JSON.stringify(input)).toThrow(TypeError);
  });
});
