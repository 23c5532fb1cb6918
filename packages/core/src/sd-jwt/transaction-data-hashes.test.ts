// OpenID4VP 1.0 §8.4 / Appendix B.3.3: transaction_data_hashes in the KB-JWT, presented by us and
// verified by us, checked against node:crypto's SHA-256 and against @sd-jwt/sd-jwt-vc 0.19.0 (an
// independent implementation that lets a holder add KB-JWT payload fields).
import { createHash } from 'node:crypto';
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { describe, expect, it } from 'vitest';
import {
  decodeSdJwt,
  issueSdJwtVc,
  presentSdJwtVc,
  TRANSACTION_DATA_HASH_ALG,
  transactionDataHashes,
  verifySdJwtVc,
} from '../index.js';
import { decodeCompactJws } from '../jws/decode-compact.js';
import {
  CLAIMS,
  clock,
  codeOf,
  crypto,
  holderSigner,
  ISS,
  issueCtx,
  issuerSigner,
  NOW,
  VCT,
  verifyCtx,
} from './sd-jwt.test-util.js';

const NONCE = 'nonce-td-1';
const AUD = 'decentralized_identifier:did:jwk:verifier';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const CONSENT = b64({
  type: 'trieste_parental_consent',
  credential_ids: ['guardian'],
  child: { given_name: 'Amina' },
  consent: 'Open a learning account for Amina',
});
const OTHER = b64({
  type: 'trieste_parental_consent',
  credential_ids: ['guardian'],
  child: { given_name: 'Yusuf' },
});

const credential = () =>
  issueSdJwtVc(
    { iss: ISS, vct: VCT, claims: CLAIMS, disclosable: 'all', holderKey: holderSigner.publicJwk },
    issueCtx,
  );
const present = async (transactionData?: string[]) =>
  presentSdJwtVc(
    await credential(),
    { disclose: ['/given_name'], nonce: NONCE, aud: AUD, ...(transactionData ? { transactionData } : {}) },
    { holder: holderSigner, crypto, clock },
  );
const verify = (presentation: string, transactionData?: string[]) =>
  verifySdJwtVc(
    presentation,
    { nonce: NONCE, aud: AUD, ...(transactionData ? { transactionData } : {}) },
    verifyCtx,
  );
const kbPayloadOf = (presentation: string) =>
  decodeCompactJws(decodeSdJwt(presentation).kbJwt!, 'KB-JWT').payload;

/** A KB-JWT payload signed by our holder with the given extra fields (what a wrong wallet sends). */
async function presentWith(extra: Record<string, unknown>): Promise<string> {
  const theirs = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
    kbSigner: async (data: string) => {
      const jws = await holderSigner.sign(new TextEncoder().encode(data));
      return Buffer.from(jws).toString('base64url');
    },
    kbSignAlg: 'ES256',
  });
  return theirs.present(await credential(), { given_name: true } as never, {
    kb: { payload: { iat: NOW, aud: AUD, nonce: NONCE, ...extra } as never },
  });
}

describe('transaction_data_hashes (OpenID4VP 1.0 §8.4, B.3.3)', () => {
  it('hash each transaction_data string as received: base64url(SHA-256(ASCII)) in request order', () => {
    const expected = [CONSENT, OTHER].map((s) => createHash('sha256').update(s, 'ascii').digest('base64url'));
    expect(transactionDataHashes(crypto, [CONSENT, OTHER])).toEqual(expected);
    expect(TRANSACTION_DATA_HASH_ALG).toBe('sha-256');
  });

  it('the presenter puts the hashes and the algorithm in the KB-JWT, and the verifier accepts them', async () => {
    const presentation = await present([CONSENT]);
    expect(kbPayloadOf(presentation)).toMatchObject({
      transaction_data_hashes: transactionDataHashes(crypto, [CONSENT]),
      transaction_data_hashes_alg: 'sha-256',
    });
    expect((await verify(presentation, [CONSENT])).claims).toEqual({ given_name: CLAIMS['given_name'] });
  });

  it('no transaction data asked: no hashes written, none required', async () => {
    const presentation = await present();
    expect(kbPayloadOf(presentation)).not.toHaveProperty('transaction_data_hashes');
    expect((await verify(presentation)).keyBound).toBe(true);
  });

  describe('refuses (TRANSACTION_DATA_MISMATCH)', () => {
    it('a KB-JWT without hashes', async () => {
      expect(await codeOf(verify(await present(), [CONSENT]))).toBe('TRANSACTION_DATA_MISMATCH');
    });

    it('hashes over other transaction data (another child)', async () => {
      expect(await codeOf(verify(await present([OTHER]), [CONSENT]))).toBe('TRANSACTION_DATA_MISMATCH');
    });

    it('hashes in another order, one too few or one too many', async () => {
      const both = [CONSENT, OTHER];
      expect(await codeOf(verify(await present([OTHER, CONSENT]), both))).toBe('TRANSACTION_DATA_MISMATCH');
      expect(await codeOf(verify(await present([CONSENT]), both))).toBe('TRANSACTION_DATA_MISMATCH');
      expect(await codeOf(verify(await present(both), [CONSENT]))).toBe('TRANSACTION_DATA_MISMATCH');
    });

    it('an algorithm other than sha-256, and hashes that are not an array', async () => {
      const hashes = transactionDataHashes(crypto, [CONSENT]);
      expect(
        await codeOf(
          verify(
            await presentWith({ transaction_data_hashes: hashes, transaction_data_hashes_alg: 'sha-512' }),
            [CONSENT],
          ),
        ),
      ).toBe('TRANSACTION_DATA_MISMATCH');
      expect(await codeOf(verify(await presentWith({ transaction_data_hashes: hashes[0] }), [CONSENT]))).toBe(
        'TRANSACTION_DATA_MISMATCH',
      );
    });

    it('a presentation without key binding: nothing could carry the hashes (KB_MISSING)', async () => {
      const unbound = await presentSdJwtVc(
        await credential(),
        { disclose: ['/given_name'] },
        { crypto, clock },
      );
      expect(
        await codeOf(
          verifySdJwtVc(unbound, { transactionData: [CONSENT], requireKeyBinding: false }, verifyCtx),
        ),
      ).toBe('KB_MISSING');
    });
  });

  it('a caller bug is a TypeError: empty or non-string transaction data, or no holder to sign', async () => {
    await expect(verify(await present(), [])).rejects.toThrow(TypeError);
    await expect(present([5 as never])).rejects.toThrow(TypeError);
    await expect(
      presentSdJwtVc(await credential(), { disclose: [], transactionData: [CONSENT] }, { crypto, clock }),
    ).rejects.toThrow(TypeError);
  });

  describe('interop with @sd-jwt/sd-jwt-vc', () => {
    it('their holder adds the hashes as KB-JWT payload fields (alg omitted: sha-256): we accept', async () => {
      const hashes = [CONSENT].map((s) => createHash('sha256').update(s).digest('base64url'));
      const presentation = await presentWith({ transaction_data_hashes: hashes });
      expect((await verify(presentation, [CONSENT])).keyBound).toBe(true);
    });

    it('they verify our presentation and read the same hashes from our KB-JWT', async () => {
      const theirs = new SDJwtVcInstance({
        hasher: digest,
        hashAlg: 'sha-256',
        verifier: await ES256.getVerifier(issuerSigner.publicJwk),
        kbVerifier: async (data, signature, payload) =>
          (await ES256.getVerifier((payload['cnf'] as { jwk: JsonWebKey }).jwk))(data, signature),
      });
      const result = await theirs.verify(await present([CONSENT, OTHER]), {
        keyBindingNonce: NONCE,
        currentDate: NOW,
      });
      const kb = result.kb?.payload as Record<string, unknown> | undefined;
      expect(kb?.['transaction_data_hashes']).toEqual(
        [CONSENT, OTHER].map((s) => createHash('sha256').update(s).digest('base64url')),
      );
      expect(kb?.['transaction_data_hashes_alg']).toBe('sha-256');
    });
  });
});
