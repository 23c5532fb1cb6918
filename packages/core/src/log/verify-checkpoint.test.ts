import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignCheckpoint } from './cosignature.js';
import { signNote } from './sign-note.js';
import {
  expectCode,
  hasher,
  independentVerify,
  newSigner,
  PETER_NEUMANN_NOTE,
  PETER_NEUMANN_VKEY,
  PORTS,
  tamperSignature,
} from './signed-note.test-util.js';
import { formatVerifierKey, signerVerifierKey } from './verifier-key.js';
import { type CheckpointPolicy, COSIGNATURE_CLOCK_SKEW, verifyCheckpoint } from './verify-checkpoint.js';

const ORIGIN = 'example.com/log';
const NOW = 1700000000;
const log = newSigner();
const logKey = signerVerifierKey(hasher, ORIGIN, log);
const witnesses = ['w1.example', 'w2.example', 'w3.example'].map((name) => {
  const signer = newSigner();
  return { name, signer, vkey: signerVerifierKey(hasher, name, signer, 'cosignature') };
});
const witnessKeys = witnesses.map((w) => w.vkey);
const TEXT = formatCheckpoint({ origin: ORIGIN, size: 5, rootHash: new Uint8Array(32).fill(1) });

async function checkpointNote(text = TEXT, cosigners = witnesses, timestamp = NOW): Promise<string> {
  const note = await signNote(text, [{ name: ORIGIN, signer: log }], hasher);
  const lines = await Promise.all(cosigners.map((w) => cosignCheckpoint(text, w, timestamp, hasher)));
  return note + lines.map((line) => `${line}\n`).join('');
}

describe.each(PORTS)('verifyCheckpoint with %s', (_port, crypto) => {
  const ctx = { crypto };
  const policy: CheckpointPolicy = { logKey, witnesses: witnessKeys, quorum: 2 };

  it('refuses a note that does not parse, or whose text is not a checkpoint', async () => {
    const note = await checkpointNote();
    await expectCode(verifyCheckpoint(note.replace('\n\n', '\n'), policy, ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyCheckpoint(note.replace('\n5\n', '\n05\n'), policy, ctx), 'LOG_NOTE_MALFORMED');
    const notCheckpoint = await signNote('hello\n', [{ name: ORIGIN, signer: log }], hasher);
    await expectCode(verifyCheckpoint(notCheckpoint, { logKey }, ctx), 'LOG_NOTE_MALFORMED');
  });

  it('refuses a checkpoint of another origin', async () => {
    const text = formatCheckpoint({ origin: 'example.com/other', size: 5, rootHash: new Uint8Array(32) });
    const note = await signNote(text, [{ name: ORIGIN, signer: log }], hasher);
    await expectCode(verifyCheckpoint(note, { logKey }, ctx), 'LOG_NOTE_UNVERIFIED');
    const ok = await checkpointNote();
    await expectCode(
      verifyCheckpoint(ok, { logKey, origin: 'example.com/other' }, ctx),
      'LOG_NOTE_UNVERIFIED',
    );
  });

  it('refuses a checkpoint without a valid log signature, however many witnesses cosigned', async () => {
    const note = await checkpointNote();
    const withoutLog = note.replace(/\u2014 example\.com\/log [^\n]*\n/, '');
    await expectCode(verifyCheckpoint(withoutLog, policy, ctx), 'LOG_NOTE_UNVERIFIED');
    await expectCode(verifyCheckpoint(tamperSignature(note, 0), policy, ctx), 'LOG_NOTE_UNVERIFIED');
    await expectCode(verifyCheckpoint(note.replace('AQEB', 'AQEC'), policy, ctx), 'LOG_NOTE_UNVERIFIED');
    const wrongLog = signerVerifierKey(hasher, ORIGIN, newSigner());
    await expectCode(verifyCheckpoint(note, { ...policy, logKey: wrongLog }, ctx), 'LOG_NOTE_UNVERIFIED');
    await expectCode(
      verifyCheckpoint(PETER_NEUMANN_NOTE, { logKey: PETER_NEUMANN_VKEY }, ctx),
      'LOG_NOTE_MALFORMED',
    );
  });

  it('refuses a checkpoint whose known witness cosignature fails, or appears twice', async () => {
    const note = await checkpointNote();
    await expectCode(verifyCheckpoint(tamperSignature(note, 2), policy, ctx), 'LOG_NOTE_UNVERIFIED');
    const duplicated = `${note}${await cosignCheckpoint(TEXT, witnesses[0]!, NOW + 1, hasher)}\n`;
    await expectCode(verifyCheckpoint(duplicated, policy, ctx), 'LOG_NOTE_MALFORMED');
  });

  it('refuses fewer than k of n valid witness cosignatures', async () => {
    const one = await checkpointNote(TEXT, witnesses.slice(0, 1));
    await expectCode(verifyCheckpoint(one, policy, ctx), 'LOG_WITNESS_QUORUM');
    const two = await checkpointNote(TEXT, witnesses.slice(1));
    await expectCode(verifyCheckpoint(two, { logKey, witnesses: witnessKeys }, ctx), 'LOG_WITNESS_QUORUM');
    // Cosignatures by witnesses outside the policy do not count.
    const strangers = [newSigner(), newSigner()].map((signer, i) => ({ name: `s${i}.example`, signer }));
    const byStrangers = await checkpointNote(TEXT, strangers);
    await expectCode(verifyCheckpoint(byStrangers, policy, ctx), 'LOG_WITNESS_QUORUM');
    // A witness's Ed25519 (0x01) signature is not a cosignature.
    const plain = await signNote(TEXT, [{ name: ORIGIN, signer: log }, witnesses[0]!, witnesses[1]!], hasher);
    await expectCode(verifyCheckpoint(plain, policy, ctx), 'LOG_WITNESS_QUORUM');
  });

  it('counts one witness key once, whatever names it is listed under', async () => {
    // The Ed25519 cosigned message does not commit to the witness name, so the same signature
    // relabelled with the second name and its key ID verifies too: it must not count twice.
    const w = witnesses[0]!;
    const alias = { name: 'alias.example', signer: w.signer };
    const aliasKey = signerVerifierKey(hasher, alias.name, w.signer, 'cosignature');
    const note = await checkpointNote(TEXT, [w, alias]);
    await expect(
      verifyCheckpoint(note, { logKey, witnesses: [w.vkey, aliasKey], quorum: 2 }, ctx),
    ).rejects.toThrow(TypeError);
    const result = await verifyCheckpoint(note, { logKey, witnesses: [w.vkey, aliasKey], quorum: 1 }, ctx);
    expect(result.cosignedBy).toEqual(['w1.example']);
  });

  it('does not count cosignatures dated in the future when given the time', async () => {
    const future = await checkpointNote(TEXT, witnesses, NOW + COSIGNATURE_CLOCK_SKEW + 1);
    await expectCode(verifyCheckpoint(future, { ...policy, now: NOW }, ctx), 'LOG_WITNESS_QUORUM');
    const skewed = await checkpointNote(TEXT, witnesses, NOW + COSIGNATURE_CLOCK_SKEW);
    expect((await verifyCheckpoint(skewed, { ...policy, now: NOW }, ctx)).cosignedBy).toHaveLength(3);
  });

  it('refuses a policy that cannot be met or is not one, as a caller bug', async () => {
    const note = await checkpointNote();
    for (const quorum of [-1, 4, 1.5]) {
      await expect(verifyCheckpoint(note, { ...policy, quorum }, ctx)).rejects.toThrow(TypeError);
    }
    await expect(verifyCheckpoint(note, { ...policy, now: Number.NaN }, ctx)).rejects.toThrow(TypeError);
    await expect(verifyCheckpoint(note, { ...policy, origin: '' }, ctx)).rejects.toThrow(TypeError);
    await expect(verifyCheckpoint(note, null as unknown as CheckpointPolicy, ctx)).rejects.toThrow(TypeError);
    await expect(verifyCheckpoint(note, policy, {} as typeof ctx)).rejects.toThrow(TypeError);
    // A witness key that is the log's own key: a log cannot witness itself.
    const logAsWitness = signerVerifierKey(hasher, 'self.example', log, 'cosignature');
    await expect(verifyCheckpoint(note, { logKey, witnesses: [logAsWitness] }, ctx)).rejects.toThrow(
      TypeError,
    );
    // Witness keys must be cosignature/v1 keys; malformed keys are LOG_NOTE_MALFORMED.
    await expectCode(verifyCheckpoint(note, { logKey, witnesses: [logKey] }, ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyCheckpoint(note, { logKey: 'nonsense' }, ctx), 'LOG_NOTE_MALFORMED');
  });

  it('accepts k of n, ignores unknown signature lines and reports who cosigned when', async () => {
    const stranger = { name: 'stranger.example', signer: newSigner() };
    const note = await checkpointNote(TEXT, [witnesses[2]!, stranger, witnesses[0]!]);
    const result = await verifyCheckpoint(note, { ...policy, now: NOW }, ctx);
    expect(result.checkpoint).toEqual({
      origin: ORIGIN,
      size: 5,
      rootHash: new Uint8Array(32).fill(1),
      extensions: [],
    });
    expect(result.cosignedBy).toEqual(['w3.example', 'w1.example']);
    expect(result.cosignatures).toEqual([
      { name: 'w3.example', timestamp: NOW },
      { name: 'w1.example', timestamp: NOW },
    ]);
    // With no witnesses configured, the log's signature suffices.
    expect((await verifyCheckpoint(note, { logKey }, ctx)).cosignedBy).toEqual([]);
    // And an independent verifier written from the specs agrees.
    expect(independentVerify(note, [logKey, ...witnessKeys])).toEqual([ORIGIN, 'w3.example', 'w1.example']);
  });

  it('accepts a log that signs its checkpoints with a cosignature/v1 key', async () => {
    const cosigningLog = newSigner();
    const line = await cosignCheckpoint(TEXT, { name: ORIGIN, signer: cosigningLog }, NOW, hasher);
    const key = formatVerifierKey(
      hasher,
      ORIGIN,
      new Uint8Array(Buffer.from(cosigningLog.publicJwk.x, 'base64url')),
      'cosignature',
    );
    expect((await verifyCheckpoint(`${TEXT}\n${line}\n`, { logKey: key }, ctx)).checkpoint.size).toBe(5);
  });
});
