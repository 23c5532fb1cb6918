import { describe, expect, it } from 'vitest';
import { parseNote } from './parse-note.js';
import { signNote } from './sign-note.js';
import {
  hasher,
  newSigner,
  PETER_NEUMANN_NOTE,
  PETER_NEUMANN_TEXT,
  peterNeumann,
} from './signed-note.test-util.js';

describe('signNote', () => {
  it('refuses what would not be a valid note, as caller bugs', async () => {
    const signer = newSigner();
    for (const text of ['no final newline', 'tab\there\n', 'cr\r\n', `${'a'.repeat(200 * 1024)}\n`]) {
      await expect(signNote(text, [{ name: 'a', signer }], hasher)).rejects.toThrow(TypeError);
    }
    for (const name of ['', 'a b', 'a+b', 'a\u2003b']) {
      await expect(signNote('x\n', [{ name, signer }], hasher)).rejects.toThrow(TypeError);
    }
    await expect(signNote('x\n', [], hasher)).rejects.toThrow(TypeError);
    await expect(
      signNote(
        'x\n',
        [
          { name: 'a', signer },
          { name: 'a', signer },
        ],
        hasher,
      ),
    ).rejects.toThrow(TypeError);
    const ec = { ...signer, alg: 'ES256' as const };
    await expect(signNote('x\n', [{ name: 'a', signer: ec }], hasher)).rejects.toThrow(TypeError);
    const badKey = { ...signer, publicJwk: { ...signer.publicJwk, x: 'AAAA' } };
    await expect(signNote('x\n', [{ name: 'a', signer: badKey }], hasher)).rejects.toThrow(TypeError);
    const short = { ...signer, sign: async () => new Uint8Array(63) };
    await expect(signNote('x\n', [{ name: 'a', signer: short }], hasher)).rejects.toThrow(TypeError);
  });

  it('reproduces the golang.org/x/mod/sumdb/note example byte for byte', async () => {
    expect(
      await signNote(PETER_NEUMANN_TEXT, [{ name: 'PeterNeumann', signer: peterNeumann() }], hasher),
    ).toBe(PETER_NEUMANN_NOTE);
  });

  it('writes one line per signer, in order, after a blank line', async () => {
    const note = await signNote(
      'a\n\nb\n',
      [
        { name: 'one.example', signer: newSigner() },
        { name: 'two.example', signer: newSigner() },
      ],
      hasher,
    );
    const parsed = parseNote(note);
    expect(parsed.text).toBe('a\n\nb\n');
    expect(parsed.signatures.map((s) => s.name)).toEqual(['one.example', 'two.example']);
  });
});
