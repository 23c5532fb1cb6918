import {
  generateWebCryptoKeyPair,
  issueSdJwtVc,
  type JsonObject,
  verifySdJwtVc,
  webCryptoSigner,
} from '@trieste/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { walletCrypto } from './holder-key';
import type { Fetch } from './http';
import { NATIONAL_IDENTITY_VCT } from './record-accesses';
import { ageCredentialsEndpoint, requestAgeOffer } from './top-up-age';
import type { StoredCredential } from './wallet-db';
import { isWalletError } from './wallet-error';

const ISSUER = 'https://registry.xa.example';
const CLAIMS: JsonObject = {
  given_name: 'Amina',
  birthdate: '1990-04-01',
  personal_identifier: '4829175036',
};
const clock = { now: () => Date.now() / 1000 };
let issuerKey: Awaited<ReturnType<typeof generateWebCryptoKeyPair>>;
let identity: StoredCredential;

beforeAll(async () => {
  issuerKey = await generateWebCryptoKeyPair('ES256');
  const holderKey = await generateWebCryptoKeyPair('ES256');
  const sdJwt = await issueSdJwtVc(
    {
      vct: NATIONAL_IDENTITY_VCT,
      iss: ISSUER,
      claims: CLAIMS,
      disclosable: 'all',
      holderKey: holderKey.publicJwk,
    },
    {
      signer: await webCryptoSigner(issuerKey.privateKey, issuerKey.publicJwk, walletCrypto),
      crypto: walletCrypto,
      clock,
    },
  );
  identity = {
    id: 'id',
    sdJwt,
    holderKey,
    issuer: ISSUER,
    vct: NATIONAL_IDENTITY_VCT,
    claims: CLAIMS,
    receivedAt: clock.now(),
    display: { issuer: [], credential: [], claims: [] },
  };
});

function registry(status: number, body: unknown) {
  const calls: Array<{ url: string; body?: string }> = [];
  const fetch: Fetch = async (input, init) => {
    const url = String(input);
    calls.push({ url, ...(typeof init?.body === 'string' ? { body: init.body } : {}) });
    if (url === `${ISSUER}/nonce`) return Response.json({ c_nonce: 'n'.repeat(24) });
    return Response.json(body, { status });
  };
  return { fetch, calls };
}

describe('requestAgeOffer (POST /registry/me/age-credentials)', () => {
  it('proves the record with the identity number only, bound to the endpoint, and reads the offer', async () => {
    const offerUri = `${ISSUER}/credential-offer/abc`;
    const { fetch, calls } = registry(201, {
      offer_id: 'abc',
      credential_offer_uri: offerUri,
      links: {
        by_reference: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUri)}`,
      },
      expires_at: 1,
      credential_configuration_id: 'age_xa',
    });
    expect(await requestAgeOffer(identity, fetch)).toEqual({ kind: 'offer', offerUri });
    expect(calls.map((c) => c.url)).toEqual([`${ISSUER}/nonce`, ageCredentialsEndpoint(ISSUER)]);
    const sent = JSON.parse(calls[1]!.body!) as { presentation: string; nonce: string };
    const verified = await verifySdJwtVc(
      sent.presentation,
      { nonce: sent.nonce, aud: `${ISSUER}/registry/me/age-credentials`, requireKeyBinding: true },
      {
        crypto: walletCrypto,
        clock,
        issuerKeys: { resolve: async ({ iss }) => (iss === ISSUER ? issuerKey.publicJwk : undefined) },
      },
    );
    expect(verified.claims).toEqual({ personal_identifier: '4829175036' });
  });

  it('takes the offer link when the answer has only links', async () => {
    const offerUri = `${ISSUER}/credential-offer/def`;
    const { fetch } = registry(201, {
      links: {
        by_reference: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(offerUri)}`,
      },
    });
    expect(await requestAgeOffer(identity, fetch)).toEqual({ kind: 'offer', offerUri });
  });

  it('turns refusals into codes', async () => {
    const failure = async (status: number, body: unknown) => {
      try {
        await requestAgeOffer(identity, registry(status, body).fetch);
      } catch (error) {
        return isWalletError(error) ? [error.code, error.cause] : String(error);
      }
      return 'none';
    };
    expect(
      await failure(403, {
        error: 'FORBIDDEN',
        error_description: 'the record is not active (PERSON_DECEASED)',
      }),
    ).toEqual(['ACCESSES_REFUSED', 'PERSON_DECEASED']);
    expect(await failure(404, { error: 'NOT_FOUND' })).toEqual(['RECORD_NOT_FOUND', undefined]);
    expect(await failure(429, {})).toEqual(['TOO_MANY_REQUESTS', undefined]);
    expect(await failure(201, { credential_offer_uri: 'javascript:alert(1)' })).toEqual([
      'RESPONSE_INVALID',
      undefined,
    ]);
    expect(await failure(201, {})).toEqual(['RESPONSE_INVALID', undefined]);
  });
});
