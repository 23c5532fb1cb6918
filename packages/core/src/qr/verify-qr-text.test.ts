import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  base45Decode,
  base45Encode,
  CborTag,
  encodeCbor,
  issueSdJwtVc,
  prepareQrTrust,
  type QrTrustMaterial,
  type QrVerificationResult,
  signClaim169Qr,
  signCoseSign1,
  TriesteError,
  verifyQrText,
} from '../index.js';
import { CLAIMS, ISS, issueCtx, issuerSigner, VCT } from '../sd-jwt/sd-jwt.test-util.js';
import {
  buildHc1,
  DAY,
  type Dsc,
  dscTrust,
  edSigner,
  IDENTITY,
  makeDsc,
  NOW,
  otherSigner,
  REGISTRY,
  registrySigner,
  registryTrust,
  strangerKey,
  VACCINATION,
} from './qr-fixtures.test-util.js';
import { CLAIM169_VECTORS, DGC_AT_1 } from './qr-vectors.test-util.js';

const at = (now: number) => ({ now });
const failedStep = (result: QrVerificationResult) => {
  const last = result.steps.at(-1)!;
  return { valid: result.valid, step: last.ok ? 'none' : last.step, code: result.code };
};
const stepNames = (result: QrVerificationResult) => result.steps.map((s) => `${s.ok ? '✓' : '✗'}${s.step}`);
/** Secret-looking values in the fixtures: no step detail may ever contain them. */
const noClaimValuesIn = (result: QrVerificationResult) => {
  const details = JSON.stringify(result.steps);
  for (const secret of ['Secret', 'SECRET', 'Amina', 'Ottavia', 'Zanetti', '1990'])
    expect(details).not.toContain(secret);
};
/** Re-encodes a QR text's compressed bytes after `change`. */
const recompress = (qr: string, change: (zlib: Uint8Array) => Uint8Array, prefix = '') =>
  prefix + base45Encode(change(base45Decode(qr.slice(prefix.length))));
const hc1Of = (bytes: Uint8Array) => `HC1:${base45Encode(new Uint8Array(deflateSync(bytes)))}`;

describe('EU DCC "HC1:" codes', () => {
  let es256: Dsc;
  let ps256: Dsc;
  let trust: QrTrustMaterial;
  beforeAll(async () => {
    [es256, ps256] = await Promise.all([makeDsc('ES256'), makeDsc('PS256')]);
    trust = dscTrust(es256, ps256);
  });

  it('verifies a published DCC (dgc-testdata AT/1) with its DSC, and reads it back', async () => {
    const trustAt: QrTrustMaterial = {
      keys: [{ certificate: new Uint8Array(Buffer.from(DGC_AT_1.certificate, 'base64')), label: 'AT DSC 1' }],
    };
    const result = await verifyQrText(DGC_AT_1.hc1, trustAt, at(DGC_AT_1.validationClock));
    expect(stepNames(result)).toEqual([
      '✓prefix',
      '✓size',
      '✓base45',
      '✓decompression',
      '✓cose',
      '✓key',
      '✓signature',
      '✓schema',
      '✓validity',
    ]);
    expect(result).toMatchObject({
      kind: 'hc1',
      valid: true,
      type: 'hc1',
      issuer: 'AT',
      signer: {
        kid: DGC_AT_1.kidBase64,
        alg: 'ES256',
        label: 'AT DSC 1',
        certificateSubject: 'CN=AT DSC 1, C=AT, O=BMSGPK, 2.5.4.5=1',
      },
      claims: {
        ver: '1.0.0',
        nam: { fnt: 'MUSTERFRAU<GOESSINGER' },
        dob: '1998-02-26',
        v: [{ dn: 1, sd: 2 }],
      },
      issuedAt: 1620324000,
      validUntil: 1635876000,
    });
    // Six months later the same code has expired; who it belongs to is still shown.
    const later = await verifyQrText(DGC_AT_1.hc1, trustAt, at(1635876000 + 3600));
    expect(failedStep(later)).toEqual({ valid: false, step: 'validity', code: 'CREDENTIAL_EXPIRED' });
    expect(later.claims?.['dob']).toBe('1998-02-26');
    expect(failedStep(await verifyQrText(DGC_AT_1.hc1, { keys: [] }, at(DGC_AT_1.validationClock)))).toEqual({
      valid: false,
      step: 'key',
      code: 'ISSUER_UNKNOWN',
    });
  });

  it.each(['ES256', 'PS256'] as const)(
    'verifies %s codes built independently to the specification',
    async (alg) => {
      const dsc = alg === 'ES256' ? es256 : ps256;
      const result = await verifyQrText(buildHc1(dsc), trust, at(NOW));
      expect(result.valid, JSON.stringify(result.steps)).toBe(true);
      expect(result.signer).toMatchObject({ alg, label: `dsc-${alg === 'ES256' ? 0 : 1}.der` });
      expect(result.claims).toEqual(VACCINATION);
      noClaimValuesIn(result);
    },
  );

  it('accepts the variants the specification allows: kid unprotected, no tag, test and recovery certificates', async () => {
    for (const options of [{ kidIn: 'unprotected' as const }, { tagged: false }]) {
      expect((await verifyQrText(buildHc1(es256, options), trust, at(NOW))).valid).toBe(true);
    }
    const { v: _v, ...base } = VACCINATION;
    const test = {
      ...base,
      t: [
        {
          tg: '840539006',
          tt: 'LP217198-3',
          sc: '2025-06-14T08:00:00Z',
          tr: '260415000',
          co: 'XA',
          is: 'MoH',
          ci: 'URN:UVCI:01:XA:T',
        },
      ],
    };
    expect((await verifyQrText(buildHc1(es256, { dcc: test }), trust, at(NOW))).valid).toBe(true);
  });

  it('names the step that fails, with its code, for each way a code can be wrong', async () => {
    const good = buildHc1(es256);
    const expired = await makeDsc('ES256', { notBefore: NOW - 400 * DAY, notAfter: NOW - DAY });
    const notYet = await makeDsc('ES256', { notBefore: NOW - 10 * DAY });
    const cases: Array<[string, string, QrTrustMaterial, string, string]> = [
      ['another prefix', `HC2:${good.slice(4)}`, trust, 'prefix', 'QR_FORMAT_UNKNOWN'],
      ['plain text', 'hello, world', trust, 'prefix', 'QR_FORMAT_UNKNOWN'],
      ['empty', '', trust, 'prefix', 'QR_FORMAT_UNKNOWN'],
      ['longer than any QR code', `HC1:${'0'.repeat(8000)}`, trust, 'size', 'QR_PAYLOAD_TOO_LARGE'],
      [
        'longer than alphanumeric mode holds',
        `HC1:${'00000'.repeat(900)}`,
        trust,
        'size',
        'QR_PAYLOAD_TOO_LARGE',
      ],
      ['lower-case Base45', good.toLowerCase().replace('hc1:', 'HC1:'), trust, 'base45', 'MALFORMED'],
      ['Base45 group over 65535', 'HC1:GGW', trust, 'base45', 'MALFORMED'],
      [
        'truncated ZLIB',
        recompress(good, (z) => z.subarray(0, z.length - 9), 'HC1:'),
        trust,
        'decompression',
        'MALFORMED',
      ],
      ['ZLIB bomb', hc1Of(new Uint8Array(1024 * 1024)), trust, 'decompression', 'QR_PAYLOAD_TOO_LARGE'],
      ['CBOR garbage', hc1Of(new Uint8Array([0x9f, 0x01, 0x02])), trust, 'cose', 'MALFORMED'],
      ['COSE_Mac0 tag', hc1Of(encodeCbor(new CborTag(17, []))), trust, 'cose', 'MALFORMED'],
      [
        'a CWT that is not a map',
        hc1Of(
          encodeCbor(
            new CborTag(18, [encodeCbor(new Map([[1, -7]])), new Map(), encodeCbor([1]), new Uint8Array(64)]),
          ),
        ),
        trust,
        'cose',
        'MALFORMED',
      ],
      ['unknown kid', good, dscTrust(ps256), 'key', 'ISSUER_UNKNOWN'],
      [
        'key for another type',
        good,
        { keys: [{ certificate: es256.der, types: ['claim169'] }] },
        'key',
        'CREDENTIAL_TYPE_NOT_ALLOWED',
      ],
      [
        'key for another issuer',
        good,
        { keys: [{ certificate: es256.der, iss: 'XB' }] },
        'key',
        'ISSUER_UNKNOWN',
      ],
      [
        'forged with the trusted kid',
        buildHc1(es256, { signingKey: strangerKey('ES256') }),
        trust,
        'signature',
        'SIGNATURE_INVALID',
      ],
      [
        'payload changed after signing',
        buildHc1(es256, {
          tamper: (p) => {
            const c = p.slice();
            c[c.length - 3]! ^= 1;
            return c;
          },
        }),
        trust,
        'signature',
        'SIGNATURE_INVALID',
      ],
      [
        'no health certificate',
        buildHc1(es256, {
          claims: new Map<number, unknown>([
            [1, 'XA'],
            [4, NOW + DAY],
            [6, NOW - DAY],
          ]),
        }),
        trust,
        'schema',
        'CLAIM_MISSING',
      ],
      [
        'schema violation',
        buildHc1(es256, { dcc: { ...VACCINATION, nam: { fn: 'Rossi' } } }),
        trust,
        'schema',
        'SCHEMA_INVALID',
      ],
      ['expired', buildHc1(es256, { exp: NOW - 1000 }), trust, 'validity', 'CREDENTIAL_EXPIRED'],
      [
        'issued in the future',
        buildHc1(es256, { iat: NOW + DAY }),
        trust,
        'validity',
        'CREDENTIAL_NOT_YET_VALID',
      ],
      ['no exp', buildHc1(es256, { exp: null }), trust, 'validity', 'CLAIM_MISSING'],
      [
        'signer certificate expired',
        buildHc1(expired, { iat: NOW - 10 * DAY }),
        dscTrust(expired),
        'validity',
        'ISSUER_OUTSIDE_VALIDITY',
      ],
      [
        'issued before its certificate',
        buildHc1(notYet, { iat: NOW - 20 * DAY }),
        dscTrust(notYet),
        'validity',
        'ISSUER_OUTSIDE_VALIDITY',
      ],
    ];
    for (const [why, text, trustFor, step, code] of cases) {
      const result = await verifyQrText(text, trustFor, at(NOW));
      expect(failedStep(result), why).toEqual({ valid: false, step, code });
      expect(
        result.steps.filter((s) => !s.ok),
        why,
      ).toHaveLength(1);
      noClaimValuesIn(result);
      // Claims are shown only once the signature verified.
      const signed = result.steps.some((s) => s.step === 'signature' && s.ok);
      if (!signed) expect(result.claims, why).toBeUndefined();
    }
  });

  it('refuses ES384 in an HC1 code (the DCC allows ES256 and PS256 only)', async () => {
    const es384 = await makeDsc('ES384');
    const result = await verifyQrText(buildHc1(es384), dscTrust(es384), at(NOW));
    expect(failedStep(result)).toEqual({ valid: false, step: 'cose', code: 'ALG_NOT_ALLOWED' });
  });
});

describe('Claim 169 identity QR codes', () => {
  const sign = (overrides: Partial<Parameters<typeof signClaim169Qr>[0]> = {}, signer = registrySigner) =>
    signClaim169Qr(
      { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW - DAY, expiresAt: NOW + 365 * DAY, ...overrides },
      signer,
    );

  it('issues a code that verifies, with its steps, signer and identity', async () => {
    const qr = await sign();
    expect(qr).toMatch(/^[0-9A-Z $%*+\-./:]+$/);
    const result = await verifyQrText(qr, registryTrust, at(NOW));
    expect(stepNames(result)).toEqual([
      '✓prefix',
      '✓size',
      '✓base45',
      '✓decompression',
      '✓cose',
      '✓key',
      '✓signature',
      '✓schema',
      '✓validity',
    ]);
    expect(result).toMatchObject({
      kind: 'claim169',
      valid: true,
      type: 'claim169',
      issuer: REGISTRY,
      signer: {
        kid: registrySigner.kid,
        alg: 'ES256',
        label: 'registry.jwk',
        thumbprint: registrySigner.kid,
      },
      claims: IDENTITY,
      issuedAt: NOW - DAY,
      validFrom: NOW - DAY,
      validUntil: NOW + 365 * DAY,
    });
    noClaimValuesIn(result);
  });

  it('issues EdDSA codes, and codes without kid that verify against every trusted key of the issuer', async () => {
    const trust: QrTrustMaterial = {
      keys: [...registryTrust.keys, { jwk: { ...edSigner.publicJwk }, iss: REGISTRY }],
    };
    expect((await verifyQrText(await sign({}, edSigner), trust, at(NOW))).signer?.alg).toBe('EdDSA');
    const noKid = await verifyQrText(await sign({ kid: null }), trust, at(NOW));
    expect(noKid.valid).toBe(true);
    expect(noKid.signer?.kid).toBeUndefined();
  });

  it('tries every trusted key with the message kid (short kids may collide)', async () => {
    const trust: QrTrustMaterial = {
      keys: [
        { jwk: { ...otherSigner.publicJwk }, kid: 'k1', label: 'first' },
        { jwk: { ...registrySigner.publicJwk }, kid: 'k1', label: 'second' },
      ],
    };
    const result = await verifyQrText(await sign({ kid: 'k1' }), trust, at(NOW));
    expect(result.valid).toBe(true);
    expect(result.signer?.label).toBe('second');
    expect(result.steps.find((s) => s.step === 'key')?.detail).toBe('kid k1: 2 trusted keys to try');
  });

  it('verifies codes made by another implementation (jeremi/claim-169 vectors)', async () => {
    const point = Buffer.from(CLAIM169_VECTORS.ecdsaP256Signed.publicKeyHex, 'hex');
    const ecTrust: QrTrustMaterial = {
      keys: [
        {
          jwk: {
            kty: 'EC',
            crv: 'P-256',
            x: point.subarray(1, 33).toString('base64url'),
            y: point.subarray(33).toString('base64url'),
          },
        },
      ],
    };
    const ec = await verifyQrText(CLAIM169_VECTORS.ecdsaP256Signed.qr, ecTrust, at(1_750_000_000));
    expect(ec.valid, JSON.stringify(ec.steps)).toBe(true);
    expect(ec.claims).toEqual(CLAIM169_VECTORS.ecdsaP256Signed.expected);
    expect(ec.issuer).toBe('https://mosip.example.org');
    const edTrust: QrTrustMaterial = {
      keys: [
        {
          jwk: {
            kty: 'OKP',
            crv: 'Ed25519',
            x: Buffer.from(CLAIM169_VECTORS.ed25519Signed.publicKeyHex, 'hex').toString('base64url'),
          },
        },
      ],
    };
    const ed = await verifyQrText(CLAIM169_VECTORS.ed25519Signed.qr, edTrust, at(1_750_000_000));
    expect(ed.valid, JSON.stringify(ed.steps)).toBe(true);
    expect(ed.claims).toEqual(CLAIM169_VECTORS.ed25519Signed.expected);
    // Their unsigned vector (an empty signature) must not pass.
    const unsigned = await verifyQrText(CLAIM169_VECTORS.demographicsFull.qr, edTrust, at(1_750_000_000));
    expect(failedStep(unsigned)).toEqual({ valid: false, step: 'signature', code: 'SIGNATURE_INVALID' });
    expect(unsigned.claims).toBeUndefined();
    // Their bad-zlib vector is Base45 of something that is not ZLIB: no format we recognise.
    expect(failedStep(await verifyQrText(CLAIM169_VECTORS.badZlib, edTrust, at(NOW)))).toEqual({
      valid: false,
      step: 'prefix',
      code: 'QR_FORMAT_UNKNOWN',
    });
  });

  it('names the step that fails, with its code', async () => {
    const good = await sign();
    const withClaims = async (claims: Map<number, unknown>) =>
      base45Encode(
        new Uint8Array(
          deflateSync(
            await signCoseSign1(encodeCbor(claims as never), registrySigner, {
              kid: new TextEncoder().encode(registrySigner.kid),
            }),
          ),
        ),
      );
    const cases: Array<[string, string, QrTrustMaterial, string, string]> = [
      [
        'truncated ZLIB',
        recompress(good, (z) => z.subarray(0, z.length - 5)),
        registryTrust,
        'decompression',
        'MALFORMED',
      ],
      [
        'ZLIB bomb',
        base45Encode(new Uint8Array(deflateSync(new Uint8Array(200_000)))),
        registryTrust,
        'decompression',
        'QR_PAYLOAD_TOO_LARGE',
      ],
      [
        'not COSE',
        base45Encode(new Uint8Array(deflateSync(encodeCbor(new Map([[1, 2]]))))),
        registryTrust,
        'cose',
        'MALFORMED',
      ],
      ['unknown signer', await sign({}, otherSigner), registryTrust, 'key', 'ISSUER_UNKNOWN'],
      [
        'another issuer',
        await sign({ issuer: 'https://elsewhere.example' }),
        registryTrust,
        'key',
        'ISSUER_UNKNOWN',
      ],
      [
        'forged with the registry kid',
        await sign({ kid: registrySigner.kid }, otherSigner),
        registryTrust,
        'signature',
        'SIGNATURE_INVALID',
      ],
      [
        'no claim 169',
        await withClaims(
          new Map([
            [1, REGISTRY],
            [6, NOW],
          ]),
        ),
        registryTrust,
        'schema',
        'CLAIM_MISSING',
      ],
      [
        'claim 169 of the wrong shape',
        await withClaims(
          new Map<number, unknown>([
            [1, REGISTRY],
            [6, NOW],
            [169, new Map([[9, 'female']])],
          ]),
        ),
        registryTrust,
        'schema',
        'SCHEMA_INVALID',
      ],
      [
        'expired',
        await sign({ issuedAt: NOW - 10 * DAY, expiresAt: NOW - DAY }),
        registryTrust,
        'validity',
        'CREDENTIAL_EXPIRED',
      ],
      [
        'not valid yet',
        await sign({ notBefore: NOW + DAY }),
        registryTrust,
        'validity',
        'CREDENTIAL_NOT_YET_VALID',
      ],
    ];
    for (const [why, text, trust, step, code] of cases) {
      const result = await verifyQrText(text, trust, at(NOW));
      expect(failedStep(result), why).toEqual({ valid: false, step, code });
      expect(result.kind, why).toBe('claim169');
      noClaimValuesIn(result);
    }
  });

  it('refuses to issue a code larger than a QR code holds', async () => {
    const photo = crypto.getRandomValues(new Uint8Array(4000)); // incompressible
    await expect(
      signClaim169Qr(
        {
          identity: { ...IDENTITY, biometrics: { face: [{ data: photo }] } },
          issuer: REGISTRY,
          issuedAt: NOW,
        },
        registrySigner,
      ),
    ).rejects.toMatchObject({ code: 'QR_PAYLOAD_TOO_LARGE' });
  });

  it('treats a caller’s bad issuance input as a bug (TypeError)', async () => {
    const base = { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW };
    for (const bad of [
      { ...base, issuer: '' },
      { ...base, subject: '' },
      { ...base, issuedAt: Number.NaN },
      { ...base, expiresAt: NOW - 1 },
      { ...base, identity: { gender: 9 } },
    ]) {
      await expect(
        signClaim169Qr(bad as Parameters<typeof signClaim169Qr>[0], registrySigner),
      ).rejects.toThrow(TypeError);
    }
  });
});

describe('SD-JWT VC presentations in a QR code', () => {
  const trust: QrTrustMaterial = {
    keys: [{ jwk: { ...issuerSigner.publicJwk }, kid: issuerSigner.kid, iss: ISS }],
  };
  let credential: string;
  beforeAll(async () => {
    credential = await issueSdJwtVc(
      {
        vct: VCT,
        iss: ISS,
        claims: { given_name: CLAIMS['given_name']!, age_over_18: true },
        disclosable: 'all',
        decoys: 0,
      },
      issueCtx,
    );
  });

  it('verifies a compact SD-JWT VC with its issuer key and reports the disclosed claims', async () => {
    const result = await verifyQrText(credential, trust, at(NOW_SD));
    expect(stepNames(result)).toEqual([
      '✓prefix',
      '✓size',
      '✓decode',
      '✓key',
      '✓signature',
      '✓validity',
      '✓disclosures',
      '✓key-binding',
      '✓status',
    ]);
    expect(result).toMatchObject({
      kind: 'sd-jwt',
      valid: true,
      type: VCT,
      issuer: ISS,
      claims: { age_over_18: true },
    });
  });

  it('checks the status only with an offline resolver, and names the step when it refuses', async () => {
    const withStatus = await issueSdJwtVc(
      {
        vct: VCT,
        iss: ISS,
        claims: { age_over_18: true },
        status: { uri: 'https://status.example/1', idx: 7 },
      },
      issueCtx,
    );
    const offline = await verifyQrText(withStatus, trust, at(NOW_SD));
    expect(offline.valid).toBe(true);
    expect(offline.steps.at(-1)).toEqual({ step: 'status', ok: true, detail: 'not checked offline' });
    const revoked = await verifyQrText(withStatus, trust, {
      now: NOW_SD,
      sdJwt: { status: { resolve: async () => 1 } },
    });
    expect(failedStep(revoked)).toEqual({ valid: false, step: 'status', code: 'STATUS_REVOKED' });
    expect(revoked.claims).toBeUndefined();
  });

  it('names the failing step', async () => {
    const [jws, first, ...rest] = credential.split('~');
    const cases: Array<
      [string, string, QrTrustMaterial, Parameters<typeof verifyQrText>[2], string, string]
    > = [
      [
        'over the QR limit',
        credential,
        trust,
        { now: NOW_SD, maxSdJwtBytes: 100 },
        'size',
        'QR_PAYLOAD_TOO_LARGE',
      ],
      [
        'unknown issuer',
        credential,
        { keys: [{ jwk: { ...otherSigner.publicJwk }, kid: 'other' }] },
        at(NOW_SD),
        'key',
        'ISSUER_UNKNOWN',
      ],
      // A JWK given without kid is tried whatever kid the header names (the operator vouched for it).
      [
        'an unnamed key that is not the issuer’s',
        credential,
        { keys: [{ jwk: { ...otherSigner.publicJwk } }] },
        at(NOW_SD),
        'signature',
        'SIGNATURE_INVALID',
      ],
      [
        'type not allowed',
        credential,
        { keys: [{ ...trust.keys[0]!, types: ['urn:other'] }] },
        at(NOW_SD),
        'key',
        'CREDENTIAL_TYPE_NOT_ALLOWED',
      ],
      [
        'forged',
        credential,
        { keys: [{ jwk: { ...otherSigner.publicJwk }, kid: issuerSigner.kid }] },
        at(NOW_SD),
        'signature',
        'SIGNATURE_INVALID',
      ],
      [
        'a disclosure given twice',
        [jws, first, first, ...rest].join('~'),
        trust,
        at(NOW_SD),
        'disclosures',
        'DISCLOSURE_DUPLICATE',
      ],
      [
        'key binding required',
        credential,
        trust,
        { now: NOW_SD, sdJwt: { nonce: 'n-1' } },
        'key-binding',
        'HOLDER_KEY_MISSING',
      ],
      ['not valid yet', credential, trust, at(NOW_SD - 3600), 'validity', 'CREDENTIAL_NOT_YET_VALID'],
    ];
    for (const [why, text, trustFor, options, step, code] of cases) {
      expect(failedStep(await verifyQrText(text, trustFor, options)), why).toEqual({
        valid: false,
        step,
        code,
      });
    }
  });
});

// The SD-JWT fixtures issue at their own frozen clock.
const NOW_SD = issueCtx.clock.now();

describe('trust material', () => {
  it('keeps a certificate with a key type we do not verify with, reported unusable', async () => {
    const { webcrypto } = await import('node:crypto');
    const x509 = await import('@peculiar/x509');
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-521' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const p521 = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=P-521 DSC',
      notBefore: new Date((NOW - DAY) * 1000),
      notAfter: new Date((NOW + DAY) * 1000),
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-512' },
      keys,
    });
    const trust: QrTrustMaterial = {
      keys: [{ certificate: new Uint8Array(p521.rawData), label: 'p521.der' }],
    };
    expect(await prepareQrTrust(trust)).toEqual([
      expect.objectContaining({
        usable: false,
        label: 'p521.der',
        reason: expect.stringContaining('key type'),
      }),
    ]);
    const result = await verifyQrText(buildHc1(await makeDsc('ES256')), trust, at(NOW));
    expect(failedStep(result)).toEqual({ valid: false, step: 'key', code: 'ISSUER_UNKNOWN' });
  });

  it('refuses broken material with KEY_INVALID and reports unusable keys', async () => {
    for (const keys of [
      [{ jwk: { ...registrySigner.publicJwk, d: 'AAAA' } }],
      [{ jwk: { kty: 'oct', k: 'AAAA' } }],
      [{ jwk: { kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' } }],
      [{ jwk: { kty: 'RSA', n: Buffer.alloc(128, 1).toString('base64url'), e: 'AQAB' } }],
      [{ certificate: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]) }],
    ] as QrTrustMaterial['keys'][]) {
      await expect(prepareQrTrust({ keys }), JSON.stringify(keys)).rejects.toMatchObject({
        code: 'KEY_INVALID',
      });
    }
    const dsc = await makeDsc('PS256');
    const summary = await prepareQrTrust({
      keys: [{ certificate: dsc.der, label: 'rsa.der' }, ...registryTrust.keys],
    });
    expect(summary).toEqual([
      expect.objectContaining({
        source: 'x509',
        alg: 'PS256',
        usable: true,
        label: 'rsa.der',
        kid: Buffer.from(dsc.kid).toString('base64'),
      }),
      expect.objectContaining({ source: 'jwk', alg: 'ES256', usable: true, kid: registrySigner.kid }),
    ]);
    await expect(verifyQrText('x', { keys: [{ jwk: { kty: 'oct' } }] }, at(NOW))).rejects.toBeInstanceOf(
      TriesteError,
    );
    await expect(verifyQrText('x', registryTrust, { now: Number.NaN })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('hostile QR texts', () => {
  let hc1: string;
  let claim169: string;
  let trust: QrTrustMaterial;
  beforeAll(async () => {
    const dsc = await makeDsc('ES256');
    hc1 = buildHc1(dsc);
    claim169 = await signClaim169Qr(
      { identity: IDENTITY, issuer: REGISTRY, issuedAt: NOW - DAY },
      registrySigner,
    );
    trust = { keys: [...dscTrust(dsc).keys, ...registryTrust.keys] };
  });
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split('');

  it('never throws on arbitrary text and never calls it valid', async () => {
    const base45ish = fc.array(fc.constantFrom(...alphabet), { maxLength: 80 }).map((c) => c.join(''));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 80 }),
          base45ish,
          base45ish.map((s) => `HC1:${s}`),
          fc.string().map((s) => `eyJ${s}~`),
        ),
        async (text) => {
          const result = await verifyQrText(text, trust, at(NOW));
          expect(result.valid).toBe(false);
          expect(result.steps.at(-1)?.ok).toBe(false);
          expect(typeof result.code).toBe('string');
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('never throws on a valid code with one character changed, and never accepts other claims', async () => {
    const original = {
      hc1: (await verifyQrText(hc1, trust, at(NOW))).claims,
      claim169: (await verifyQrText(claim169, trust, at(NOW))).claims,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.nat(),
        fc.constantFrom(...alphabet),
        async (isHc1, position, char) => {
          const text = isHc1 ? hc1 : claim169;
          const start = isHc1 ? 4 : 0;
          const at2 = start + (position % (text.length - start));
          const mutated = text.slice(0, at2) + char + text.slice(at2 + 1);
          const result = await verifyQrText(mutated, trust, at(NOW));
          // A change inside DEFLATE's padding bits can leave the payload intact: then it must be the same.
          if (result.valid) expect(result.claims).toEqual(isHc1 ? original.hc1 : original.claim169);
          else expect(result.steps.at(-1)?.ok).toBe(false);
        },
      ),
      { numRuns: 800 },
    );
  });
});
