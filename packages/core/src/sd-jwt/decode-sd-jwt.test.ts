import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeSdJwt, issueSdJwtVc, presentSdJwtVc, TriesteError } from '../index.js';
import { CLAIMS, clock, crypto, holderSigner, ISS, issueCtx, VCT } from './sd-jwt.test-util.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'NO_ERROR';
  } catch (error) {
    if (error instanceof TriesteError) return error.code;
    throw error;
  }
};

describe('decodeSdJwt', () => {
  it('refuses what is not an SD-JWT with a code', () => {
    expect(codeOf(() => decodeSdJwt('abc'))).toBe('MALFORMED');
    expect(codeOf(() => decodeSdJwt('a.b~'))).toBe('MALFORMED');
    expect(codeOf(() => decodeSdJwt('e30.e30.AA~!!~'))).toBe('DISCLOSURE_MALFORMED');
    expect(codeOf(() => decodeSdJwt(null as unknown as string))).toBe('MALFORMED');
  });

  it('decodes header, payload, disclosures with their digests, and the KB-JWT, without verifying', async () => {
    const sdJwt = await issueSdJwtVc(
      {
        iss: ISS,
        vct: VCT,
        claims: CLAIMS,
        disclosable: ['/given_name', '/nationalities/0'],
        holderKey: holderSigner.publicJwk,
      },
      issueCtx,
    );
    const presentation = await presentSdJwtVc(
      sdJwt,
      { disclose: [''] },
      { holder: holderSigner, crypto, clock },
    );
    const decoded = decodeSdJwt(presentation);
    expect(decoded.header['typ']).toBe('dc+sd-jwt');
    expect(decoded.payload['vct']).toBe(VCT);
    expect(decoded.disclosures.map(({ name, value }) => ({ name, value }))).toEqual([
      { name: 'given_name', value: 'Ottavia-Secret' },
      { name: undefined, value: 'IT-Secret' },
    ]);
    for (const d of decoded.disclosures) {
      expect(d.digest).toBe(Buffer.from(crypto.sha256(Buffer.from(d.encoded))).toString('base64url'));
      expect(presentation).toContain(d.encoded);
    }
    expect(decoded.kbJwt?.split('.')).toHaveLength(3);
    // The default hasher (@noble/hashes) and an injected one agree.
    expect(decodeSdJwt(presentation, crypto).disclosures).toEqual(decoded.disclosures);
  });
});
