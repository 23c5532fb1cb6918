import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signClaim169Qr, TriesteError, verifyQrText } from '@trieste/core';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHc1,
  DAY,
  type Dsc,
  IDENTITY,
  makeDsc,
  NOW,
  REGISTRY,
  registrySigner,
  registryTrust,
} from '../../../core/src/qr/qr-fixtures.test-util.js';
import { DGC_AT_1 } from '../../../core/src/qr/qr-vectors.test-util.js';
import { isAdapterError } from '../errors.js';
import { loadTrustDirectory } from './load-trust-directory.js';
import { measureQrVerification } from './measure-qr-verification.js';
import { qrModules, Raster } from './raster.js';
import { readQrFromImage } from './read-qr-from-image.js';
import { renderQrPng } from './render-qr-png.js';

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isAdapterError(error) || error instanceof TriesteError) return error.code;
    return `uncoded: ${String(error)}`;
  }
  return 'NO_ERROR';
}

async function asyncCodeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isAdapterError(error) || error instanceof TriesteError) return error.code;
    return `uncoded: ${String(error)}`;
  }
  return 'NO_ERROR';
}

let claim169: string;
beforeAll(async () => {
  claim169 = await signClaim169Qr(
    { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW - DAY },
    registrySigner,
  );
});

describe('renderQrPng / readQrFromImage', () => {
  it('reads back a published EU DCC PNG (dgc-testdata AT/1), which then verifies', async () => {
    const text = readQrFromImage(new Uint8Array(Buffer.from(DGC_AT_1.png, 'base64')));
    expect(text).toBe(DGC_AT_1.hc1);
    const trust = { keys: [{ certificate: new Uint8Array(Buffer.from(DGC_AT_1.certificate, 'base64')) }] };
    expect((await verifyQrText(text, trust, { now: DGC_AT_1.validationClock })).valid).toBe(true);
  });

  it('round-trips a Claim 169 code through a PNG and a JPEG image, in alphanumeric mode', async () => {
    expect(QRCode.create(claim169, { errorCorrectionLevel: 'Q' }).segments.map((s) => s.mode.id)).toEqual([
      'Alphanumeric',
    ]);
    const png = renderQrPng(claim169);
    expect(PNG.sync.read(Buffer.from(png)).width).toBe((qrModules(claim169).size + 8) * 6);
    expect(readQrFromImage(png)).toBe(claim169);

    const modules = qrModules(claim169);
    const raster = new Raster((modules.size + 8) * 5, (modules.size + 8) * 5);
    raster.drawQr(modules, 20, 20, 5);
    const jpg = jpeg.encode({ width: raster.width, height: raster.height, data: raster.toRgba() }, 75).data;
    const fromJpeg = readQrFromImage(new Uint8Array(jpg));
    expect(fromJpeg).toBe(claim169);
    expect((await verifyQrText(fromJpeg, registryTrust, { now: NOW })).valid).toBe(true);
  });

  it('reads a code too fine for the reduced resolutions at full resolution, and a large one at any size', () => {
    // Version 40 at 2 px per module, one pixel off the 2×2 grid: 371 px, so it is halved first,
    // where every pixel mixes two modules (jsqr finds nothing), and then read at full size.
    const dense = 'A'.repeat(4296);
    const denseModules = qrModules(dense);
    const fine = new Raster((denseModules.size + 8) * 2 + 1, (denseModules.size + 8) * 2 + 1);
    fine.drawQr(denseModules, 9, 9, 2);
    expect(fine.width).toBe(371);
    expect(readQrFromImage(fine.toPng())).toBe(dense);
    // 20 px per module, odd-sized and off-centre: read from a reduced level.
    const modules = qrModules(claim169);
    const raster = new Raster((modules.size + 8) * 20 + 7, (modules.size + 8) * 20 + 3);
    raster.drawQr(modules, 85, 81, 20);
    expect(readQrFromImage(raster.toPng())).toBe(claim169);
  });

  it('reads a light-on-dark code (a wallet in dark mode)', () => {
    const modules = qrModules('HC1:TEST');
    const raster = new Raster((modules.size + 8) * 4, (modules.size + 8) * 4);
    raster.drawQr(modules, 16, 16, 4);
    for (let i = 0; i < raster.pixels.length; i++) raster.pixels[i] = 255 - raster.pixels[i]!;
    expect(readQrFromImage(raster.toPng())).toBe('HC1:TEST');
  });

  it('refuses what is not an image, an image bomb, and an image without a code, with coded errors', () => {
    expect(codeOf(() => readQrFromImage(new TextEncoder().encode('HC1:not an image')))).toBe('IMAGE_INVALID');
    expect(codeOf(() => readQrFromImage(new Uint8Array()))).toBe('IMAGE_INVALID');
    // A PNG header claiming 100 000 × 100 000 pixels: refused before decoding.
    const bomb = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).copy(bomb);
    bomb.write('IHDR', 12, 'latin1');
    bomb.writeUInt32BE(100_000, 16);
    bomb.writeUInt32BE(100_000, 20);
    expect(codeOf(() => readQrFromImage(new Uint8Array(bomb)))).toBe('IMAGE_TOO_LARGE');
    // A JPEG whose frame header claims 60 000 × 60 000.
    const jpegBomb = new Uint8Array([
      0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0xea, 0x60, 0xea, 0x60, 1, 1, 0x11, 0,
    ]);
    expect(codeOf(() => readQrFromImage(jpegBomb))).toBe('IMAGE_TOO_LARGE');
    expect(codeOf(() => readQrFromImage(renderQrPng('HC1:X'), { maxBytes: 10 }))).toBe('IMAGE_TOO_LARGE');
    const truncated = renderQrPng(claim169).subarray(0, 200);
    expect(codeOf(() => readQrFromImage(truncated))).toBe('IMAGE_INVALID');
    expect(codeOf(() => readQrFromImage(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])))).toBe('IMAGE_INVALID');
    expect(codeOf(() => readQrFromImage(new Raster(200, 200).toPng()))).toBe('QR_NOT_FOUND');
    expect(codeOf(() => renderQrPng('A'.repeat(4297)))).toBe('QR_PAYLOAD_TOO_LARGE');
    expect(codeOf(() => renderQrPng('a'.repeat(2954)))).toBe('QR_PAYLOAD_TOO_LARGE');
  });

  it('turns hostile image bytes into text or a coded error', () => {
    const png = renderQrPng('HC1:X', { scale: 2 });
    for (let i = 0; i < 300; i++) {
      const bytes = png.slice();
      bytes[8 + ((i * 7919) % (bytes.length - 8))]! ^= 1 + (i % 255);
      const code = codeOf(() => readQrFromImage(bytes));
      expect(['NO_ERROR', 'IMAGE_INVALID', 'IMAGE_TOO_LARGE', 'QR_NOT_FOUND']).toContain(code);
    }
  });
});

describe('loadTrustDirectory', () => {
  let dir: string;
  let es256: Dsc;
  let ps256: Dsc;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trieste-trust-'));
    [es256, ps256] = await Promise.all([makeDsc('ES256'), makeDsc('PS256')]);
    const pem = (der: Uint8Array) =>
      `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
        .toString('base64')
        .replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    await writeFile(join(dir, 'xa-dsc.pem'), pem(es256.der));
    await writeFile(join(dir, 'xa-rsa.der'), ps256.der);
    await writeFile(
      join(dir, 'registry.jwk'),
      JSON.stringify({ ...registrySigner.publicJwk, kid: registrySigner.kid }),
    );
    await writeFile(
      join(dir, 'set.jwks'),
      JSON.stringify({
        keys: [{ kty: 'OKP', crv: 'Ed25519', x: Buffer.alloc(32, 7).toString('base64url') }],
      }),
    );
    await writeFile(join(dir, 'README.md'), 'not key material');
    await writeFile(join(dir, '.hidden.pem'), 'junk');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads PEM, DER and JWK files, labels each key with its file, and verifies with them', async () => {
    const trust = await loadTrustDirectory(dir);
    expect(trust.keys.map((key) => key.label)).toEqual([
      'registry.jwk',
      'set.jwks#0',
      'xa-dsc.pem',
      'xa-rsa.der',
    ]);
    expect(trust.ignored).toEqual(['README.md']);
    expect((await verifyQrText(buildHc1(es256), trust, { now: NOW })).valid).toBe(true);
    expect((await verifyQrText(buildHc1(ps256), trust, { now: NOW })).signer?.label).toBe('xa-rsa.der');
    expect((await verifyQrText(claim169, trust, { now: NOW })).signer?.label).toBe('registry.jwk');
  });

  it('leaves the files the caller skips (trust lists, pinned operator keys) unread and unlisted', async () => {
    const trust = await loadTrustDirectory(dir, {
      skip: (name) => name === 'registry.jwk' || name === 'README.md',
    });
    expect(trust.keys.map((key) => key.label)).toEqual(['set.jwks#0', 'xa-dsc.pem', 'xa-rsa.der']);
    expect(trust.ignored).toEqual([]);
    expect((await verifyQrText(claim169, trust, { now: NOW })).code).toBe('ISSUER_UNKNOWN');
  });

  it('refuses broken files with KEY_INVALID naming the file, and a missing directory with NOT_FOUND', async () => {
    for (const [name, content] of [
      ['garbage.pem', 'hello'],
      ['bad-base64.pem', '-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----'],
      ['not-a-cert.der', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])],
      ['bad.json', '{"kty":'],
      [
        'private.jwk',
        JSON.stringify({ ...registrySigner.publicJwk, d: Buffer.alloc(32).toString('base64url') }),
      ],
      ['array.json', '[1,2]'],
    ] as const) {
      const single = await mkdtemp(join(tmpdir(), 'trieste-trust-bad-'));
      await writeFile(join(single, name), content);
      const error = await loadTrustDirectory(single).catch((e: unknown) => e);
      expect(error, name).toMatchObject({ code: 'KEY_INVALID' });
      expect((error as Error).message, name).toContain(name);
      await rm(single, { recursive: true });
    }
    expect(await asyncCodeOf(() => loadTrustDirectory(join(dir, 'missing')))).toBe('NOT_FOUND');
  });
});

describe('measureQrVerification', () => {
  it('measures verifications per second from text and from a PNG', async () => {
    const png = renderQrPng(claim169);
    const result = await measureQrVerification({
      text: claim169,
      image: png,
      trust: registryTrust,
      now: NOW,
      seconds: 0.3,
    });
    expect(result.valid).toBe(true);
    expect(result.textPerSecond).toBeGreaterThan(10);
    expect(result.imagePerSecond).toBeGreaterThan(1);
  });
});
