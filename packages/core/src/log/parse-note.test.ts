import { describe, expect, it } from 'vitest';
import { parseNote, parseSignatureLine } from './parse-note.js';
import { expectCode } from './signed-note.test-util.js';

// golang.org/x/mod/sumdb/note package documentation: the doubly signed PeterNeumann note.
const TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=';
const ENOCH =
  '\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=';
const NOTE = `${TEXT}\n${PETER}\n${ENOCH}\n`;

describe('parseNote (signed-note §Format)', () => {
  it('refuses notes that break the format, with LOG_NOTE_MALFORMED', async () => {
    const bad: Array<[string, string]> = [
      ['no blank line before the signatures', `${TEXT}${PETER}\n`],
      ['no signature at all', `${TEXT}\n`],
      ['signature block not newline-terminated', `${TEXT}\n${PETER}`],
      ['a hyphen instead of an em dash', `${TEXT}\n${PETER.replace('\u2014', '-')}\n`],
      ['no space after the em dash', `${TEXT}\n${PETER.replace('\u2014 ', '\u2014')}\n`],
      ['two spaces before the signature', `${TEXT}\n${PETER.replace('Neumann ', 'Neumann  ')}\n`],
      ['no signature after the name', `${TEXT}\n\u2014 PeterNeumann\n`],
      ['an empty name', `${TEXT}\n\u2014  x08go/ZJk=\n`],
      ['a plus sign in the name', `${TEXT}\n${PETER.replace('PeterNeumann', 'Peter+Neumann')}\n`],
      ['a no-break space in the name', `${TEXT}\n${PETER.replace('PeterNeumann', 'Peter\u00a0Neumann')}\n`],
      ['base64url in the signature', `${TEXT}\n${PETER.replace('/', '_')}\n`],
      ['missing base64 padding', `${TEXT}\n${PETER.slice(0, -1)}\n`],
      ['a signature of only a key ID', `${TEXT}\n\u2014 PeterNeumann x08gow==\n`],
      ['a carriage return', `${TEXT}\n${PETER}\r\n`],
      ['a tab in the text', `If\tyou\n\n${PETER}\n`],
      ['a NUL in the text', `If\u0000you\n\n${PETER}\n`],
      ['a lone high surrogate', `If \ud800 you\n\n${PETER}\n`],
      ['a lone low surrogate', `If \udc00 you\n\n${PETER}\n`],
      ['a high surrogate at the end of a name', `${TEXT}\n${PETER.replace('Neumann', 'Neumann\ud83d')}\n`],
      ['too many signatures', `${TEXT}\n${`${PETER}\n`.repeat(101)}`],
      ['too long', `${'a'.repeat(200 * 1024)}\n\n${PETER}\n`],
    ];
    for (const [why, note] of bad) {
      await expectCode(() => parseNote(note), 'LOG_NOTE_MALFORMED').catch((error) => {
        throw new Error(why, { cause: error });
      });
    }
    // As bytes: invalid UTF-8 is refused before anything else.
    const bytes = Buffer.concat([
      Buffer.from('If you\n'),
      Buffer.from([0xff]),
      Buffer.from(`\n\n${PETER}\n`),
    ]);
    await expectCode(() => parseNote(new Uint8Array(bytes)), 'LOG_NOTE_MALFORMED');
    await expectCode(() => parseNote(new Uint8Array(400 * 1024)), 'LOG_NOTE_MALFORMED');
    expect(() => parseNote(42 as unknown as string)).toThrow(TypeError);
  });

  it('never echoes the note in its messages', () => {
    try {
      parseNote(`secret entry data\n\n\u2014 x !!!\n`);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('splits the golang.org/x/mod/sumdb/note example into its text and two signatures', () => {
    const parsed = parseNote(NOTE);
    expect(parsed.text).toBe(TEXT);
    expect(parsed.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(Buffer.from(parsed.signatures[0]!.keyHash).toString('hex')).toBe('c74f20a3');
    expect(parsed.signatures[0]!.signature).toHaveLength(64);
    expect(parsed.signatures[1]!.line).toBe(ENOCH);
    expect(parseNote(new TextEncoder().encode(NOTE))).toEqual(parsed);
  });

  it('separates the text at the last blank line, so the text may contain blank lines', () => {
    // c2sp.org/signed-note, the example at the top of the spec (its text has an empty line).
    const note =
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n' +
      '\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n';
    const parsed = parseNote(note);
    expect(parsed.text).toBe(
      'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n',
    );
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]!.name).toBe('quasimodo.example/salvatore');
    // A blank line inside a signature block makes the lines above it part of the text.
    expect(parseNote(`${TEXT}\n${PETER}\n\n${ENOCH}\n`).text).toBe(`${TEXT}\n${PETER}\n`);
    // A text that itself ends in a blank line.
    expect(parseNote(`a\n\n\n${PETER}\n`).text).toBe('a\n\n');
  });

  it('accepts names with any non-space, non-plus characters', () => {
    expect(parseSignatureLine(PETER.replace('PeterNeumann', 'é/日本/oid/1.2.3')).name).toBe(
      'é/日本/oid/1.2.3',
    );
    expect(parseSignatureLine(PETER.replace('PeterNeumann', 'log/\u{1f50f}')).name).toBe('log/\u{1f50f}');
    expect(parseNote(`\u{1f50f} entries\n\n${PETER}\n`).text).toBe('\u{1f50f} entries\n');
    expect(() => parseSignatureLine(1 as unknown as string)).toThrow(TypeError);
    expect(() => parseSignatureLine(`${PETER}${'A'.repeat(200 * 1024)}`)).toThrow(
      expect.objectContaining({ code: 'LOG_NOTE_MALFORMED' }),
    );
  });
});
