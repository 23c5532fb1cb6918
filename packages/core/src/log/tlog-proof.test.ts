import { describe, expect, it } from 'vitest';
import { formatCheckpoint } from './checkpoint.js';
import { cosignCheckpoint } from './cosignature.js';
import { MemoryMerkleTree } from './memory-merkle-tree.js';
import { hashLeaf } from './merkle-hash.js';
import { proveInclusion } from './prove-inclusion.js';
import { signNote } from './sign-note.js';
import { expectCode, hasher, independentVerify, newSigner, PORTS } from './signed-note.test-util.js';
import { formatTlogProof, parseTlogProof, TLOG_PROOF_HEADER, verifyTlogProof } from './tlog-proof.js';
import { signerVerifierKey } from './verifier-key.js';
import type { CheckpointPolicy } from './verify-checkpoint.js';

// c2sp.org/tlog-proof, the example at the top of the spec: everything up to the checkpoint (whose
// signatures the spec elides as "[...]", so its note part cannot be verified).
const SPEC_HEAD = [
  'c2sp.org/tlog-proof@v1',
  'extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ',
  'index 73894',
  'gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=',
  'B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=',
  'EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=',
  'RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=',
  'AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=',
  '',
  '',
].join('\n');
const SPEC_CHECKPOINT =
  'example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n\n' +
  '\u2014 example.com/fancylog hI2DJw[...]1roloI=\n\u2014 witness1.example mJirIklj[...]qY9v2B/5bg==\n';

const ORIGIN = 'example.com/log';
const NOW = 1700000000;
const log = newSigner();
const witness = { name: 'witness.example', signer: newSigner() };
const policy: CheckpointPolicy = {
  logKey: signerVerifierKey(hasher, ORIGIN, log),
  witnesses: [signerVerifierKey(hasher, witness.name, witness.signer, 'cosignature')],
  quorum: 1,
  now: NOW,
};
const entries = Array.from({ length: 13 }, (_, i) => new TextEncoder().encode(`entry ${i}`));

async function buildLog(size = entries.length) {
  const tree = new MemoryMerkleTree(hasher);
  for (const entry of entries.slice(0, size)) tree.append(hashLeaf(hasher, entry));
  const text = formatCheckpoint({ origin: ORIGIN, size, rootHash: tree.root(size) });
  const signed = await signNote(text, [{ name: ORIGIN, signer: log }], hasher);
  const checkpointNote = `${signed}${await cosignCheckpoint(text, witness, NOW, hasher)}\n`;
  return { tree, checkpointNote };
}

async function proofFor(index: number, extra?: Uint8Array) {
  const { tree, checkpointNote } = await buildLog();
  const proof = await proveInclusion(index, entries.length, tree, hasher);
  return formatTlogProof({ index, proof, checkpointNote, ...(extra ? { extra } : {}) });
}

describe('parseTlogProof (tlog-proof §Format)', () => {
  it('refuses files that break the format, with LOG_NOTE_MALFORMED', async () => {
    const good = await proofFor(5);
    const [, , ...rest] = good.split('\n');
    const bad: Array<[string, string]> = [
      ['another header', good.replace(TLOG_PROOF_HEADER, 'c2sp.org/tlog-proof@v2')],
      ['no header', good.slice(TLOG_PROOF_HEADER.length + 1)],
      ['no index line', good.replace(/index \d+\n/, '')],
      ['an index with a leading zero', good.replace('index 5', 'index 05')],
      ['a negative index', good.replace('index 5', 'index -5')],
      ['an index beyond 2^53 - 1', good.replace('index 5', 'index 9007199254740992')],
      ['two spaces before the index', good.replace('index 5', 'index  5')],
      ['extra after the index', [TLOG_PROOF_HEADER, 'index 5', 'extra AAAA', ...rest].join('\n')],
      ['extra that is not base64', good.replace(TLOG_PROOF_HEADER, `${TLOG_PROOF_HEADER}\nextra !!!!`)],
      [
        'a proof hash of 31 bytes',
        good.replace('index 5\n', `index 5\n${Buffer.alloc(31).toString('base64')}\n`),
      ],
      [
        'a proof hash in base64url',
        good.replace('index 5\n', `index 5\n${Buffer.alloc(32, 0xff).toString('base64url')}\n`),
      ],
      ['no empty line before the checkpoint', good.replace(/\n\nexample\.com\/log\n/, '\nexample.com/log\n')],
      ['no checkpoint', good.slice(0, good.indexOf('\n\n') + 2)],
      ['no newline at all', TLOG_PROOF_HEADER],
      [
        'too many proof hashes',
        good.replace('index 5\n', `index 5\n${`${Buffer.alloc(32).toString('base64')}\n`.repeat(65)}`),
      ],
      ['a control character', good.replace('index 5', 'index\t5')],
      ['too long', `${good}${'x'.repeat(300 * 1024)}`],
    ];
    for (const [why, text] of bad) {
      await expectCode(() => parseTlogProof(text), 'LOG_NOTE_MALFORMED').catch((error) => {
        throw new Error(why, { cause: error });
      });
    }
    expect(() => parseTlogProof(5 as unknown as string)).toThrow(TypeError);
  });

  it('parses the tlog-proof example up to its checkpoint', () => {
    const parsed = parseTlogProof(SPEC_HEAD + SPEC_CHECKPOINT);
    expect(parsed.index).toBe(73894);
    expect(new TextDecoder().decode(parsed.extra!.subarray(0, 30))).toBe('age-v1.2.1-darwin-arm64.tar.gz');
    expect(parsed.proof.map((hash) => Buffer.from(hash).toString('base64'))).toEqual(
      SPEC_HEAD.split('\n').slice(3, 8),
    );
    expect(parsed.checkpointNote).toBe(SPEC_CHECKPOINT);
  });

  it('round-trips through formatTlogProof, with and without extra data and proof hashes', async () => {
    const { checkpointNote } = await buildLog();
    const proof = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    for (const extra of [undefined, new Uint8Array(0), new Uint8Array([1, 2, 3])]) {
      const text = formatTlogProof({ index: 7, proof, checkpointNote, ...(extra ? { extra } : {}) });
      expect(parseTlogProof(text)).toEqual({ index: 7, proof, checkpointNote, ...(extra ? { extra } : {}) });
    }
    expect(parseTlogProof(formatTlogProof({ index: 0, proof: [], checkpointNote })).proof).toEqual([]);
  });

  it('refuses to format what would not parse, as caller bugs', async () => {
    const { checkpointNote } = await buildLog();
    const bad = [
      { index: -1, proof: [], checkpointNote },
      { index: 0.5, proof: [], checkpointNote },
      { index: 0, proof: [new Uint8Array(31)], checkpointNote },
      { index: 0, proof: 'x' as unknown as Uint8Array[], checkpointNote },
      { index: 0, proof: [], checkpointNote, extra: 'x' as unknown as Uint8Array },
      { index: 0, proof: [], checkpointNote: 'not a note' },
      {
        index: 0,
        proof: [],
        checkpointNote: `hello\n${checkpointNote.slice(checkpointNote.indexOf('\n\n'))}`,
      },
    ];
    for (const input of bad) expect(() => formatTlogProof(input)).toThrow(TypeError);
  });
});

describe.each(PORTS)('verifyTlogProof with %s', (_port, crypto) => {
  const ctx = { crypto };

  it('refuses a proof for another entry, index or tree, with LOG_PROOF_INVALID', async () => {
    const proof = await proofFor(5);
    await expectCode(verifyTlogProof(proof, entries[6]!, policy, ctx), 'LOG_PROOF_INVALID');
    await expectCode(
      verifyTlogProof(proof.replace('index 5', 'index 4'), entries[5]!, policy, ctx),
      'LOG_PROOF_INVALID',
    );
    await expectCode(
      verifyTlogProof(proof.replace('index 5', 'index 13'), entries[5]!, policy, ctx),
      'LOG_PROOF_INVALID',
    );
    const parsed = parseTlogProof(proof);
    const flipped = parsed.proof.map((hash) => hash.slice());
    flipped[1]![0]! ^= 1;
    const wrongHash = formatTlogProof({ ...parsed, proof: flipped });
    await expectCode(verifyTlogProof(wrongHash, entries[5]!, policy, ctx), 'LOG_PROOF_INVALID');
    const shorter = formatTlogProof({ ...parsed, proof: parsed.proof.slice(0, -1) });
    await expectCode(verifyTlogProof(shorter, entries[5]!, policy, ctx), 'LOG_PROOF_INVALID');
    const longer = formatTlogProof({ ...parsed, proof: [...parsed.proof, new Uint8Array(32)] });
    await expectCode(verifyTlogProof(longer, entries[5]!, policy, ctx), 'LOG_PROOF_INVALID');
    // A valid proof for the same index in a smaller tree, under this tree's checkpoint.
    const small = await buildLog(8);
    const smallProof = await proveInclusion(5, 8, small.tree, hasher);
    const mixed = formatTlogProof({ ...parsed, proof: smallProof });
    await expectCode(verifyTlogProof(mixed, entries[5]!, policy, ctx), 'LOG_PROOF_INVALID');
  });

  it('refuses a proof whose checkpoint does not meet the policy', async () => {
    const proof = await proofFor(5);
    const withoutWitness = proof.replace(/\u2014 witness\.example [^\n]*\n/, '');
    await expectCode(verifyTlogProof(withoutWitness, entries[5]!, policy, ctx), 'LOG_WITNESS_QUORUM');
    const otherLog = { ...policy, logKey: signerVerifierKey(hasher, ORIGIN, newSigner()) };
    await expectCode(verifyTlogProof(proof, entries[5]!, otherLog, ctx), 'LOG_NOTE_UNVERIFIED');
    const tampered = proof.replace(`\n${entries.length}\n`, `\n${entries.length + 1}\n`);
    await expectCode(verifyTlogProof(tampered, entries[5]!, policy, ctx), 'LOG_NOTE_UNVERIFIED');
    await expect(verifyTlogProof(proof, 'entry 5' as unknown as Uint8Array, policy, ctx)).rejects.toThrow(
      TypeError,
    );
  });

  it('verifies every entry of the log, with the log key and witness policy only', async () => {
    const { tree, checkpointNote } = await buildLog();
    for (let index = 0; index < entries.length; index++) {
      const proof = await proveInclusion(index, entries.length, tree, hasher);
      const text = formatTlogProof({ index, proof, checkpointNote });
      const result = await verifyTlogProof(text, entries[index]!, policy, ctx);
      expect(result).toMatchObject({
        index,
        cosignedBy: ['witness.example'],
        checkpoint: { size: entries.length },
      });
      expect(result.extra).toBeUndefined();
    }
    const withExtra = await proofFor(3, new Uint8Array([9, 9]));
    expect(
      (await verifyTlogProof(new TextEncoder().encode(withExtra), entries[3]!, policy, ctx)).extra,
    ).toEqual(new Uint8Array([9, 9]));
    // The checkpoint inside verifies independently too.
    expect(
      independentVerify(parseTlogProof(withExtra).checkpointNote, [policy.logKey, ...policy.witnesses!]),
    ).toEqual([ORIGIN, 'witness.example']);
  });

  it('verifies a one-entry log (an empty proof)', async () => {
    const tree = new MemoryMerkleTree(hasher);
    tree.append(hashLeaf(hasher, entries[0]!));
    const text = formatCheckpoint({ origin: ORIGIN, size: 1, rootHash: tree.root() });
    const note = await signNote(text, [{ name: ORIGIN, signer: log }], hasher);
    const proof = formatTlogProof({ index: 0, proof: [], checkpointNote: note });
    expect(proof).toBe(`${TLOG_PROOF_HEADER}\nindex 0\n\n${note}`);
    expect((await verifyTlogProof(proof, entries[0]!, { logKey: policy.logKey }, ctx)).index).toBe(0);
  });
});
