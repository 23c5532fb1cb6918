import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeSdJwt, issueSdJwtVc, presentSdJwtVc, TriesteError, verifySdJwtVc } from '../index.js';
import {
  CLAIMS,
  clock,
  crypto,
  holderSigner,
  ISS,
  issueCtx,
  NOW,
  otherSigner,
  VCT,
  verifyCtx,
} from './sd-jwt.test-util.js';

const credential = (bound = true) =>
  issueSdJwtVc(
    {
      iss: ISS,
      vct: VCT,
      claims: CLAIMS,
      disclosable: 'all',
      holderKey: bound ? holderSigner.publicJwk : undefined,
    },
    issueCtx,
  );
const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'NO_ERROR',
    (e) => (e instanceof TriesteError ? e.code : Promise.reject(e)),
  );
const claimsOf = async (disclose: string[]) => {
  const presentation = await presentSdJwtVc(await credential(), { disclose }, { crypto, clock });
  return (await verifySdJwtVc(presentation, {}, verifyCtx)).claims;
};

describe('presentSdJwtVc refuses', () => {
  it('a holder key for a credential without cnf (HOLDER_KEY_MISSING)', async () => {
    expect(
      await codeOf(
        presentSdJwtVc(await credential(false), { disclose: [] }, { holder: holderSigner, crypto, clock }),
      ),
    ).toBe('HOLDER_KEY_MISSING');
  });

  it('a holder key other than the cnf key (KEY_INVALID)', async () => {
    expect(
      await codeOf(
        presentSdJwtVc(await credential(), { disclose: [] }, { holder: otherSigner, crypto, clock }),
      ),
    ).toBe('KEY_INVALID');
  });

  it('input that is already a key-bound presentation, or garbage (MALFORMED)', async () => {
    const presented = await presentSdJwtVc(
      await credential(),
      { disclose: [] },
      { holder: holderSigner, crypto, clock },
    );
    expect(await codeOf(presentSdJwtVc(presented, { disclose: [] }, { crypto, clock }))).toBe('MALFORMED');
    expect(await codeOf(presentSdJwtVc('garbage', { disclose: [] }, { crypto, clock }))).toBe('MALFORMED');
  });

  it('a credential whose disclosures do not fit it (DISCLOSURE_UNREFERENCED)', async () => {
    const foreign = decodeSdJwt(await credential()).disclosures[0]!.encoded;
    expect(
      await codeOf(presentSdJwtVc(`${await credential()}${foreign}~`, { disclose: [] }, { crypto, clock })),
    ).toBe('DISCLOSURE_UNREFERENCED');
  });

  it('a malformed request with a TypeError', async () => {
    const sdJwt = await credential();
    await expect(
      presentSdJwtVc(sdJwt, { disclose: 'given_name' as unknown as string[] }, { crypto, clock }),
    ).rejects.toThrow(TypeError);
    await expect(presentSdJwtVc(sdJwt, { disclose: ['given_name'] }, { crypto, clock })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('presentSdJwtVc', () => {
  it('discloses a node, the ancestors needed to reach it, and nothing beside it', async () => {
    expect(await claimsOf(['/address/locality'])).toEqual({ address: { locality: 'Trieste-Secret' } });
  });

  it('discloses everything under a node', async () => {
    expect(await claimsOf(['/address'])).toEqual({ address: CLAIMS['address'] });
  });

  it('counts array indices in the full array', async () => {
    expect(await claimsOf(['/nationalities/1'])).toEqual({ nationalities: ['SI-Secret'] });
  });

  it("discloses everything for '' and nothing for an empty list or a pointer that matches nothing", async () => {
    expect(await claimsOf([''])).toEqual(CLAIMS);
    expect(await claimsOf([])).toEqual({});
    expect(await claimsOf(['/no_such_claim', '/nationalities/9'])).toEqual({});
  });

  it('keeps the issuer order of disclosures and ends with "~" without a holder key', async () => {
    const sdJwt = await credential();
    const presentation = await presentSdJwtVc(
      sdJwt,
      { disclose: ['/age_over_18', '/given_name'] },
      { crypto, clock },
    );
    expect(presentation.endsWith('~')).toBe(true);
    const order = decodeSdJwt(sdJwt).disclosures.map((d) => d.encoded);
    const chosen = decodeSdJwt(presentation).disclosures.map((d) => d.encoded);
    expect(chosen).toHaveLength(2);
    expect(chosen).toEqual(order.filter((d) => chosen.includes(d)));
  });

  it('appends a KB-JWT with iat, aud, nonce and an sd_hash over the presentation (RFC 9901 §4.3.1)', async () => {
    const presentation = await presentSdJwtVc(
      await credential(),
      { disclose: ['/given_name'], nonce: 'n', aud: 'https://v.example' },
      { holder: holderSigner, crypto, clock },
    );
    const { kbJwt } = decodeSdJwt(presentation);
    const [header, payload] = kbJwt!
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const withoutKb = presentation.slice(0, presentation.length - kbJwt!.length);
    expect(header).toEqual({ typ: 'kb+jwt', alg: 'ES256' });
    expect(payload).toEqual({
      iat: NOW,
      aud: 'https://v.example',
      nonce: 'n',
      sd_hash: Buffer.from(crypto.sha256(Buffer.from(withoutKb))).toString('base64url'),
    });
  });
});
