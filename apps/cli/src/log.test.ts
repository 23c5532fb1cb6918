import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '@trieste/adapters';
import { cosignCheckpoint, parseNote, signerVerifierKey } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './cli.test-util.js';

describe('trieste log', () => {
  let dir: string;
  let run: ReturnType<typeof cli>;
  let vkey: string;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-log-'));
    run = cli({ TRIESTE_DATA_DIR: file('data') });
    expect((await run(['init'])).status).toBe(0);
    vkey = (await run(['log', 'vkey'])).stdout;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('logs the first issuer key at init, and publishes a checkpoint the log key verifies', async () => {
    expect(vkey).toMatch(/^localhost:8080\/log\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const checkpoint = await run(['--json', 'log', 'checkpoint']);
    const { size, note } = JSON.parse(checkpoint.stdout);
    expect(size).toBe(2); // issuer-key/created, issuer-key/activated
    expect(note.startsWith(`localhost:8080/log\n${size}\n`)).toBe(true);
  });

  it('appends, proves inclusion offline with the log key only, and refuses a tampered proof', async () => {
    const appended = JSON.parse((await run(['--json', 'log', 'append', 'registry opened'])).stdout);
    expect(appended.index).toBe(2);
    const proof = await run(['log', 'proof', '2']);
    expect(proof.status, proof.stderr).toBe(0);
    const written = await run(['log', 'proof', '2', '--out', file('p2.tlog-proof')]);
    expect(written.status, written.stderr).toBe(0);
    expect(readFileSync(file('p2.tlog-proof'), 'utf8')).toBe(`${proof.stdout}\n`);

    // Another machine, no installation: only the proof file and the log's verifier key.
    const elsewhere = cli({ TRIESTE_DATA_DIR: file('nowhere') });
    const ok = await elsewhere(['--json', 'log', 'verify-inclusion', file('p2.tlog-proof'), '--key', vkey]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, index: 2, origin: 'localhost:8080/log' });

    const entryFile = file('other-entry');
    writeFileSync(entryFile, 'something else');
    const wrongEntry = await elsewhere([
      'log',
      'verify-inclusion',
      file('p2.tlog-proof'),
      '--key',
      vkey,
      '--entry',
      entryFile,
    ]);
    expect(wrongEntry.stderr).toMatch(/^trieste: LOG_PROOF_INVALID: /);

    const tampered = proof.stdout.replace(/^index 2$/m, 'index 1');
    writeFileSync(file('bad.tlog-proof'), `${tampered}\n`);
    const bad = await elsewhere(['log', 'verify-inclusion', file('bad.tlog-proof'), '--key', vkey]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^trieste: LOG_PROOF_INVALID: /);

    const otherLog = signerVerifierKey(
      nodeCrypto(),
      'localhost:8080/log',
      nodeSigner(generatePrivateJwk('EdDSA')),
    );
    const wrongKey = await elsewhere(['log', 'verify-inclusion', file('p2.tlog-proof'), '--key', otherLog]);
    expect(wrongKey.stderr).toMatch(/^trieste: LOG_NOTE_UNVERIFIED: /);

    const noKey = await elsewhere(['log', 'verify-inclusion', file('p2.tlog-proof')]);
    expect(noKey.stderr).toMatch(/^trieste: NOT_INITIALISED: /);
  });

  it('shows a newer checkpoint extends an older one, and catches a fork', async () => {
    const older = (await run(['log', 'checkpoint'])).stdout;
    writeFileSync(file('old.checkpoint'), `${older}\n`);
    await run(['keys', 'rotate']);
    await run(['status', 'lists']);
    const newer = (await run(['log', 'checkpoint'])).stdout;
    writeFileSync(file('new.checkpoint'), `${newer}\n`);
    const ok = await run([
      '--json',
      'log',
      'verify-consistency',
      file('old.checkpoint'),
      file('new.checkpoint'),
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report.newSize).toBeGreaterThan(report.oldSize);

    // The proof travels as base64 lines: verifiable with the key alone.
    const shown = await run([
      'log',
      'verify-consistency',
      file('old.checkpoint'),
      file('new.checkpoint'),
      '--proof',
    ]);
    expect(shown.stdout.split('\n').slice(1)).toEqual(report.proof);
    writeFileSync(file('consistency.txt'), report.proof.join('\n'));
    const offline = await cli({ TRIESTE_DATA_DIR: file('nowhere') })([
      'log',
      'verify-consistency',
      file('old.checkpoint'),
      file('new.checkpoint'),
      '--proof',
      file('consistency.txt'),
      '--key',
      vkey,
    ]);
    expect(offline.status, offline.stderr).toBe(0);

    // A checkpoint from another history of the same log is caught: different root at a size.
    const broken = `${report.proof.slice(1).join('\n')}\n`;
    writeFileSync(file('broken.txt'), broken);
    const forked = await run([
      'log',
      'verify-consistency',
      file('old.checkpoint'),
      file('new.checkpoint'),
      '--proof',
      file('broken.txt'),
    ]);
    expect(forked.stderr).toMatch(/^trieste: LOG_INCONSISTENT: /);
  });

  it('publishes cosignatures of configured witnesses only, and verifiers can demand a quorum', async () => {
    const crypto = nodeCrypto();
    const witness = nodeSigner(generatePrivateJwk('EdDSA'));
    const witnessKey = signerVerifierKey(crypto, 'witness.example/w1', witness, 'cosignature');
    const stranger = nodeSigner(generatePrivateJwk('EdDSA'));

    const note = (await run(['log', 'checkpoint'])).stdout;
    const text = parseNote(`${note}\n`).text;
    const line = await cosignCheckpoint(
      text,
      { name: 'witness.example/w1', signer: witness },
      Math.floor(Date.now() / 1000),
      crypto,
    );
    const refused = await run(['log', 'cosign', line]);
    expect(refused.stderr).toMatch(/^trieste: LOG_NOTE_UNVERIFIED: /);

    expect((await run(['log', 'witness', 'add', witnessKey])).status).toBe(0);
    const strangerLine = await cosignCheckpoint(
      text,
      { name: 'witness.example/w1', signer: stranger },
      Math.floor(Date.now() / 1000),
      crypto,
    );
    expect((await run(['log', 'cosign', strangerLine])).stderr).toMatch(/^trieste: LOG_NOTE_UNVERIFIED: /);
    const accepted = await run(['log', 'cosign', line]);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain(line);

    const index = JSON.parse((await run(['--json', 'log', 'checkpoint'])).stdout).size - 1;
    const proof = (await run(['log', 'proof', String(index)])).stdout;
    writeFileSync(file('witnessed.tlog-proof'), `${proof}\n`);
    const verify = (args: string[]) =>
      run(['--json', 'log', 'verify-inclusion', file('witnessed.tlog-proof'), ...args]);
    const witnessed = await verify(['--witness', witnessKey]);
    expect(witnessed.status, witnessed.stderr).toBe(0);
    expect(JSON.parse(witnessed.stdout).cosignedBy).toEqual(['witness.example/w1']);
    const otherWitness = signerVerifierKey(crypto, 'witness.example/w2', stranger, 'cosignature');
    const quorum = await verify(['--witness', witnessKey, '--witness', otherWitness, '--quorum', '2']);
    expect(quorum.stderr).toMatch(/^trieste: LOG_WITNESS_QUORUM: /);
    expect((await verify(['--witness', witnessKey, '--witness', otherWitness, '--quorum', '1'])).status).toBe(
      0,
    );
  });

  it('writes the log as static tlog-tiles files', async () => {
    const www = file('www');
    const r = await run(['--json', 'log', 'serve-dir', www]);
    expect(r.status, r.stderr).toBe(0);
    const { size } = JSON.parse(r.stdout);
    expect(readFileSync(join(www, 'checkpoint'), 'utf8').split('\n')[1]).toBe(String(size));
    expect(readdirSync(join(www, 'tile', '0', '000.p'))).toEqual([String(size)]);
    expect(readdirSync(join(www, 'tile', 'entries', '000.p'))).toEqual([String(size)]);
  });

  it('refuses an entry larger than a tile bundle can carry, writing nothing', async () => {
    const before = JSON.parse((await run(['--json', 'log', 'checkpoint'])).stdout).size;
    const r = await run(['log', 'append', '-', '--raw'], 'x'.repeat(70_000));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^trieste: LOG_ENTRY_INVALID: /);
    expect(JSON.parse((await run(['--json', 'log', 'checkpoint'])).stdout).size).toBe(before);
  });
});
