import {
  decodeCompactJws,
  generateWebCryptoKeyPair,
  issueSdJwtVc,
  type PublicJwk,
  parsePublicJwk,
  webCryptoSigner,
} from '@trieste/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGE_VCT } from './age-pool';
import { walletCrypto } from './holder-key';
import type { Fetch } from './http';
import { receiveCredential, resolveOffer } from './receive-credential';
import { isWalletError } from './wallet-error';

const ISSUER = 'https://registry.xa.example';
const NATIONAL_VCT = 'urn:trieste:xa:national-identity:1';
const AGES = { age_equal_or_over: { '13': true, '16': true, '18': false, '21': false } };
const clock = { now: () => Date.now() / 1000 };

let issuerKey: Awaited<ReturnType<typeof generateWebCryptoKeyPair>>;
let signer: Awaited<ReturnType<typeof webCryptoSigner>>;
beforeAll(async () => {
  issuerKey = await generateWebCryptoKeyPair('ES256');
  signer = await webCryptoSigner(issuerKey.privateKey, issuerKey.publicJwk, walletCrypto);
});

interface IssuerOptions {
  vct: string;
  batchSize?: number;
  /** What the credential endpoint does with the proofs' keys before issuing (reorder, swap). */
  keys?: (keys: PublicJwk[]) => Promise<PublicJwk[]>;
}

/** An issuer on a fake network: metadata, token, nonce, and credentials bound to the proofs' keys. */
function issuer(options: IssuerOptions): { fetch: Fetch; proofs: () => string[] } {
  let proofs: string[] = [];
  const configuration = {
    format: 'dc+sd-jwt',
    vct: options.vct,
    proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    credential_metadata: { display: [{ name: 'Proof of age (XA)', locale: 'en' }] },
  };
  const fetch: Fetch = async (input, init) => {
    const url = String(input);
    if (url === `${ISSUER}/.well-known/openid-credential-issuer`)
      return Response.json({
        credential_issuer: ISSUER,
        credential_endpoint: `${ISSUER}/credential`,
        nonce_endpoint: `${ISSUER}/nonce`,
        credential_configurations_supported: { age_xa: configuration },
        ...(options.batchSize ? { batch_credential_issuance: { batch_size: options.batchSize } } : {}),
      });
    if (url === `${ISSUER}/.well-known/oauth-authorization-server`)
      return Response.json({ issuer: ISSUER, token_endpoint: `${ISSUER}/token` });
    if (url === `${ISSUER}/.well-known/jwt-vc-issuer`)
      return Response.json({ issuer: ISSUER, jwks: { keys: [{ ...issuerKey.publicJwk, kid: signer.kid }] } });
    if (url === `${ISSUER}/token`) return Response.json({ access_token: 'at-1', token_type: 'Bearer' });
    if (url === `${ISSUER}/nonce`) return Response.json({ c_nonce: 'c-nonce-123' });
    if (url === `${ISSUER}/credential`) {
      const body = JSON.parse(String(init?.body)) as { proofs: { jwt: string[] } };
      proofs = body.proofs.jwt;
      let keys = proofs.map((proof) =>
        parsePublicJwk(decodeCompactJws(proof, 'proof').header['jwk'], 'proof key'),
      );
      if (options.keys) keys = await options.keys(keys);
      const credentials = [];
      for (const holderKey of keys)
        credentials.push({
          credential: await issueSdJwtVc(
            { vct: options.vct, iss: ISSUER, claims: AGES, disclosable: 'all', holderKey },
            { signer, crypto: walletCrypto, clock },
          ),
        });
      return Response.json({ credentials });
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, proofs: () => proofs };
}

const OFFER = {
  kind: 'offer' as const,
  offer: {
    credential_issuer: ISSUER,
    credential_configuration_ids: ['age_xa'],
    grants: { 'urn:ietf:params:oauth:grant-type:pre-authorized_code': { 'pre-authorized_code': 'code-1' } },
  },
};

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isWalletError(error) ? error.code : String(error);
  }
  return 'none';
}

describe('receiving single-use proofs of age (OpenID4VCI 1.0 §8.2 proofs, §12.2.4 batch_size)', () => {
  it('asks for a batch, one fresh key per proof, and keeps it as one pool', async () => {
    const { fetch, proofs } = issuer({ vct: AGE_VCT, batchSize: 4 });
    const offer = await resolveOffer(OFFER, fetch);
    expect(offer.batchSize).toBe(4);
    const received = await receiveCredential(offer, undefined, fetch);
    expect(proofs()).toHaveLength(4);
    const proofKeys = proofs().map((p) => JSON.stringify(decodeCompactJws(p, 'proof').header['jwk']));
    expect(new Set(proofKeys).size).toBe(4);
    expect(received).toHaveLength(4);
    expect(new Set(received.map((c) => c.batchId)).size).toBe(1);
    expect(received.every((c) => c.singleUse === true && c.usedAt === undefined)).toBe(true);
    expect(new Set(received.map((c) => c.id)).size).toBe(4);
    expect(new Set(received.map((c) => c.holderKey.privateKey)).size).toBe(4);
    expect(received.every((c) => c.holderKey.privateKey.extractable === false)).toBe(true);
    expect(received[0]!.claims).toEqual(AGES);
  });

  it('matches each credential to its own key whatever the order of the answer', async () => {
    const { fetch } = issuer({ vct: AGE_VCT, batchSize: 3, keys: async (keys) => [...keys].reverse() });
    const received = await receiveCredential(await resolveOffer(OFFER, fetch), undefined, fetch);
    for (const credential of received) {
      const cnf = decodeCompactJws(credential.sdJwt.split('~')[0]!, 'SD-JWT').payload['cnf'] as unknown as {
        jwk: PublicJwk;
      };
      expect(cnf.jwk).toEqual(credential.holderKey.publicJwk);
    }
  });

  it('refuses a batch holding a credential bound to a key this wallet did not make', async () => {
    const stranger = await generateWebCryptoKeyPair('ES256');
    const { fetch } = issuer({
      vct: AGE_VCT,
      batchSize: 2,
      keys: async (keys) => [keys[0]!, stranger.publicJwk],
    });
    expect(await code(receiveCredential(await resolveOffer(OFFER, fetch), undefined, fetch))).toBe(
      'CREDENTIAL_INVALID',
    );
  });

  it('does not let one key answer twice', async () => {
    const { fetch } = issuer({ vct: AGE_VCT, batchSize: 2, keys: async (keys) => [keys[0]!, keys[0]!] });
    expect(await code(receiveCredential(await resolveOffer(OFFER, fetch), undefined, fetch))).toBe(
      'CREDENTIAL_INVALID',
    );
  });

  it('caps the batch at 20 and takes one single-use credential from an issuer without batches', async () => {
    const big = issuer({ vct: AGE_VCT, batchSize: 1000 });
    expect((await resolveOffer(OFFER, big.fetch)).batchSize).toBe(20);
    const none = issuer({ vct: AGE_VCT });
    const received = await receiveCredential(await resolveOffer(OFFER, none.fetch), undefined, none.fetch);
    expect(none.proofs()).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.singleUse).toBe(true);
  });

  it('keeps a reusable credential out of batches, whatever the issuer allows', async () => {
    const { fetch, proofs } = issuer({ vct: NATIONAL_VCT, batchSize: 10 });
    const offer = await resolveOffer(OFFER, fetch);
    expect(offer.batchSize).toBeUndefined();
    const received = await receiveCredential(offer, undefined, fetch);
    expect(proofs()).toHaveLength(1);
    expect(received).toHaveLength(1);
    expect(received[0]!.singleUse).toBeUndefined();
    expect(received[0]!.batchId).toBeUndefined();
  });
});
