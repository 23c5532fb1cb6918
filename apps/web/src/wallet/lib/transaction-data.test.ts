import { createHash } from 'node:crypto';
import {
  base64urlEncode,
  decodeCompactJws,
  generateWebCryptoKeyPair,
  issueSdJwtVc,
  utf8Encode,
  verifySdJwtVc,
  webCryptoSigner,
} from '@trieste/core';
import { describe, expect, it } from 'vitest';
import { GUARDIAN_VCT } from './age-pool';
import { presentCredential } from './answer-request';
import { walletCrypto } from './holder-key';
import {
  boundTransactionData,
  childFilter,
  PARENTAL_CONSENT_TYPE,
  readTransactionData,
} from './transaction-data';
import type { StoredCredential } from './wallet-db';
import { isWalletError } from './wallet-error';

const encode = (value: unknown) => base64urlEncode(utf8Encode(JSON.stringify(value)));
const CONSENT = {
  type: PARENTAL_CONSENT_TYPE,
  credential_ids: ['guardian'],
  child: { given_name: 'Amina' },
  consent: 'Open a learning account for Amina',
  service: 'Kids Learning',
};
const IDS = new Set(['guardian']);

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isWalletError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('readTransactionData (OpenID4VP 1.0 §5.1)', () => {
  it('reads a parental consent and keeps the string exactly as received', () => {
    const encoded = encode(CONSENT);
    expect(readTransactionData([encoded], IDS)).toEqual([
      {
        encoded,
        type: PARENTAL_CONSENT_TYPE,
        credentialIds: ['guardian'],
        parentalConsent: {
          childGivenName: 'Amina',
          consent: 'Open a learning account for Amina',
          service: 'Kids Learning',
        },
      },
    ]);
    expect(readTransactionData(undefined, IDS)).toEqual([]);
  });

  it('refuses what it cannot show the holder', () => {
    expect(code(() => readTransactionData([encode({ ...CONSENT, type: 'payment' })], IDS))).toBe(
      'REQUEST_UNSUPPORTED',
    );
    expect(code(() => readTransactionData([encode({ ...CONSENT, credential_ids: ['other'] })], IDS))).toBe(
      'REQUEST_INVALID',
    );
    expect(code(() => readTransactionData([encode({ ...CONSENT, consent: '' })], IDS))).toBe(
      'REQUEST_INVALID',
    );
    expect(code(() => readTransactionData([encode({ ...CONSENT, consent: 'x'.repeat(301) })], IDS))).toBe(
      'REQUEST_INVALID',
    );
    expect(
      code(() => readTransactionData([encode({ ...CONSENT, child: { given_name: 'A\u0007' } })], IDS)),
    ).toBe('REQUEST_INVALID');
    expect(code(() => readTransactionData(['not base64url!'], IDS))).toBe('REQUEST_INVALID');
    expect(code(() => readTransactionData([], IDS))).toBe('REQUEST_INVALID');
    expect(code(() => readTransactionData(Array(6).fill(encode(CONSENT)), IDS))).toBe('REQUEST_INVALID');
    expect(code(() => readTransactionData('x', IDS))).toBe('REQUEST_INVALID');
  });

  it('binds each entry naming the query, exactly as received and in request order', () => {
    const first = encode(CONSENT);
    const second = encode({ ...CONSENT, consent: 'Let Amina chat with her class' });
    const entries = readTransactionData([first, second], IDS);
    expect(boundTransactionData(entries, 'guardian')).toEqual([first, second]);
    expect(boundTransactionData(entries, 'age')).toBeUndefined();
  });
});

describe('childFilter', () => {
  const guardianOf = (given: string): StoredCredential => ({
    id: given,
    sdJwt: 'x',
    holderKey: { privateKey: {} as CryptoKey, publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } },
    issuer: 'https://registry.xa.example',
    vct: GUARDIAN_VCT,
    claims: { child: { given_name: given, birthdate: '2015-03-02' }, relationship: 'guardian' },
    receivedAt: 0,
    display: { issuer: [], credential: [], claims: [] },
  });

  it('lets only the guardian credential of the named child answer the bound query', () => {
    const accept = childFilter(readTransactionData([encode(CONSENT)], new Set(['guardian', 'other'])));
    expect(accept('guardian', guardianOf('Amina'))).toBe(true);
    expect(accept('guardian', guardianOf('Sami'))).toBe(false);
    expect(accept('guardian', { ...guardianOf('Amina'), claims: { relationship: 'guardian' } })).toBe(false);
    // Another query of the same request is not narrowed.
    expect(accept('other', guardianOf('Sami'))).toBe(true);
    // Names are compared in one Unicode form (NFC), as the verifier writes them.
    const composed = childFilter(
      readTransactionData([encode({ ...CONSENT, child: { given_name: 'Zo\u00e9' } })], IDS),
    );
    expect(composed('guardian', guardianOf('Zoe\u0301'))).toBe(true);
    expect(childFilter([])('guardian', guardianOf('Sami'))).toBe(true);
  });
});

describe('presentCredential with transaction data hashes in the KB-JWT', () => {
  it('signs them beside aud, nonce and an sd_hash the verifier accepts', async () => {
    const clock = { now: () => Date.now() / 1000 };
    const issuerKey = await generateWebCryptoKeyPair('ES256');
    const holderKey = await generateWebCryptoKeyPair('ES256', { extractable: false });
    const claims = {
      child: { given_name: 'Amina', family_name: 'Haddad', birthdate: '2015-03-02' },
      relationship: 'guardian',
    };
    const sdJwt = await issueSdJwtVc(
      {
        vct: GUARDIAN_VCT,
        iss: 'https://registry.xa.example',
        claims,
        disclosable: 'all',
        holderKey: holderKey.publicJwk,
      },
      {
        signer: await webCryptoSigner(issuerKey.privateKey, issuerKey.publicJwk, walletCrypto),
        crypto: walletCrypto,
        clock,
      },
    );
    const credential: StoredCredential = {
      id: 'g',
      sdJwt,
      holderKey,
      issuer: 'https://registry.xa.example',
      vct: GUARDIAN_VCT,
      claims,
      receivedAt: clock.now(),
      display: { issuer: [], credential: [], claims: [] },
    };
    const encoded = encode(CONSENT);
    const transactionData = boundTransactionData(readTransactionData([encoded], IDS), 'guardian')!;
    const presentation = await presentCredential(credential, ['/child/given_name', '/child/birthdate'], {
      aud: 'decentralized_identifier:did:jwk:abc',
      nonce: 'n-123',
      transactionData,
    });
    const verified = await verifySdJwtVc(
      presentation,
      { aud: 'decentralized_identifier:did:jwk:abc', nonce: 'n-123', requireKeyBinding: true },
      {
        crypto: walletCrypto,
        clock,
        issuerKeys: { resolve: async () => issuerKey.publicJwk },
      },
    );
    expect(verified.keyBound).toBe(true);
    expect(verified.claims).toEqual({ child: { given_name: 'Amina', birthdate: '2015-03-02' } });
    const kb = decodeCompactJws(presentation.slice(presentation.lastIndexOf('~') + 1), 'KB-JWT');
    expect(kb.header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    // Computed independently: SHA-256 of the base64url string exactly as received.
    expect(kb.payload['transaction_data_hashes']).toEqual([
      createHash('sha256').update(encoded, 'ascii').digest('base64url'),
    ]);
    expect(kb.payload['transaction_data_hashes_alg']).toBe('sha-256');
  });

  it('refuses a credential whose cnf is not the stored key', async () => {
    const clock = { now: () => Date.now() / 1000 };
    const issuerKey = await generateWebCryptoKeyPair('ES256');
    const holderKey = await generateWebCryptoKeyPair('ES256');
    const otherKey = await generateWebCryptoKeyPair('ES256');
    const sdJwt = await issueSdJwtVc(
      {
        vct: GUARDIAN_VCT,
        iss: 'https://r.example',
        claims: { relationship: 'guardian' },
        disclosable: 'all',
        holderKey: holderKey.publicJwk,
      },
      {
        signer: await webCryptoSigner(issuerKey.privateKey, issuerKey.publicJwk, walletCrypto),
        crypto: walletCrypto,
        clock,
      },
    );
    const credential = {
      id: 'g',
      sdJwt,
      holderKey: otherKey,
      issuer: 'https://r.example',
      vct: GUARDIAN_VCT,
      claims: {},
      receivedAt: 0,
      display: { issuer: [], credential: [], claims: [] },
    } satisfies StoredCredential;
    await expect(
      presentCredential(credential, ['/relationship'], { aud: 'a', transactionData: [encode(CONSENT)] }),
    ).rejects.toMatchObject({ code: 'CREDENTIAL_INVALID' });
  });
});
