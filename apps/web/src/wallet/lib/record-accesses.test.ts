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
import {
  accessesEndpoint,
  accessRefusalReason,
  canAskForAccesses,
  fetchRecordAccesses,
  NATIONAL_IDENTITY_VCT,
} from './record-accesses';
import type { StoredCredential } from './wallet-db';
import { isWalletError } from './wallet-error';

const ISSUER = 'https://registry.xa.example';
const CLAIMS: JsonObject = {
  given_name: 'Amina',
  family_name: 'Haddad',
  birthdate: '1990-04-01',
  personal_identifier: '4829175036',
};
const clock = { now: () => Date.now() / 1000 };

let issuerKey: Awaited<ReturnType<typeof generateWebCryptoKeyPair>>;
let credential: StoredCredential;

beforeAll(async () => {
  issuerKey = await generateWebCryptoKeyPair('ES256');
  const holderKey = await generateWebCryptoKeyPair('ES256');
  const signer = await webCryptoSigner(issuerKey.privateKey, issuerKey.publicJwk, walletCrypto);
  const sdJwt = await issueSdJwtVc(
    {
      vct: NATIONAL_IDENTITY_VCT,
      iss: ISSUER,
      claims: CLAIMS,
      disclosable: 'all',
      holderKey: holderKey.publicJwk,
    },
    { signer, crypto: walletCrypto, clock },
  );
  credential = {
    id: 'c1',
    sdJwt,
    holderKey,
    issuer: ISSUER,
    vct: NATIONAL_IDENTITY_VCT,
    claims: CLAIMS,
    receivedAt: clock.now(),
    display: { issuer: [], credential: [], claims: [] },
  };
});

interface Call {
  url: string;
  method: string;
  body: string | undefined;
}

/** A registry that answers the nonce, then `accesses` with the given status and body. */
function registry(status: number, body: unknown): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: Fetch = async (input, init) => {
    const url = String(input);
    calls.push({ url, method: init?.method ?? 'GET', body: init?.body as string | undefined });
    if (url === `${ISSUER}/nonce`) return Response.json({ c_nonce: 'n'.repeat(20) + calls.length });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, calls };
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isWalletError(error)) return { code: error.code, reason: accessRefusalReason(error) };
    throw error;
  }
  throw new Error('no failure');
}

describe('fetchRecordAccesses', () => {
  it('shows the identity number only, bound to a fresh nonce and the endpoint, and lists newest first', async () => {
    const { fetch, calls } = registry(200, {
      accesses: [
        { accessor: 'api-key:a1', purpose: 'benefit claim 2291', at: 1_700_000_000 },
        { accessor: 'api-key:b2', purpose: 'pension review 12', at: 1_800_000_000 },
      ],
    });
    const accesses = await fetchRecordAccesses(credential, fetch);
    expect(accesses.map((a) => a.purpose)).toEqual(['pension review 12', 'benefit claim 2291']);

    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', `${ISSUER}/nonce`],
      ['POST', `${ISSUER}/registry/me/accesses`],
    ]);
    const sent = JSON.parse(calls[1]!.body!) as { presentation: string; nonce: string };
    expect(Object.keys(sent).sort()).toEqual(['nonce', 'presentation']);
    expect(sent.nonce).toBe(`${'n'.repeat(20)}1`);
    const verified = await verifySdJwtVc(
      sent.presentation,
      { nonce: sent.nonce, aud: `${ISSUER}/registry/me/accesses`, requireKeyBinding: true },
      {
        crypto: walletCrypto,
        clock,
        issuerKeys: { resolve: async ({ iss }) => (iss === ISSUER ? issuerKey.publicJwk : undefined) },
      },
    );
    expect(verified.keyBound).toBe(true);
    expect(verified.claims).toEqual({ personal_identifier: '4829175036' });
  });

  it('turns the registry’s refusals into codes', async () => {
    const revoked = registry(401, {
      error: 'UNAUTHORIZED',
      error_description: 'the presentation does not prove a credential of this registry (STATUS_REVOKED)',
    });
    expect(await failure(fetchRecordAccesses(credential, revoked.fetch))).toEqual({
      code: 'ACCESSES_REFUSED',
      reason: 'STATUS_REVOKED',
    });
    const stale = registry(401, {
      error: 'UNAUTHORIZED',
      error_description: 'the nonce is not a live nonce of this server',
    });
    expect(await failure(fetchRecordAccesses(credential, stale.fetch))).toEqual({
      code: 'ACCESSES_REFUSED',
      reason: 'UNAUTHORIZED',
    });
    const incomplete = registry(400, {
      error: 'VALIDATION_FAILED',
      error_description: 'the presentation must disclose personal_identifier',
    });
    expect(await failure(fetchRecordAccesses(credential, incomplete.fetch))).toEqual({
      code: 'ACCESSES_REFUSED',
      reason: 'VALIDATION_FAILED',
    });
    const unknown = registry(404, { error: 'NOT_FOUND', error_description: 'no record for this credential' });
    expect(await failure(fetchRecordAccesses(credential, unknown.fetch))).toEqual({
      code: 'RECORD_NOT_FOUND',
      reason: undefined,
    });
    const busy = registry(429, { error: 'RATE_LIMITED', error_description: 'slow down' });
    expect((await failure(fetchRecordAccesses(credential, busy.fetch))).code).toBe('TOO_MANY_REQUESTS');
    const broken = registry(500, '<html>');
    expect((await failure(fetchRecordAccesses(credential, broken.fetch))).code).toBe('RESPONSE_INVALID');
  });

  it('refuses an answer that is not a list of accesses, and says NETWORK when offline', async () => {
    for (const body of [{}, { accesses: [{ accessor: 'x', purpose: 'y' }] }, { accesses: 'none' }, '[1]']) {
      const { fetch } = registry(200, body);
      expect((await failure(fetchRecordAccesses(credential, fetch))).code, JSON.stringify(body)).toBe(
        'RESPONSE_INVALID',
      );
    }
    const offline: Fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect((await failure(fetchRecordAccesses(credential, offline))).code).toBe('NETWORK');
  });
});

describe('canAskForAccesses', () => {
  it('offers the question for a national identity credential of this page’s issuer only', () => {
    expect(canAskForAccesses(credential, ISSUER)).toBe(true);
    expect(canAskForAccesses({ ...credential, issuer: `${ISSUER}/` }, ISSUER)).toBe(true);
    expect(canAskForAccesses(credential, 'https://elsewhere.example')).toBe(false);
    expect(canAskForAccesses({ ...credential, vct: 'urn:example:other' }, ISSUER)).toBe(false);
    const { personal_identifier: _, ...withoutNumber } = CLAIMS;
    expect(canAskForAccesses({ ...credential, claims: withoutNumber }, ISSUER)).toBe(false);
    expect(canAskForAccesses({ ...credential, issuer: 'not a url' }, ISSUER)).toBe(false);
  });

  it('names the endpoint under the issuer identifier (the KB-JWT audience)', () => {
    expect(accessesEndpoint('https://r.example/xa/')).toBe('https://r.example/xa/registry/me/accesses');
  });
});
