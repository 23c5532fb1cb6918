// Two colluding relying parties (the EU age-verification blueprint's unlinkability goal): one
// holder receives a batch of single-use proofs of age and shows one to each relying party,
// disclosing only age_equal_or_over/18. The relying parties pool EVERYTHING they received — the
// issuer JWT's header and payload values, its signature, every `_sd` digest, every disclosure with
// its salt, name, value and digest, the holder key's coordinates, the KB-JWT's header, payload and
// signature — and look for a value both presentations share. Whatever they find must also be in a
// presentation by a different holder issued the same day: a population-wide value says nothing
// about who showed it. The control shows the test can fail: two presentations of the SAME
// credential share its signature, digests, salts and key, and are linked at once.
//
// Twice: with presentations built by the holder's side of the core (presentSdJwtVc) and verified
// as a relying party verifies them (verifySdJwtVc with the issuer's key), bound to two relying
// parties' own client_ids and nonces; and through the real verifier (two API keys, two `age_over`
// template requests, the independent OpenID4VP wallet of verifier/wallet.test-util.ts whose
// plaintext vp_token is recorded), each answered with a verified `age_check` yes. What this does not show: the issuer colluding with the relying parties
// can still link through the holder keys it saw at issuance (docs/age-assurance.md).

import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { type JsonValue, presentSdJwtVc, verifySdJwtVc, webCryptoSigner } from '@trieste/core';
import { exportJWK } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../app.test-util.js';
import type { WalletKey } from '../issuer/wallet.test-util.js';
import { ISSUER as VERIFIER_TEST_ISSUER, verifierTestApp } from '../verifier/verifier.test-util.js';
import { answerRequest, type Holder, injectFetch as verifierFetch } from '../verifier/wallet.test-util.js';
import { adult, decodeSdJwt, enrol, offerAndReceive } from './age.test-util.js';

const DAY = 86_400;
const RP_ONE = 'decentralized_identifier:did:jwk:rp-one-cinema';
const RP_TWO = 'decentralized_identifier:did:jwk:rp-two-online-shop';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(() => t.app.close());

/** Every value a relying party receives in one presentation, each as a JSON string. */
function receivedValues(presentation: string): Set<string> {
  const decoded = decodeSdJwt(presentation);
  const values = new Set<string>();
  const add = (value: JsonValue | unknown) => {
    if (Array.isArray(value)) value.forEach(add);
    else if (value !== null && typeof value === 'object') {
      for (const [name, member] of Object.entries(value)) {
        values.add(JSON.stringify(name));
        add(member);
      }
    } else values.add(JSON.stringify(value));
  };
  add(decoded.header);
  add(decoded.payload);
  values.add(JSON.stringify(decoded.signature));
  for (const d of decoded.disclosures) {
    values.add(JSON.stringify(d.encoded));
    values.add(JSON.stringify(d.digest));
    values.add(JSON.stringify(d.salt));
    if (d.name !== undefined) values.add(JSON.stringify(d.name));
    add(d.value);
  }
  for (const digest of decoded.digests) values.add(JSON.stringify(digest));
  if (decoded.kbJwt) {
    add(decoded.kbJwt.header);
    add(decoded.kbJwt.payload);
    values.add(JSON.stringify(decoded.kbJwt.signature));
  }
  return values;
}

const intersect = (a: Set<string>, b: Set<string>) => new Set([...a].filter((v) => b.has(v)));

async function present(credential: string, key: WalletKey, aud: string, nonce: string): Promise<string> {
  const holder = await webCryptoSigner(key.privateKey, key.publicJwk as never, t.issuance.crypto);
  return presentSdJwtVc(
    credential,
    { disclose: ['/age_equal_or_over/18'], nonce, aud },
    { holder, crypto: t.issuance.crypto, clock: t.clock },
  );
}

/** A relying party's check: the issuer's signature, its own audience and nonce, the holder's key. */
async function verifyAs(presentation: string, aud: string, nonce: string) {
  return verifySdJwtVc(
    presentation,
    { nonce, aud, requireKeyBinding: true, expectedVct: 'urn:trieste:xa:age:1', now: t.clock.now() },
    {
      crypto: t.issuance.crypto,
      clock: t.clock,
      issuerKeys: {
        async resolve({ iss, kid }) {
          const key = iss === t.issuance.issuer && kid ? await t.stores.keys.get(kid) : undefined;
          return key?.publicJwk;
        },
      },
    },
  );
}

/**
 * The values two presentations share that a presentation by another holder does not contain:
 * whatever is left links the two presentations to one person.
 */
function linking(first: string, second: string, otherHolder: string): string[] {
  const shared = intersect(receivedValues(first), receivedValues(second));
  const population = receivedValues(otherHolder);
  return [...shared].filter((value) => !population.has(value));
}

describe('unlinkability of proofs of age across two colluding relying parties', () => {
  it('two presentations of one holder share only what every holder of the day shares', async () => {
    const start = t.clock.now();
    const amina = await enrol(t, adult('Amina', '1990-04-01'));
    const zanele = await enrol(t, {
      ...adult('Zanele', '1984-09-30'),
      placeOfBirth: { locality: 'Inland Town', country: 'XA' },
    });
    const mine = await offerAndReceive(t, amina.id, { credential: 'age' }, 10);
    t.clock.set(start + 2 * 3600);
    const theirs = await offerAndReceive(t, zanele.id, { credential: 'age' }, 10);

    // Each relying party asks with its own nonce; the holder uses a different single-use credential.
    t.clock.set(start + 3 * 3600);
    const toOne = await present(mine.credentials[0]!, mine.keys[0]!, RP_ONE, 'nonce-rp-one-0000000001');
    const seenByOne = await verifyAs(toOne, RP_ONE, 'nonce-rp-one-0000000001');
    t.clock.set(start + 5 * 3600 + 17);
    const toTwo = await present(mine.credentials[1]!, mine.keys[1]!, RP_TWO, 'nonce-rp-two-0000000002');
    const seenByTwo = await verifyAs(toTwo, RP_TWO, 'nonce-rp-two-0000000002');
    t.clock.set(start + 6 * 3600);
    const byAnother = await present(
      theirs.credentials[4]!,
      theirs.keys[4]!,
      RP_ONE,
      'nonce-rp-one-0000000003',
    );
    await verifyAs(byAnother, RP_ONE, 'nonce-rp-one-0000000003');

    // Both relying parties learnt the same verified fact, and only it.
    expect(seenByOne.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(seenByTwo.claims).toEqual({ age_equal_or_over: { '18': true } });
    expect(seenByOne.status).toBeUndefined();
    expect(seenByTwo.status).toBeUndefined();

    // The pooled values: nothing links the two presentations.
    expect(linking(toOne, toTwo, byAnother)).toEqual([]);

    // And explicitly, what they do share is the population-wide set, nothing more.
    const one = decodeSdJwt(toOne);
    const two = decodeSdJwt(toTwo);
    const shared = intersect(receivedValues(toOne), receivedValues(toTwo));
    const iat = one.payload['iat'] as number;
    expect(iat % DAY).toBe(0);
    const kid = one.header['kid'] as string;
    const expected = [
      t.issuance.issuer,
      'urn:trieste:xa:age:1',
      iat,
      iat + 30 * DAY,
      'ES256',
      'dc+sd-jwt',
      kid,
      'sha-256',
      'kb+jwt',
      'EC',
      'P-256',
      'age_equal_or_over',
      '18',
      true,
      // member names of the JWT and KB-JWT (every presentation has them)
      ...[
        'alg',
        'typ',
        'kid',
        'iss',
        'vct',
        'iat',
        'exp',
        '_sd',
        '_sd_alg',
        'cnf',
        'jwk',
        'kty',
        'crv',
        'x',
        'y',
      ],
      ...['aud', 'nonce', 'sd_hash'],
    ].map((v) => JSON.stringify(v));
    expect([...shared].sort()).toEqual([...new Set(expected)].sort());

    expect(one.payload['status']).toBeUndefined();
    expect(two.payload['status']).toBeUndefined();
    expect(one.signature).not.toBe(two.signature);
    expect(one.kbJwt!.signature).not.toBe(two.kbJwt!.signature);
    const cnf = (d: typeof one) => (d.payload['cnf'] as { jwk: { x: string; y: string } }).jwk;
    expect(cnf(one).x).not.toBe(cnf(two).x);
    expect(cnf(one).y).not.toBe(cnf(two).y);
    for (const digest of one.digests) expect(two.digests).not.toContain(digest);
    for (const d of one.disclosures) {
      expect(two.disclosures.map((e) => e.salt)).not.toContain(d.salt);
      expect(two.disclosures.map((e) => e.digest)).not.toContain(d.digest);
    }
    // The only timestamps in common are the rounded issuance day and its expiry: the KB-JWTs'
    // times are the moments of presentation, which differ.
    expect(one.kbJwt!.payload['iat']).not.toBe(two.kbJwt!.payload['iat']);
    const times = (d: typeof one) =>
      [d.payload['iat'], d.payload['exp'], d.kbJwt!.payload['iat']].map((v) => JSON.stringify(v));
    expect(times(one).filter((v) => times(two).includes(v))).toEqual([iat, iat + 30 * DAY].map(String));
    // The other holder was issued the same day: the same rounded times.
    expect(decodeSdJwt(byAnother).payload['iat']).toBe(iat);
  });

  it('control: two presentations of the SAME credential are linked by what they share', async () => {
    const start = t.clock.now();
    const amina = await enrol(t, adult('Amina', '1990-04-01'));
    const zanele = await enrol(t, adult('Zanele', '1984-09-30'));
    const mine = await offerAndReceive(t, amina.id, { credential: 'age' }, 2);
    const theirs = await offerAndReceive(t, zanele.id, { credential: 'age' }, 1);
    t.clock.set(start + 3600);
    const toOne = await present(mine.credentials[0]!, mine.keys[0]!, RP_ONE, 'nonce-rp-one-0000000001');
    t.clock.set(start + 7200);
    const toTwo = await present(mine.credentials[0]!, mine.keys[0]!, RP_TWO, 'nonce-rp-two-0000000002');
    const byAnother = await present(
      theirs.credentials[0]!,
      theirs.keys[0]!,
      RP_ONE,
      'nonce-rp-one-0000000003',
    );
    await verifyAs(toTwo, RP_TWO, 'nonce-rp-two-0000000002');

    const links = linking(toOne, toTwo, byAnother);
    const one = decodeSdJwt(toOne);
    const cnf = (one.payload['cnf'] as { jwk: { x: string; y: string } }).jwk;
    expect(links).toContain(JSON.stringify(one.signature));
    expect(links).toContain(JSON.stringify(cnf.x));
    expect(links).toContain(JSON.stringify(cnf.y));
    for (const d of one.disclosures) expect(links).toContain(JSON.stringify(d.salt));
    for (const digest of one.digests) expect(links).toContain(JSON.stringify(digest));
    // The same credential shown twice is also refused by a careful wallet (single use): the
    // relying parties would not even need to pool, the signature alone is a unique identifier.
    expect(decodeSdJwt(toTwo).signature).toBe(one.signature);
  });

  it('through the real verifier: two relying parties (two API keys), each a verified yes, nothing shared', async () => {
    const v = await verifierTestApp();
    try {
      const amina = await enrol(v, adult('Amina', '1990-04-01'));
      const zanele = await enrol(v, adult('Zanele', '1984-09-30'));
      const mine = await offerAndReceive(v, amina.id, { credential: 'age' }, 10);
      const theirs = await offerAndReceive(v, zanele.id, { credential: 'age' }, 10);
      // Each relying party's own request (its own API key, client_id and nonce): "over 18".
      const ask = async (apiKey: string) => {
        const created = await v.app.inject({
          method: 'POST',
          url: '/verifier/requests',
          headers: { authorization: `Bearer ${apiKey}` },
          payload: { template: { type: 'age_over', age: 18 }, trusted_issuers: [VERIFIER_TEST_ISSUER] },
        });
        expect(created.statusCode, created.body).toBe(201);
        return created.json() as { id: string; authorization_request: string };
      };
      // The independent OpenID4VP wallet answers with one credential of the batch; what it sends
      // (the plaintext vp_token the relying party decrypts) is recorded here.
      const answerWith = async (
        credential: string,
        key: WalletKey,
        request: { authorization_request: string },
      ) => {
        const sent: string[] = [];
        const sdJwt = new SDJwtVcInstance({
          hasher: digest,
          hashAlg: 'sha-256',
          saltGenerator: generateSalt,
          kbSigner: await ES256.getSigner(await exportJWK(key.privateKey)),
          kbSignAlg: 'ES256',
        });
        const present = sdJwt.present.bind(sdJwt);
        sdJwt.present = (async (...args: Parameters<typeof present>) => {
          const presentation = await present(...args);
          sent.push(presentation);
          return presentation;
        }) as typeof sdJwt.present;
        const holder: Holder = { publicJwk: key.publicJwk as JsonWebKey, sdJwt };
        const run = await answerRequest(
          request.authorization_request,
          credential,
          holder,
          { frame: { age_equal_or_over: { '18': true } }, queryId: 'age' },
          { fetch: verifierFetch(v.app), now: v.clock.now() },
        );
        expect(run.status, JSON.stringify(run.body)).toBe(200);
        expect(sent).toHaveLength(1);
        return sent[0]!;
      };
      const result = async (apiKey: string, id: string) =>
        (
          await v.app.inject({
            method: 'GET',
            url: `/verifier/requests/${id}`,
            headers: { authorization: `Bearer ${apiKey}` },
          })
        ).json();

      const start = v.clock.now();
      const one = await ask(v.keys.verifier);
      const toOne = await answerWith(mine.credentials[0]!, mine.keys[0]!, one);
      v.clock.set(start + 2);
      const two = await ask(v.keys.otherVerifier);
      const toTwo = await answerWith(mine.credentials[1]!, mine.keys[1]!, two);
      v.clock.set(start + 4);
      const three = await ask(v.keys.verifier);
      const byAnother = await answerWith(theirs.credentials[0]!, theirs.keys[0]!, three);

      for (const [apiKey, id] of [
        [v.keys.verifier, one.id],
        [v.keys.otherVerifier, two.id],
      ] as const) {
        const answered = await result(apiKey, id);
        expect(answered.status, JSON.stringify(answered)).toBe('verified');
        expect(answered.age_check).toEqual({ age: 18, over: true });
      }
      expect(decodeSdJwt(toOne).payload['status']).toBeUndefined();
      // Both relying parties use this installation's verifier, whose client_id (the KB-JWT aud) is
      // one per installation: every presentation to it carries the same aud, so it is shared by
      // the population as well. The nonces are each request's own.
      expect(decodeSdJwt(toOne).kbJwt!.payload['nonce']).not.toBe(decodeSdJwt(toTwo).kbJwt!.payload['nonce']);
      expect(linking(toOne, toTwo, byAnother)).toEqual([]);
      // The control through the same endpoints: the same credential twice is linked.
      v.clock.set(start + 6);
      const four = await ask(v.keys.otherVerifier);
      const again = await answerWith(mine.credentials[0]!, mine.keys[0]!, four);
      expect(linking(toOne, again, byAnother)).toContain(JSON.stringify(decodeSdJwt(toOne).signature));
    } finally {
      await v.close();
    }
  });
});
