import { Buffer } from 'node:buffer';
import { describe, expect, it, vi } from 'vitest';
import {
  type CryptoPort,
  decodeSdJwt,
  type IssueSdJwtVcInput,
  issueSdJwtVc,
  type JsonObject,
  presentSdJwtVc,
  TriesteError,
  verifySdJwtVc,
} from '../index.js';
import {
  CLAIMS,
  clock,
  crypto,
  holderSigner,
  ISS,
  issueCtx,
  issuerSigner,
  NOW,
  VCT,
  verifyCtx,
} from './sd-jwt.test-util.js';

const DIGEST = /^[A-Za-z0-9_-]{43}$/;
const issue = (input: Partial<IssueSdJwtVcInput>, ctx = issueCtx) =>
  issueSdJwtVc({ iss: ISS, vct: VCT, claims: CLAIMS, ...input }, ctx);

describe('issueSdJwtVc refuses caller bugs with a TypeError', () => {
  it.each(['iss', 'vct', 'iat', 'exp', 'nbf', 'cnf', 'status', '_sd', '_sd_alg', '...'])(
    'the reserved claim %s',
    async (name) => {
      await expect(issue({ claims: { [name]: 'x' } })).rejects.toThrow(TypeError);
    },
  );

  it.each([
    ['_sd nested in an object', { a: { _sd: [] } }],
    ['... nested in an array', { a: [{ '...': 'x' }] }],
    ['NaN', { a: Number.NaN }],
    ['undefined', { a: undefined } as unknown as JsonObject],
  ])('claims with %s', async (_name, claims) => {
    await expect(issue({ claims })).rejects.toThrow(TypeError);
  });

  it.each([
    ['the root', ''],
    ['a missing claim', '/nope'],
    ['a missing array element', '/nationalities/2'],
    ['a non-canonical index', '/nationalities/01'],
    ['a member of a string', '/given_name/x'],
    ['a bad escape', '/a~2'],
    ['no leading slash', 'given_name'],
  ])('a disclosable pointer to %s', async (_name, pointer) => {
    await expect(issue({ disclosable: [pointer] })).rejects.toThrow(TypeError);
  });

  it('sub given twice, negative decoys, a bad status index', async () => {
    await expect(issue({ sub: 'a', claims: { sub: 'b' } })).rejects.toThrow(TypeError);
    await expect(issue({ decoys: -1 })).rejects.toThrow(TypeError);
    await expect(issue({ status: { uri: 'https://s.example', idx: -1 } })).rejects.toThrow(TypeError);
  });

  it('a holder key carrying private material (KEY_INVALID)', async () => {
    const withD = { ...holderSigner.publicJwk, d: 'x' } as unknown as IssueSdJwtVcInput['holderKey'];
    await expect(issue({ holderKey: withD })).rejects.toSatisfy(
      (e) => e instanceof TriesteError && e.code === 'KEY_INVALID',
    );
  });
});

describe('issueSdJwtVc', () => {
  it('signs a dc+sd-jwt with alg and kid, sha-256, registered claims and a public cnf.jwk', async () => {
    const sdJwt = await issue({
      holderKey: { ...holderSigner.publicJwk, kid: 'wallet-1', use: 'sig' },
      status: { uri: 'https://status.example/1', idx: 7 },
      expiresAt: NOW + 60,
      notBefore: NOW,
      sub: 'did:example:holder',
    });
    const { header, payload, disclosures, kbJwt } = decodeSdJwt(sdJwt);
    expect(header).toEqual({ typ: 'dc+sd-jwt', alg: 'ES256', kid: issuerSigner.kid });
    expect(payload).toEqual({
      iss: ISS,
      iat: NOW,
      nbf: NOW,
      exp: NOW + 60,
      vct: VCT,
      sub: 'did:example:holder',
      cnf: { jwk: holderSigner.publicJwk },
      status: { status_list: { idx: 7, uri: 'https://status.example/1' } },
      ...CLAIMS,
      _sd_alg: 'sha-256',
    });
    expect(disclosures).toEqual([]);
    expect(kbJwt).toBeUndefined();
    expect(sdJwt.endsWith('~')).toBe(true);
  });

  it('makes nested members, array elements and escaped names disclosable, each as its own disclosure', async () => {
    const claims = { 'a/b': 1, address: { locality: 'Trieste', country: 'IT' }, list: ['x', 'y'] };
    const sdJwt = await issue({ claims, disclosable: ['/a~1b', '/address/locality', '/list/1'], decoys: 0 });
    const { payload, disclosures } = decodeSdJwt(sdJwt);
    expect(disclosures.map((d) => [d.name, d.value])).toEqual([
      ['a/b', 1],
      ['locality', 'Trieste'],
      [undefined, 'y'],
    ]);
    expect(payload['_sd']).toEqual([disclosures[0]!.digest]);
    expect(payload['address']).toEqual({ country: 'IT', _sd: [disclosures[1]!.digest] });
    expect(payload['list']).toEqual(['x', { '...': disclosures[2]!.digest }]);
  });

  it("with 'all', discloses every claim, member and element recursively (parents embed their children's digests)", async () => {
    const sdJwt = await issue({ disclosable: 'all', decoys: 0 });
    const { payload, disclosures } = decodeSdJwt(sdJwt);
    // 6 claims + 3 address members + 2 nationalities
    expect(disclosures).toHaveLength(11);
    expect(Object.keys(payload)).toEqual(['iss', 'iat', 'vct', '_sd', '_sd_alg']);
    const address = disclosures.find((d) => d.name === 'address')!;
    expect(Object.keys(address.value as JsonObject)).toEqual(['_sd']);
    const full = await verifySdJwtVc(
      await presentSdJwtVc(sdJwt, { disclose: [''] }, { crypto, clock }),
      {},
      verifyCtx,
    );
    expect(full.claims).toEqual(CLAIMS);
  });

  it('adds the requested number of decoys, indistinguishable from digests, and sorts every _sd array', async () => {
    const sdJwt = await issue({
      disclosable: ['/given_name', '/family_name', '/address/country'],
      decoys: 4,
    });
    const { payload, disclosures } = decodeSdJwt(sdJwt);
    const top = payload['_sd'] as string[];
    const nested = (payload['address'] as JsonObject)['_sd'] as string[];
    expect(top).toHaveLength(2 + 4);
    expect(nested).toHaveLength(1 + 4);
    for (const list of [top, nested]) {
      expect([...list].sort()).toEqual(list);
      for (const digest of list) expect(digest).toMatch(DIGEST);
    }
    const real = new Set(disclosures.map((d) => d.digest));
    expect(top.filter((d) => real.has(d))).toHaveLength(2);
  });

  it('adds 0 to 3 decoys by default, drawn at random', async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const { payload } = decodeSdJwt(await issue({ disclosable: ['/given_name'] }));
      const decoys = (payload['_sd'] as string[]).length - 1;
      expect(decoys).toBeGreaterThanOrEqual(0);
      expect(decoys).toBeLessThanOrEqual(3);
      seen.add(decoys);
    }
    expect(seen.size).toBeGreaterThan(1);
  });

  it('draws all salts (128 bits each, all different) in a single call to crypto.bytes', async () => {
    const bytes = vi.fn((n: number) => crypto.bytes(n));
    const counted: CryptoPort = { ...crypto, bytes };
    const sdJwt = await issue({ disclosable: 'all' }, { signer: issuerSigner, crypto: counted, clock });
    expect(bytes).toHaveBeenCalledTimes(1);
    const salts = decodeSdJwt(sdJwt).disclosures.map((d) => d.salt);
    expect(salts).toHaveLength(11);
    expect(new Set(salts).size).toBe(salts.length);
    for (const salt of salts) expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
  });
});
