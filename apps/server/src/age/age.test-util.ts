// Shared by the proof-of-age and guardian tests: enrolment of adults and children through the
// registry API, the registrar's offer, the independent test wallet receiving a batch, and a
// decoder of what an SD-JWT VC carries (issuer JWT, disclosures, digests, KB-JWT).
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { bearer, type TestApp } from '../app.test-util.js';
import { injectFetch, receiveCredentials, type WalletKey, walletKey } from '../issuer/wallet.test-util.js';

export const adult = (given: string, dob = '1990-04-01') => ({
  names: [{ script: 'Latn', given, family: 'Haddad' }],
  dateOfBirth: { value: dob },
  sex: 'female',
  placeOfBirth: { locality: 'Port Demo', country: 'XA' },
  nationality: ['XA'],
  legalStatus: 'citizen',
});

/** What these helpers need of a test app (testApp, or the verifier's verifierTestApp). */
export type AgeTestApp = Pick<TestApp, 'app' | 'clock'> & { keys: { registrar: string } };

export async function enrol(t: AgeTestApp, person: object): Promise<{ id: string; uin: string }> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/registry/persons',
    headers: bearer(t.keys.registrar),
    payload: { person, office: 'Port Demo civil registry, desk 2' },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().person;
}

/** The registrar's offer for a person (national identity by default), redeemed by the test wallet. */
export async function offerAndReceive(
  t: AgeTestApp,
  personId: string,
  body: object | undefined,
  keyCount: number,
): Promise<{ credentials: string[]; keys: WalletKey[]; offer: Record<string, unknown> }> {
  const offer = await t.app.inject({
    method: 'POST',
    url: `/registry/persons/${personId}/credential-offer`,
    headers: bearer(t.keys.registrar),
    ...(body === undefined ? {} : { payload: body }),
  });
  expect(offer.statusCode, offer.body).toBe(201);
  const keys = await Promise.all(Array.from({ length: keyCount }, () => walletKey()));
  const run = await receiveCredentials({
    fetch: injectFetch(t.app),
    offerLink: offer.json().links.by_reference,
    txCode: offer.json().tx_code,
    keys,
    now: t.clock.now(),
  });
  return { credentials: run.credentials, keys, offer: offer.json() };
}

export interface DecodedSdJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signature: string;
  /** Each disclosure as sent, with its salt, name (or undefined for an array element) and value. */
  disclosures: Array<{ encoded: string; digest: string; salt: string; name?: string; value: unknown }>;
  /** Every digest in every `_sd` array of the payload and of disclosed objects. */
  digests: string[];
  kbJwt?: { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string };
}

const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

/** Splits an SD-JWT (RFC 9901 §4) or SD-JWT+KB into everything a receiver sees. */
export function decodeSdJwt(text: string): DecodedSdJwt {
  const parts = text.split('~');
  const [h, p, signature] = parts[0]!.split('.');
  const last = parts[parts.length - 1]!;
  const disclosures = parts.slice(1, -1).filter((d) => d !== '');
  const decoded = disclosures.map((encoded) => {
    const array = json(encoded) as unknown[];
    const digest = createHash('sha256').update(encoded, 'ascii').digest('base64url');
    return array.length === 3
      ? { encoded, digest, salt: array[0] as string, name: array[1] as string, value: array[2] }
      : { encoded, digest, salt: array[0] as string, value: array[1] };
  });
  const digests: string[] = [];
  const collect = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') {
      for (const [name, member] of Object.entries(value)) {
        if (name === '_sd' && Array.isArray(member)) digests.push(...(member as string[]));
        else collect(member);
      }
    }
  };
  const payload = json(p!) as Record<string, unknown>;
  collect(payload);
  for (const d of decoded) collect(d.value);
  let kbJwt: DecodedSdJwt['kbJwt'];
  if (last !== '') {
    const [kh, kp, ks] = last.split('.');
    kbJwt = { header: json(kh!), payload: json(kp!), signature: ks! };
  }
  return {
    header: json(h!),
    payload,
    signature: signature!,
    disclosures: decoded,
    digests,
    ...(kbJwt ? { kbJwt } : {}),
  };
}
