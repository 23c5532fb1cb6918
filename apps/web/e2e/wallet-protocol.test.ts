// The wallet's protocol code (apps/web/src/wallet/lib) against the real server, without a
// browser: OpenID4VCI pre-authorized flow with tx_code, and OpenID4VP with direct_post and
// direct_post.jwt (our own ECDH-ES JWE), decline, and what the verifier ends up holding.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declineRequest, refusalCode, shareWithVerifier } from '../src/wallet/lib/answer-request';
import { parseWalletLink } from '../src/wallet/lib/parse-link';
import { planConsent } from '../src/wallet/lib/plan-consent';
import { receiveCredential, resolveOffer } from '../src/wallet/lib/receive-credential';
import { resolveRequest } from '../src/wallet/lib/resolve-request';
import type { StoredCredential } from '../src/wallet/lib/wallet-db';
import { isWalletError } from '../src/wallet/lib/wallet-error';
import {
  createRequest,
  enrolAndOffer,
  requestResult,
  startWalletServer,
  VERIFIER_NAME,
  type WalletServer,
} from './wallet-harness';

let server: WalletServer;
let credential: StoredCredential;
let personId: string;

beforeAll(async () => {
  server = await startWalletServer();
});
afterAll(() => server?.close());

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return isWalletError(error) ? error.code : String(error);
  }
  return 'none';
}

describe('the wallet protocol code against the server', () => {
  it('receives the national identity credential with the transaction code', async () => {
    const offered = await enrolAndOffer(server);
    const { link, txCode } = offered;
    personId = offered.personId;
    const parsed = parseWalletLink(link);
    if (parsed.kind !== 'offer') throw new Error('not an offer');
    const offer = await resolveOffer(parsed);
    expect(offer).toMatchObject({ issuer: server.url, txCode: { inputMode: 'numeric', length: 6 } });
    expect(offer.display.credential[0]?.name).toBe('National identity (XA)');
    const wrong = txCode === '000000' ? '111111' : '000000';
    expect(await failure(receiveCredential(offer, wrong))).toBe('TX_CODE_REFUSED');
    const received = await receiveCredential(offer, txCode);
    // The national identity credential is reusable: one credential, no batch.
    expect(received).toHaveLength(1);
    credential = received[0]!;
    expect(credential.singleUse).toBeUndefined();
    expect(credential).toMatchObject({ issuer: server.url, vct: 'urn:trieste:xa:national-identity:1' });
    expect(credential.claims).toMatchObject({ given_name: 'Amina', age_equal_or_over: { '18': true } });
    // The code is used up.
    expect(await failure(receiveCredential(offer, txCode))).toBe('TX_CODE_REFUSED');
  });

  for (const mode of ['direct_post', 'direct_post.jwt'] as const) {
    it(`presents only the asked claim (${mode})`, async () => {
      const { id, link } = await createRequest(server, { mode });
      const parsed = parseWalletLink(link);
      if (parsed.kind !== 'request') throw new Error('not a request');
      const request = await resolveRequest(parsed);
      expect(request).toMatchObject({ clientName: VERIFIER_NAME, responseMode: mode });
      const plan = planConsent(request.query, [credential], Date.now() / 1000);
      expect(plan.purposes).toEqual(['To check that you are over 18 before opening an account']);
      expect(plan.credentials[0]!.claims.map((c) => c.pointer)).toEqual(['/age_equal_or_over/18']);
      await shareWithVerifier(request, [
        { queryId: 'age', credential, pointers: plan.credentials[0]!.claims.map((c) => c.pointer) },
      ]);
      const result = await requestResult(server, id);
      expect(result).toMatchObject({ status: 'verified' });
      const answer = result['result'] as {
        credentials: Record<string, Array<{ claims: unknown }>>;
        dropped_claims: unknown;
      };
      expect(answer.credentials['age']![0]!.claims).toEqual({ age_equal_or_over: { '18': true } });
      expect(answer.dropped_claims).toEqual([]);
      // The same request cannot be answered twice.
      expect(await failure(resolveRequest(parsed))).toBe('REQUEST_EXPIRED');
    });
  }

  it('declines: the verifier learns the holder said no', async () => {
    const { id, link } = await createRequest(server, { mode: 'direct_post.jwt' });
    const parsed = parseWalletLink(link);
    if (parsed.kind !== 'request') throw new Error('not a request');
    await declineRequest(await resolveRequest(parsed));
    expect(await requestResult(server, id)).toMatchObject({ status: 'failed' });
  });

  it('refuses a request object whose client_id is not the key that signed it', async () => {
    const { link } = await createRequest(server);
    const parsed = parseWalletLink(link);
    if (parsed.kind !== 'request') throw new Error('not a request');
    const other = `decentralized_identifier:did:jwk:${Buffer.from(
      JSON.stringify({
        kty: 'EC',
        crv: 'P-256',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
      }),
    ).toString('base64url')}`;
    expect(await failure(resolveRequest({ ...parsed, clientId: other }))).toBe('REQUEST_INVALID');
  });

  it('says why the verifier refused once the credential is revoked', async () => {
    const death = await fetch(`${server.url}/registry/persons/${personId}/death`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.keys.registrar}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'death registered', date_of_death: { value: '2026-01-02' } }),
    });
    expect(death.status).toBe(200);
    const { id, link } = await createRequest(server, { mode: 'direct_post.jwt' });
    const parsed = parseWalletLink(link);
    if (parsed.kind !== 'request') throw new Error('not a request');
    const request = await resolveRequest(parsed);
    const plan = planConsent(request.query, [credential], Date.now() / 1000);
    const refused = await shareWithVerifier(request, [
      { queryId: 'age', credential, pointers: plan.credentials[0]!.claims.map((c) => c.pointer) },
    ]).catch((error: unknown) => error);
    expect(isWalletError(refused) && refused.code).toBe('PRESENTATION_REFUSED');
    expect(refusalCode(refused)).toBe('STATUS_REVOKED');
    expect(await requestResult(server, id)).toMatchObject({ status: 'failed' });
  });
});
