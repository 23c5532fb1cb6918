import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignCheckpoint } from './cosignature.js';
import { parseNote } from './parse-note.js';
import { signNote } from './sign-note.js';
import {
  ENOCH_ROOT_LINE,
  expectCode,
  hasher,
  independentVerify,
  newSigner,
  PETER_NEUMANN_NOTE,
  PETER_NEUMANN_TEXT,
  PETER_NEUMANN_VKEY,
  PORTS,
  publicKeyOf,
  tamperSignature,
} from './signed-note.test-util.js';
import { parseVerifierKey, signerVerifierKey } from './verifier-key.js';
import { checkNoteSignatures, verifyNote } from './verify-note.js';

describe.each(PORTS)('verifyNote with %s', (_port, crypto) => {
  const ctx = { crypto };
  const log = newSigner();
  const other = newSigner();
  const logKey = signerVerifierKey(hasher, 'example.com/log', log);
  const otherKey = signerVerifierKey(hasher, 'other.example', other);
  const sign = (text: string, ...signers: Array<[string, typeof log]>) =>
    signNote(
      text,
      signers.map(([name, signer]) => ({ name, signer })),
      hasher,
    );

  it('refuses a malformed note or verifier key, and an empty key list', async () => {
    await expectCode(verifyNote('text\n\u2014 x AAAAAA==\n', [logKey], ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyNote(PETER_NEUMANN_NOTE, ['PeterNeumann+c74f20a3'], ctx), 'LOG_NOTE_MALFORMED');
    await expect(verifyNote(PETER_NEUMANN_NOTE, [], ctx)).rejects.toThrow(TypeError);
  });

  it('refuses a note signed only by unknown keys', async () => {
    const note = await sign('hello\n', ['other.example', other]);
    await expectCode(verifyNote(note, [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
    // The golang.org/x/mod/sumdb/note example, offered to a verifier that knows another key.
    await expectCode(verifyNote(PETER_NEUMANN_NOTE, [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
  });

  it('ignores a signature that shares only the name, or only the key ID, with a known key', async () => {
    // Same name, another key: a different key ID, so an unknown key.
    const sameName = await sign('hello\n', ['example.com/log', other]);
    await expectCode(verifyNote(sameName, [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
    // The log's key ID under another name.
    const good = await sign('hello\n', ['example.com/log', log]);
    const renamed = good.replace('\u2014 example.com/log ', '\u2014 example.com/other ');
    await expectCode(verifyNote(renamed, [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
  });

  it('refuses a tampered text or signature', async () => {
    const note = await sign('size 10\n', ['example.com/log', log]);
    await expectCode(verifyNote(note.replace('10', '11'), [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
    await expectCode(verifyNote(tamperSignature(note), [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
    await expectCode(
      verifyNote(tamperSignature(PETER_NEUMANN_NOTE), [PETER_NEUMANN_VKEY], ctx),
      'LOG_NOTE_UNVERIFIED',
    );
  });

  it('refuses the whole note when one known signature fails, even if another verifies', async () => {
    const note = await sign('hello\n', ['example.com/log', log], ['other.example', other]);
    await expectCode(verifyNote(tamperSignature(note, 1), [logKey, otherKey], ctx), 'LOG_NOTE_UNVERIFIED');
    // Not known, not checked: the same tampered line is ignored by a verifier without that key.
    expect((await verifyNote(tamperSignature(note, 1), [logKey], ctx)).verified).toEqual(['example.com/log']);
  });

  it('refuses a known key signature of the wrong length', async () => {
    const note = await sign('hello\n', ['example.com/log', log]);
    const line = parseNote(note).signatures[0]!;
    const longer = Buffer.concat([Buffer.from(line.keyHash), Buffer.from(line.signature), Buffer.from([0])]);
    const forged = `hello\n\n\u2014 example.com/log ${longer.toString('base64')}\n`;
    await expectCode(verifyNote(forged, [logKey], ctx), 'LOG_NOTE_UNVERIFIED');
  });

  it('refuses two signature lines by one known key, and ignores repeated unknown ones', async () => {
    const note = await sign('hello\n', ['example.com/log', log], ['other.example', other]);
    const [logLine, otherLine] = note.slice(note.lastIndexOf('\n\n') + 2, -1).split('\n');
    await expectCode(verifyNote(`${note}${logLine}\n`, [logKey], ctx), 'LOG_NOTE_MALFORMED');
    const repeatedUnknown = `${note}${otherLine}\n`;
    expect((await verifyNote(repeatedUnknown, [logKey], ctx)).verified).toEqual(['example.com/log']);
  });

  it('verifies the golang.org/x/mod/sumdb/note example, alone and re-signed by an unknown key', async () => {
    expect(await verifyNote(PETER_NEUMANN_NOTE, [PETER_NEUMANN_VKEY], ctx)).toEqual({
      text: PETER_NEUMANN_TEXT,
      verified: ['PeterNeumann'],
      signatures: [{ name: 'PeterNeumann', vkey: PETER_NEUMANN_VKEY, type: 'ed25519' }],
    });
    const doubly = `${PETER_NEUMANN_NOTE}${ENOCH_ROOT_LINE}\n`;
    expect((await verifyNote(doubly, [PETER_NEUMANN_VKEY, logKey], ctx)).verified).toEqual(['PeterNeumann']);
    expect((await verifyNote(new TextEncoder().encode(doubly), [PETER_NEUMANN_VKEY], ctx)).text).toBe(
      PETER_NEUMANN_TEXT,
    );
  });

  it('verifies our notes, and so does an independent verifier written from the spec', async () => {
    const text = 'Trieste\n\nnote with a blank line and ünïcödé\n';
    const note = await sign(text, ['example.com/log', log], ['other.example', other]);
    const result = await verifyNote(note, [otherKey, logKey], ctx);
    expect(result).toMatchObject({ text, verified: ['example.com/log', 'other.example'] });
    expect(independentVerify(note, [logKey, otherKey])).toEqual(['example.com/log', 'other.example']);
  });

  it('verifies a cosignature/v1 line with a witness key and reports its timestamp', async () => {
    const witness = newSigner();
    const witnessKey = signerVerifierKey(hasher, 'witness.example', witness, 'cosignature');
    const text = formatCheckpoint({ origin: 'example.com/log', size: 3, rootHash: new Uint8Array(32) });
    const note = await sign(text, ['example.com/log', log]);
    const line = await cosignCheckpoint(
      text,
      { name: 'witness.example', signer: witness },
      1700000000,
      hasher,
    );
    const result = await verifyNote(`${note}${line}\n`, [logKey, witnessKey], ctx);
    expect(result.signatures).toEqual([
      { name: 'example.com/log', vkey: logKey, type: 'ed25519' },
      { name: 'witness.example', vkey: witnessKey, type: 'cosignature', timestamp: 1700000000 },
    ]);
    // An Ed25519 (0x01) key for the same witness key pair has another key ID: not a match.
    const plainKey = signerVerifierKey(hasher, 'witness.example', witness);
    await expectCode(verifyNote(`${text}\n${line}\n`, [plainKey], ctx), 'LOG_NOTE_UNVERIFIED');
  });
});

describe('checkNoteSignatures', () => {
  it('refuses two configured keys with one name and key ID (a 32-bit collision)', async () => {
    const a = parseVerifierKey(hasher, signerVerifierKey(hasher, 'k', newSigner()));
    const b = { ...a, publicKey: publicKeyOf(newSigner()) };
    await expectCode(
      checkNoteSignatures(parseNote(PETER_NEUMANN_NOTE), [a, b], hasher),
      'LOG_NOTE_MALFORMED',
    );
    const c = { ...a, publicKey: a.publicKey.subarray(1) };
    await expectCode(
      checkNoteSignatures(parseNote(PETER_NEUMANN_NOTE), [a, c], hasher),
      'LOG_NOTE_MALFORMED',
    );
    // The same key twice is no ambiguity.
    await expect(checkNoteSignatures(parseNote(PETER_NEUMANN_NOTE), [a, { ...a }], hasher)).resolves.toEqual(
      [],
    );
  });
});
