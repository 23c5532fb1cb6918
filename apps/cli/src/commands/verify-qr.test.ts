// `trieste verify-qr` end to end: images and text in, trust material from a directory, the
// report out, and the exit status — with no installation of our own (offline verification).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderQrPng } from '@trieste/adapters';
import { signClaim169Qr } from '@trieste/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blankPng, pngToJpeg } from '../../../../packages/adapters/src/qr-image/qr-image.test-util.js';
import {
  DAY,
  IDENTITY,
  NOW,
  REGISTRY,
  registrySigner,
} from '../../../../packages/core/src/qr/qr-fixtures.test-util.js';
import { DGC_AT_1 } from '../../../../packages/core/src/qr/qr-vectors.test-util.js';
import { cli } from '../cli.test-util.js';

describe('trieste verify-qr', () => {
  let dir: string;
  let trustDir: string;
  let claim169: string;
  const run = (args: string[], stdin = '') =>
    cli({ TRIESTE_DATA_DIR: join(dir, 'no-installation') })(args, stdin);
  const file = (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trieste-verify-qr-'));
    trustDir = join(dir, 'trust');
    const der = Buffer.from(DGC_AT_1.certificate, 'base64');
    const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    mkdirSync(trustDir);
    writeFileSync(join(trustDir, 'at-dsc-1.pem'), pem);
    writeFileSync(
      join(trustDir, 'registry.jwk'),
      JSON.stringify({ ...registrySigner.publicJwk, kid: registrySigner.kid }),
    );
    claim169 = await signClaim169Qr(
      { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW - DAY, expiresAt: NOW + 365 * DAY },
      registrySigner,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies an EU DCC from a PNG image, step by step, with exit status 0', async () => {
    const png = file('at-1.png', Buffer.from(DGC_AT_1.png, 'base64'));
    const r = await run(['verify-qr', png, '--trust', trustDir, '--at', '2021-05-06T18:00:00Z']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('✓ prefix');
    expect(r.stdout).toContain('✓ signature      ES256 verified with at-dsc-1.pem');
    expect(r.stdout).toContain('VALID hc1 from AT');
    expect(r.stdout).toContain('kid 2Rk3X8HntrI=');
    expect(r.stdout).toContain('expires: 2021-11-02T18:00:00Z');
    expect(r.stdout).toContain('MUSTERFRAU<GOESSINGER');
  });

  it('verifies a Claim 169 code given as text, on stdin, as a text file and as a JPEG, with --json', async () => {
    const at = ['--at', new Date(NOW * 1000).toISOString()];
    const asText = await run(['--json', 'verify-qr', claim169, '--trust', trustDir, ...at]);
    expect(asText.status, asText.stderr).toBe(0);
    expect(JSON.parse(asText.stdout)).toMatchObject({
      kind: 'claim169',
      valid: true,
      issuer: REGISTRY,
      signer: { label: 'registry.jwk' },
      claims: { id: IDENTITY.id },
    });
    expect((await run(['verify-qr', '-', '--trust', trustDir, ...at], `${claim169}\n`)).status).toBe(0);
    expect(
      (await run(['verify-qr', file('code.txt', `${claim169}\n`), '--trust', trustDir, ...at])).status,
    ).toBe(0);
    const jpg = pngToJpeg(renderQrPng(claim169, { scale: 5 }));
    const fromJpeg = await run(['verify-qr', file('code.jpg', jpg), '--trust', trustDir, ...at]);
    expect(fromJpeg.status, fromJpeg.stderr).toBe(0);
    expect(fromJpeg.stdout).toContain('VALID claim169 from https://registry.xa.example');
  });

  it('reports the failing step and exits 2, as `trieste verify` does', async () => {
    const later = await run(['verify-qr', DGC_AT_1.hc1, '--trust', trustDir, '--at', '2022-01-01T00:00:00Z']);
    expect(later.status).toBe(2);
    expect(later.stdout).toContain('✓ signature');
    expect(later.stdout).toContain('✗ validity');
    expect(later.stdout).toContain('INVALID hc1: failed at validity (CREDENTIAL_EXPIRED)');
    expect(later.stderr).toBe('trieste: CREDENTIAL_EXPIRED: the code has expired');

    const json = await run(['--json', 'verify-qr', 'HC1:GGW', '--trust', trustDir]);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      code: 'MALFORMED',
      steps: [
        { step: 'prefix', ok: true },
        { step: 'size', ok: true },
        { step: 'base45', ok: false },
      ],
    });

    const unknown = await run(['verify-qr', 'just some text', '--trust', trustDir]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^trieste: QR_FORMAT_UNKNOWN: /);
  });

  it('exits 2 with a coded message on usage and read errors', async () => {
    const listFile = file('trust-list.json', '{}');
    const asFile = await run(['verify-qr', claim169, '--trust', listFile]);
    expect(asFile.status).toBe(2);
    expect(asFile.stderr).toMatch(/^trieste: MALFORMED: trust-list\.json: /);
    const missing = await run(['verify-qr', claim169, '--trust', join(dir, 'nowhere')]);
    expect(missing.stderr).toMatch(/^trieste: INPUT_UNREADABLE: /);
    expect((await run(['verify-qr', claim169])).stderr).toMatch(/^trieste: USAGE: .*--trust/);
    const noCode = await run(['verify-qr', file('blank.png', blankPng(64, 64)), '--trust', trustDir]);
    expect(noCode.status).toBe(2);
    expect(noCode.stderr).toMatch(/^trieste: QR_NOT_FOUND: /);
    const notImage = await run([
      'verify-qr',
      file('fake.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])),
      '--trust',
      trustDir,
    ]);
    expect(notImage.stderr).toMatch(/^trieste: IMAGE_INVALID: /);
    const badTrust = join(dir, 'bad-trust');
    mkdirSync(badTrust);
    writeFileSync(join(badTrust, 'broken.pem'), 'not a certificate');
    const broken = await run(['verify-qr', claim169, '--trust', badTrust]);
    expect(broken.stderr).toMatch(/^trieste: KEY_INVALID: broken.pem/);
  });
});
