import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignatureMessage, cosignCheckpoint, verifyCosignature } from './cosignature.js';
import { parseNote, parseSignatureLine } from './parse-note.js';
import { expectCode, hasher, newSigner, PORTS, publicKeyOf } from './signed-note.test-util.js';
import { noteKeyHash, signerVerifierKey } from './verifier-key.js';

// c2sp.org/tlog-cosignature, the example at the top of the spec and in §Ed25519 signed message:
// a checkpoint cosigned by witness.example.com/w1 at time 1679315147 (the spec publishes no key).
const SPEC_TEXT = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
const SPEC_NOTE =
  `${SPEC_TEXT}\n` +
  '\u2014 example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n' +
  '\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n';

const TEXT = formatCheckpoint({ origin: 'example.com/log', size: 42, rootHash: new Uint8Array(32).fill(7) });
const NOW = 1700000000;

describe('cosignatureMessage (tlog-cosignature §Ed25519 signed message)', () => {
  it('is the header line, the time line and the checkpoint, as in the spec example', () => {
    expect(new TextDecoder().decode(cosignatureMessage(SPEC_TEXT, 1679315147))).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it('matches the spec example cosignature layout: key ID, 8-byte big-endian timestamp, 64-byte signature', () => {
    const line = parseNote(SPEC_NOTE).signatures[1]!;
    expect(line.name).toBe('witness.example.com/w1');
    expect(line.signature).toHaveLength(72);
    expect(Buffer.from(line.signature).readBigUInt64BE(0)).toBe(1679315147n);
  });
});

describe.each(PORTS)('verifyCosignature with %s', (_port, crypto) => {
  const ctx = { crypto };
  const witness = newSigner();
  const name = 'witness.example/w1';
  const vkey = signerVerifierKey(hasher, name, witness, 'cosignature');

  it('refuses a text that is not a checkpoint, a malformed line and a key that is not 0x04', async () => {
    const line = await cosignCheckpoint(TEXT, { name, signer: witness }, NOW, hasher);
    await expectCode(verifyCosignature('not\na checkpoint\n', line, vkey, ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyCosignature(TEXT, line.replace('\u2014', '-'), vkey, ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyCosignature(TEXT, `${line}\n`, vkey, ctx), 'LOG_NOTE_MALFORMED');
    const plain = signerVerifierKey(hasher, name, witness);
    await expectCode(verifyCosignature(TEXT, line, plain, ctx), 'LOG_NOTE_MALFORMED');
    await expectCode(verifyCosignature(TEXT, line, 'witness+00000000+BA==', ctx), 'LOG_NOTE_MALFORMED');
  });

  it('refuses a cosignature with a tampered timestamp', async () => {
    const line = await cosignCheckpoint(TEXT, { name, signer: witness }, NOW, hasher);
    const parsed = parseSignatureLine(line);
    const bytes = Buffer.concat([Buffer.from(parsed.keyHash), Buffer.from(parsed.signature)]);
    bytes.writeBigUInt64BE(BigInt(NOW + 1), 4);
    await expectCode(
      verifyCosignature(TEXT, `\u2014 ${name} ${bytes.toString('base64')}`, vkey, ctx),
      'LOG_NOTE_UNVERIFIED',
    );
    // A timestamp a JavaScript number cannot hold (and, at 2^63, one the spec forbids).
    for (const time of [2n ** 53n, 2n ** 63n, 2n ** 64n - 1n]) {
      bytes.writeBigUInt64BE(time, 4);
      await expectCode(
        verifyCosignature(TEXT, `\u2014 ${name} ${bytes.toString('base64')}`, vkey, ctx),
        'LOG_NOTE_UNVERIFIED',
      );
    }
  });

  it('refuses a tampered checkpoint, a tampered or truncated signature, another witness or name', async () => {
    const line = await cosignCheckpoint(TEXT, { name, signer: witness }, NOW, hasher);
    await expectCode(verifyCosignature(TEXT.replace('42', '43'), line, vkey, ctx), 'LOG_NOTE_UNVERIFIED');
    const parsed = parseSignatureLine(line);
    const bytes = Buffer.concat([Buffer.from(parsed.keyHash), Buffer.from(parsed.signature)]);
    bytes[20]! ^= 1;
    await expectCode(
      verifyCosignature(TEXT, `\u2014 ${name} ${bytes.toString('base64')}`, vkey, ctx),
      'LOG_NOTE_UNVERIFIED',
    );
    const truncated = bytes.subarray(0, 4 + 8 + 63).toString('base64');
    await expectCode(
      verifyCosignature(TEXT, `\u2014 ${name} ${truncated}`, vkey, ctx),
      'LOG_NOTE_UNVERIFIED',
    );
    const otherKey = signerVerifierKey(hasher, name, newSigner(), 'cosignature');
    await expectCode(verifyCosignature(TEXT, line, otherKey, ctx), 'LOG_NOTE_UNVERIFIED');
    const renamed = line.replace(name, 'witness.example/w2');
    await expectCode(verifyCosignature(TEXT, renamed, vkey, ctx), 'LOG_NOTE_UNVERIFIED');
  });

  it('verifies its own cosignatures, extension lines included, and returns the timestamp', async () => {
    const text = formatCheckpoint({
      origin: 'o',
      size: 1,
      rootHash: new Uint8Array(32),
      extensions: ['ext'],
    });
    for (const timestamp of [0, NOW, Number.MAX_SAFE_INTEGER]) {
      const line = await cosignCheckpoint(text, { name, signer: witness }, timestamp, hasher);
      expect(await verifyCosignature(text, line, vkey, ctx)).toEqual({ timestamp });
    }
    const line = await cosignCheckpoint(text, { name, signer: witness }, NOW, hasher);
    await expectCode(verifyCosignature(text.replace('ext', 'exu'), line, vkey, ctx), 'LOG_NOTE_UNVERIFIED');
  });
});

describe('cosignCheckpoint', () => {
  it('produces what an independent reading of tlog-cosignature §Format expects', async () => {
    const witness = newSigner();
    const line = await cosignCheckpoint(TEXT, { name: 'w.example', signer: witness }, NOW, hasher);
    expect(line.startsWith('\u2014 w.example ')).toBe(true);
    const bytes = Buffer.from(line.slice('\u2014 w.example '.length), 'base64');
    expect(bytes).toHaveLength(4 + 8 + 64);
    expect(
      Buffer.from(bytes.subarray(0, 4)).equals(
        Buffer.from(noteKeyHash(hasher, 'w.example', 4, publicKeyOf(witness))),
      ),
    ).toBe(true);
    expect(bytes.readBigUInt64BE(4)).toBe(BigInt(NOW));
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: witness.publicJwk.x },
      format: 'jwk',
    });
    const message = Buffer.from(`cosignature/v1\ntime ${NOW}\n${TEXT}`);
    expect(verify(null, message, key, bytes.subarray(12))).toBe(true);
  });

  it('refuses a text that is not a checkpoint (LOG_NOTE_MALFORMED) and bad arguments (TypeError)', async () => {
    const signer = newSigner();
    await expectCode(cosignCheckpoint('hello\n', { name: 'w', signer }, NOW, hasher), 'LOG_NOTE_MALFORMED');
    for (const timestamp of [-1, 1.5, 2 ** 53, Number.NaN]) {
      await expect(cosignCheckpoint(TEXT, { name: 'w', signer }, timestamp, hasher)).rejects.toThrow(
        TypeError,
      );
    }
    await expect(cosignCheckpoint(TEXT, { name: 'w w', signer }, NOW, hasher)).rejects.toThrow(TypeError);
    const ec = { ...signer, alg: 'ES256' as const };
    await expect(cosignCheckpoint(TEXT, { name: 'w', signer: ec }, NOW, hasher)).rejects.toThrow(TypeError);
  });
});
