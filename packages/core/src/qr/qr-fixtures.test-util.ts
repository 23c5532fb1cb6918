// Fixtures for the offline QR tests: our own keys and certificates, and an EU DCC "HC1:" builder
// written from the specification with node:crypto, cbor-x, node:zlib and its own Base45 encoder,
// sharing no code with the verifier (or with signClaim169Qr), so a test that passes proves the
// two independent readings of the specification agree.
import { createHash, generateKeyPairSync, type KeyObject, sign, webcrypto } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import * as x509 from '@peculiar/x509';
import { Encoder, Tag } from 'cbor-x';
import { generatePrivateJwk, nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import type { JsonObject, QrTrustMaterial, Signer } from '../index.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export const NOW = 1_750_000_000; // 2025-06-15T15:06:40Z
export const DAY = 86_400;
export const REGISTRY = 'https://registry.xa.example';

export const registrySigner: Signer = nodeSigner(generatePrivateJwk('ES256'));
export const otherSigner: Signer = nodeSigner(generatePrivateJwk('ES256'));
export const edSigner: Signer = nodeSigner(generatePrivateJwk('EdDSA'));

export const registryTrust: QrTrustMaterial = {
  keys: [
    { jwk: { ...registrySigner.publicJwk }, kid: registrySigner.kid, iss: REGISTRY, label: 'registry.jwk' },
  ],
};

/** Identity values chosen to be recognisable, so a test can prove no step detail contains them. */
export const IDENTITY = {
  id: '4829175036',
  fullName: 'Amina Secret-Haddad',
  firstName: 'Amina',
  lastName: 'Secret-Haddad',
  dateOfBirth: '19900301',
  gender: 2,
  nationality: 'XA',
  secondaryFullName: 'أمينة حداد',
  secondaryLanguage: 'ara',
  legalStatus: 'refugee',
  countryOfIssuance: 'XA',
};

// ---------------------------------------------------------------------------------------------
// X.509 Document Signer Certificates, as a national backend would publish them.
// ---------------------------------------------------------------------------------------------

export type DscAlg = 'ES256' | 'PS256' | 'ES384';

export interface Dsc {
  der: Uint8Array;
  privateKey: KeyObject;
  alg: DscAlg;
  /** EU DCC kid: the first 8 bytes of SHA-256 over the DER. */
  kid: Uint8Array;
}

const GENERATION: Record<DscAlg, { keyGen: RsaHashedKeyGenParams | EcKeyGenParams; signing: Algorithm }> = {
  ES256: {
    keyGen: { name: 'ECDSA', namedCurve: 'P-256' },
    signing: { name: 'ECDSA', hash: 'SHA-256' } as Algorithm,
  },
  ES384: {
    keyGen: { name: 'ECDSA', namedCurve: 'P-384' },
    signing: { name: 'ECDSA', hash: 'SHA-384' } as Algorithm,
  },
  PS256: {
    keyGen: {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
    },
    signing: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm,
  },
};

export async function makeDsc(
  alg: DscAlg,
  options: { country?: string; notBefore?: number; notAfter?: number } = {},
): Promise<Dsc> {
  const { keyGen, signing } = GENERATION[alg];
  const keys = (await webcrypto.subtle.generateKey(keyGen, true, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16),
    name: `CN=${options.country ?? 'XA'} DSC ${alg}, C=${options.country ?? 'XA'}`,
    notBefore: new Date((options.notBefore ?? NOW - 365 * DAY) * 1000),
    notAfter: new Date((options.notAfter ?? NOW + 365 * DAY) * 1000),
    signingAlgorithm: signing,
    keys,
  });
  const der = new Uint8Array(certificate.rawData);
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const { createPrivateKey } = await import('node:crypto');
  return {
    der,
    privateKey: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
    alg,
    kid: new Uint8Array(createHash('sha256').update(der).digest().subarray(0, 8)),
  };
}

// ---------------------------------------------------------------------------------------------
// An EU DCC built by hand (hcert spec §3: CWT claims 1, 4, 6, -260 → 1; COSE_Sign1 with kid;
// ZLIB; Base45; "HC1:").
// ---------------------------------------------------------------------------------------------

const cbor = new Encoder({
  tagUint8Array: false,
  useRecords: false,
  variableMapSize: true,
  mapsAsObjects: false,
  useTag259ForMaps: false,
} as ConstructorParameters<typeof Encoder>[0]);

export const VACCINATION: JsonObject = {
  ver: '1.3.0',
  nam: { fn: 'Secret-Rossi', fnt: 'SECRET<ROSSI', gn: 'Lea', gnt: 'LEA' },
  dob: '1990-03-01',
  v: [
    {
      tg: '840539006',
      vp: '1119349007',
      mp: 'EU/1/20/1528',
      ma: 'ORG-100030215',
      dn: 2,
      sd: 2,
      dt: '2025-03-01',
      co: 'XA',
      is: 'Ministry of Health XA',
      ci: 'URN:UVCI:01:XA:SECRET0000000001#K',
    },
  ],
};

export interface Hc1Options {
  dcc?: unknown;
  iss?: string;
  iat?: number;
  exp?: number | null;
  /** Where the kid goes; `none` sends no kid. */
  kidIn?: 'protected' | 'unprotected' | 'none';
  kid?: Uint8Array;
  tagged?: boolean;
  /** Sign with this key instead of the DSC's (a forgery). */
  signingKey?: KeyObject;
  /** Replace the claims map entirely. */
  claims?: Map<number, unknown>;
  /** Change the payload after signing. */
  tamper?: (payload: Uint8Array) => Uint8Array;
}

export function buildHc1(dsc: Dsc, options: Hc1Options = {}): string {
  const claims =
    options.claims ??
    new Map<number, unknown>([
      [1, options.iss ?? 'XA'],
      [6, options.iat ?? NOW - DAY],
      ...(options.exp === null ? [] : [[4, options.exp ?? NOW + 180 * DAY] as [number, unknown]]),
      [-260, new Map([[1, options.dcc ?? VACCINATION]])],
    ]);
  const alg = { ES256: -7, ES384: -35, PS256: -37 }[dsc.alg];
  const kid = options.kid ?? dsc.kid;
  const kidIn = options.kidIn ?? 'protected';
  const protectedHeader = new Map<number, unknown>([[1, alg]]);
  if (kidIn === 'protected') protectedHeader.set(4, kid);
  const unprotected = new Map<number, unknown>();
  if (kidIn === 'unprotected') unprotected.set(4, kid);
  const protectedBytes = new Uint8Array(cbor.encode(protectedHeader));
  const payload = new Uint8Array(cbor.encode(claims));
  // RFC 9052 §4.4 Sig_structure, by hand: array(4), "Signature1", bstr, bstr(0), bstr.
  const toBeSigned = Buffer.concat([
    Buffer.from([0x84, 0x6a]),
    Buffer.from('Signature1'),
    bstrHeader(protectedBytes.length),
    protectedBytes,
    Buffer.from([0x40]),
    bstrHeader(payload.length),
    payload,
  ]);
  const key = options.signingKey ?? dsc.privateKey;
  const signature =
    dsc.alg === 'PS256'
      ? sign('sha256', toBeSigned, { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 })
      : sign(dsc.alg === 'ES384' ? 'sha384' : 'sha256', toBeSigned, { key, dsaEncoding: 'ieee-p1363' });
  const sent = options.tamper ? options.tamper(payload) : payload;
  const array = [protectedBytes, unprotected, sent, new Uint8Array(signature)];
  const cose = new Uint8Array(cbor.encode(options.tagged === false ? array : new Tag(array, 18)));
  return `HC1:${base45(new Uint8Array(deflateSync(cose, { level: 9 })))}`;
}

function bstrHeader(length: number): Buffer {
  if (length < 24) return Buffer.from([0x40 | length]);
  if (length < 256) return Buffer.from([0x58, length]);
  return Buffer.from([0x59, length >> 8, length & 0xff]);
}

// RFC 9285 §4, written again here so the fixture does not depend on the code under test.
function base45(bytes: Uint8Array): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      const n = bytes[i]! * 256 + bytes[i + 1]!;
      out += alphabet[n % 45]! + alphabet[Math.floor(n / 45) % 45]! + alphabet[Math.floor(n / 2025)]!;
    } else {
      out += alphabet[bytes[i]! % 45]! + alphabet[Math.floor(bytes[i]! / 45)]!;
    }
  }
  return out;
}

export function dscTrust(...dscs: Dsc[]): QrTrustMaterial {
  return { keys: dscs.map((dsc, i) => ({ certificate: dsc.der, label: `dsc-${i}.der` })) };
}

/** A key pair for nothing trusted: forgeries. */
export function strangerKey(alg: DscAlg): KeyObject {
  if (alg === 'PS256') return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return generateKeyPairSync('ec', { namedCurve: alg === 'ES384' ? 'P-384' : 'P-256' }).privateKey;
}
