// Interop with our independent counterpart, @sd-jwt/sd-jwt-vc 0.19.0 (openwallet-foundation/sd-jwt-js),
// in both directions, with jose as a third opinion on our JWS and KB-JWT signatures. The vectors
// are openwallet-foundation/sd-jwt-js packages/sd-jwt-vc/test/*.json (Apache-2.0).
import { readdirSync, readFileSync } from 'node:fs';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { compactVerify, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeSigner } from '../../../adapters/src/crypto/node-crypto.js';
import {
  decodeSdJwt,
  type IssuerKeyResolver,
  issueSdJwtVc,
  type JsonObject,
  type PrivateJwk,
  type PublicJwk,
  parsePrivateJwk,
  presentSdJwtVc,
  type Signer,
  toPublicJwk,
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

const NONCE = 'nonce-4f1c';
const AUD = 'https://verifier.trieste.example';
const REGISTERED = new Set(['iss', 'vct', 'iat', 'exp', 'nbf', 'cnf', 'status', '_sd_alg']);

const subjectClaims = (payload: Record<string, unknown>): JsonObject =>
  Object.fromEntries(Object.entries(payload).filter(([name]) => !REGISTERED.has(name))) as JsonObject;

// sd-jwt-js verifies the KB-JWT with whatever key this callback picks: the one in cnf.jwk.
const kbVerifier = async (data: string, signature: string, payload: Record<string, unknown>) => {
  const jwk = (payload['cnf'] as { jwk: JsonWebKey }).jwk;
  return (await ES256.getVerifier(jwk))(data, signature);
};

let theirIssuerPublic: PublicJwk;
let theirHolderPublic: PublicJwk;
let theirHolder: Signer;
let theirs: SDJwtVcInstance;
let theirsVerifyingOurs: SDJwtVcInstance;

beforeAll(async () => {
  const issuer = await ES256.generateKeyPair();
  const holder = await ES256.generateKeyPair();
  // crypto-nodejs keys carry key_ops/ext: strip them before they go into cnf.jwk or our resolver.
  theirIssuerPublic = toPublicJwk(issuer.publicKey as PublicJwk);
  theirHolderPublic = toPublicJwk(holder.publicKey as PublicJwk);
  theirHolder = nodeSigner(parsePrivateJwk(holder.privateKey as PrivateJwk));
  const common = { hasher: digest, hashAlg: 'sha-256', saltGenerator: generateSalt, kbVerifier };
  theirs = new SDJwtVcInstance({
    ...common,
    signer: await ES256.getSigner(issuer.privateKey),
    signAlg: 'ES256',
    verifier: await ES256.getVerifier(issuer.publicKey),
    kbSigner: await ES256.getSigner(holder.privateKey),
    kbSignAlg: 'ES256',
  });
  theirsVerifyingOurs = new SDJwtVcInstance({
    ...common,
    verifier: await ES256.getVerifier(issuerSigner.publicJwk),
  });
});

const theirIssuerKeys: IssuerKeyResolver = {
  async resolve({ iss }) {
    return iss === 'https://them.example' ? theirIssuerPublic : undefined;
  },
};

describe('ours -> @sd-jwt/sd-jwt-vc', () => {
  it('verifies our credential and presentation, key binding included, with the same claims', async () => {
    const sdJwt = await issueSdJwtVc(
      {
        iss: ISS,
        vct: VCT,
        claims: CLAIMS,
        disclosable: 'all',
        holderKey: holderSigner.publicJwk,
        expiresAt: NOW + 3600,
      },
      issueCtx,
    );
    const presentation = await presentSdJwtVc(
      sdJwt,
      { disclose: ['/given_name', '/address/locality', '/nationalities/1'], nonce: NONCE, aud: AUD },
      { holder: holderSigner, crypto, clock },
    );
    const result = await theirsVerifyingOurs.verify(presentation, {
      keyBindingNonce: NONCE,
      currentDate: NOW,
    });
    expect(result.kb?.payload.aud).toBe(AUD);
    const ours = await verifySdJwtVc(presentation, { nonce: NONCE, aud: AUD }, verifyCtx);
    expect(subjectClaims(result.payload as Record<string, unknown>)).toEqual(ours.claims);
    expect(ours.claims).toEqual({
      given_name: 'Ottavia-Secret',
      address: { locality: 'Trieste-Secret' },
      nationalities: ['SI-Secret'],
    });
  });

  it('refuses our presentation in sd-jwt-js when a disclosure is dropped after key binding', async () => {
    const sdJwt = await issueSdJwtVc(
      { iss: ISS, vct: VCT, claims: CLAIMS, disclosable: 'all', holderKey: holderSigner.publicJwk },
      issueCtx,
    );
    const presentation = await presentSdJwtVc(
      sdJwt,
      { disclose: ['/given_name', '/birthdate'], nonce: NONCE, aud: AUD },
      holderCtxOf(),
    );
    const parts = presentation.split('~');
    const tampered = [parts[0], parts[2], parts[3]].join('~');
    await expect(
      theirsVerifyingOurs.verify(tampered, { keyBindingNonce: NONCE, currentDate: NOW }),
    ).rejects.toThrow();
  });

  it('passes jose compactVerify for our issuer JWS and our KB-JWT', async () => {
    const sdJwt = await issueSdJwtVc(
      { iss: ISS, vct: VCT, claims: CLAIMS, holderKey: holderSigner.publicJwk },
      issueCtx,
    );
    const presentation = await presentSdJwtVc(sdJwt, { disclose: [], nonce: NONCE, aud: AUD }, holderCtxOf());
    const [jws] = presentation.split('~');
    const issued = await compactVerify(jws!, await importJWK(issuerSigner.publicJwk, 'ES256'));
    expect(issued.protectedHeader).toMatchObject({ alg: 'ES256', typ: 'dc+sd-jwt', kid: issuerSigner.kid });
    const kbJwt = decodeSdJwt(presentation).kbJwt!;
    const kb = await compactVerify(kbJwt, await importJWK(holderSigner.publicJwk, 'ES256'));
    expect(kb.protectedHeader).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
  });
});

describe('@sd-jwt/sd-jwt-vc -> ours', () => {
  it('verifies their credential and their key-bound presentation with the claims they compute', async () => {
    const credential = await theirs.issue(
      { iss: 'https://them.example', vct: VCT, iat: NOW, cnf: { jwk: theirHolderPublic }, ...CLAIMS },
      {
        _sd: ['given_name', 'family_name', 'birthdate', 'address'],
        address: { _sd: ['street', 'locality'] },
      },
    );
    const presentation = await theirs.present(
      credential,
      { given_name: true, address: { locality: true } },
      { kb: { payload: { iat: NOW, aud: AUD, nonce: NONCE } } },
    );
    const ours = await verifySdJwtVc(
      presentation,
      { nonce: NONCE, aud: AUD },
      { ...verifyCtx, issuerKeys: theirIssuerKeys },
    );
    expect(ours.keyBound).toBe(true);
    expect(ours.holderKey).toEqual(theirHolderPublic);
    expect(ours.claims).toEqual(
      subjectClaims((await theirs.getClaims(presentation)) as Record<string, unknown>),
    );
    expect(ours.claims).toEqual({
      given_name: 'Ottavia-Secret',
      address: { locality: 'Trieste-Secret', country: 'IT' },
      nationalities: ['IT-Secret', 'SI-Secret'],
      age_over_18: true,
    });
  });

  it('lets our holder present their credential, and they verify our presentation', async () => {
    const credential = await theirs.issue(
      { iss: 'https://them.example', vct: VCT, iat: NOW, cnf: { jwk: theirHolderPublic }, ...CLAIMS },
      { _sd: ['given_name', 'family_name', 'nationalities'], nationalities: { _sd: [0, 1] } },
    );
    const presentation = await presentSdJwtVc(
      credential,
      { disclose: ['/nationalities/0'], nonce: NONCE, aud: AUD },
      { holder: theirHolder, crypto, clock },
    );
    const result = await theirs.verify(presentation, { keyBindingNonce: NONCE, currentDate: NOW });
    const ours = await verifySdJwtVc(
      presentation,
      { nonce: NONCE, aud: AUD },
      { ...verifyCtx, issuerKeys: theirIssuerKeys },
    );
    expect(ours.claims).toEqual(subjectClaims(result.payload as Record<string, unknown>));
    expect(ours.claims['nationalities']).toEqual(['IT-Secret']);
  });

  describe('every conformance vector, issued and presented by sd-jwt-js, verified by us', () => {
    const dir = new URL('../../../../../shared/vectors/sd-jwt/', import.meta.url);
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      it(file, async () => {
        const vector = JSON.parse(readFileSync(new URL(file, dir), 'utf8'));
        const credential = await theirs.issue(
          {
            iss: 'https://them.example',
            vct: VCT,
            iat: NOW,
            cnf: { jwk: theirHolderPublic },
            ...vector.claims,
          },
          vector.disclosureFrame,
        );
        const presentation = await theirs.present(credential, vector.presentationFrames, {
          kb: { payload: { iat: NOW, aud: AUD, nonce: NONCE } },
        });
        const ours = await verifySdJwtVc(
          presentation,
          { nonce: NONCE, aud: AUD },
          { ...verifyCtx, issuerKeys: theirIssuerKeys },
        );
        const expected = subjectClaims((await theirs.getClaims(presentation)) as Record<string, unknown>);
        expect(ours.claims).toEqual(expected);
      });
    }
  });
});

function holderCtxOf() {
  return { holder: holderSigner, crypto, clock };
}
