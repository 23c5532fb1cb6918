// The registry's HTTP API end to end, over in-memory stores: enrolment with its three outcomes,
// the four-eyes adjudication, reads recorded in the access audit, the assisted credential channel
// (offer + tx_code, redeemed by an independent OpenID4VCI wallet, the credential linked to the
// record), a death revoking that credential through its status list, and the paper ID whose
// Claim 169 QR reads back from the PNG and verifies offline.
import { createApiKey, readQrFromImage } from '@trieste/adapters';
import { decodeCompactJws, presentSdJwtVc, verifyQrText, webCryptoSigner } from '@trieste/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from '../app.test-util.js';
import { injectFetch, receiveCredentials, walletKey } from '../issuer/wallet.test-util.js';

let t: TestApp;
let supervisor: string;

const AMINA = {
  names: [
    { script: 'Latn', given: 'Amina', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-01' },
  sex: 'female',
  placeOfBirth: { locality: 'Port Demo', country: 'XA' },
  address: { lines: ['1 Harbour Road'], locality: 'Port Demo', country: 'XA' },
  nationality: ['XA'],
  legalStatus: 'citizen',
};

beforeEach(async () => {
  t = await testApp();
  await t.stores.settings.set('jurisdiction', 'XA');
  supervisor = (await createApiKey(t.stores.apiKeys, t.clock, { name: 'sup', roles: ['supervisor'] })).key;
});
afterEach(() => t.app.close());

const enrol = (person: object, key = t.keys.registrar) =>
  t.app.inject({
    method: 'POST',
    url: '/registry/persons',
    headers: bearer(key),
    payload: { person, office: 'Port Demo civil registry, desk 2' },
  });

describe('registry API', () => {
  it('enrols, refuses a certain duplicate with its reference, queues the grey zone for a supervisor', async () => {
    const created = await enrol(AMINA);
    expect(created.statusCode, created.body).toBe(201);
    const amina = created.json().person;
    expect(amina).toMatchObject({ state: 'active', version: 1 });
    expect(amina.uin).toMatch(/^[1-9]\d{9}$/);

    // The same person again, with a transliteration variant of the given name: refused.
    const again = await enrol({ ...AMINA, names: [{ script: 'Latn', given: 'Aminah', family: 'Haddad' }] });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      outcome: 'duplicate',
      match: { person_id: amina.id, uin: amina.uin },
    });

    // Same name, an estimated birth year, another town of the country: another person, created.
    const namesake = await enrol({
      names: [{ script: 'Latn', given: 'Amina', family: 'Haddad' }],
      dateOfBirth: { value: '1990', estimated: true },
      sex: 'female',
      placeOfBirth: { locality: 'Inland Town', country: 'XA' },
      nationality: ['XA'],
      legalStatus: 'citizen',
    });
    expect(namesake.statusCode, namesake.body).toBe(201);

    // A weaker resemblance without that difference (the town not given): the grey zone.
    const unsure = await enrol({
      names: [{ script: 'Latn', given: 'Amina', family: 'Haddad' }],
      dateOfBirth: { value: '1990', estimated: true },
      sex: 'female',
      placeOfBirth: { country: 'XA' },
      nationality: ['XA'],
      legalStatus: 'citizen',
    });
    expect(unsure.statusCode, unsure.body).toBe(202);
    {
      const { case_id: caseId, person } = unsure.json();
      expect(person.state).toBe('pending');
      // A registrar cannot decide; the enrolling registrar's key is not a supervisor's.
      const refused = await t.app.inject({
        method: 'POST',
        url: `/registry/cases/${caseId}/decision`,
        headers: bearer(t.keys.registrar),
        payload: { outcome: 'distinct' },
      });
      expect(refused.statusCode).toBe(403);
      const queue = await t.app.inject({
        method: 'GET',
        url: '/registry/cases',
        headers: bearer(supervisor),
      });
      expect(queue.json().cases.map((c: { id: string }) => c.id)).toContain(caseId);
      const decided = await t.app.inject({
        method: 'POST',
        url: `/registry/cases/${caseId}/decision`,
        headers: bearer(supervisor),
        payload: { outcome: 'distinct', note: 'different parents on the birth record' },
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json().subject).toMatchObject({ state: 'active' });
      expect(decided.json().subject.uin).toMatch(/^\d{10}$/);
    }
  });

  it('records every read with its purpose, and shows the person who looked', async () => {
    const { id, uin } = (await enrol(AMINA)).json().person;
    const noPurpose = await t.app.inject({
      method: 'GET',
      url: `/registry/persons/${id}`,
      headers: bearer(t.keys.registrar),
    });
    expect(noPurpose.statusCode).toBe(400);
    const read = await t.app.inject({
      method: 'GET',
      url: `/registry/persons?uin=${uin}&purpose=${encodeURIComponent('benefit claim 2291')}`,
      headers: bearer(t.keys.registrar),
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().data.names[0].given).toBe('Amina');
    const accesses = await t.app.inject({
      method: 'GET',
      url: `/registry/persons/${id}/accesses`,
      headers: bearer(t.keys.registrar),
    });
    expect(accesses.json().accesses).toEqual([
      expect.objectContaining({
        purpose: 'benefit claim 2291',
        accessor: expect.stringMatching(/^api-key:/),
      }),
    ]);
  });

  it('issues the national identity credential through an offer with a tx_code; a death revokes it', async () => {
    const { id } = (await enrol(AMINA)).json().person;
    const offer = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${id}/credential-offer`,
      headers: bearer(t.keys.registrar),
    });
    expect(offer.statusCode, offer.body).toBe(201);
    const { tx_code: txCode, links } = offer.json();
    const key = await walletKey();
    const run = await receiveCredentials({
      fetch: injectFetch(t.app),
      offerLink: links.by_reference,
      txCode,
      keys: [key],
      now: t.clock.now(),
    });
    const payload = decodeCompactJws(run.credentials[0]!.split('~')[0]!).payload as {
      status: { status_list: { uri: string; idx: number } };
    };
    expect(await t.stores.registry.credentialsOf(id)).toHaveLength(1);

    // The person asks "who looked at my data" with the credential: personal_identifier only, bound
    // to a fresh nonce and this endpoint.
    await t.app.inject({
      method: 'GET',
      url: `/registry/persons/${id}?purpose=${encodeURIComponent('pension review 12')}`,
      headers: bearer(t.keys.registrar),
    });
    const askAccesses = async (disclose: string[]) => {
      const { c_nonce: nonce } = (await t.app.inject({ method: 'POST', url: '/nonce' })).json();
      const holder = await webCryptoSigner(key.privateKey, key.publicJwk as never, t.issuance.crypto);
      const presentation = await presentSdJwtVc(
        run.credentials[0]!,
        { disclose, nonce, aud: `${t.issuance.issuer}/registry/me/accesses` },
        { holder, crypto: t.issuance.crypto, clock: t.clock },
      );
      return t.app.inject({ method: 'POST', url: '/registry/me/accesses', payload: { presentation, nonce } });
    };
    const mine = await askAccesses(['/personal_identifier']);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().accesses).toEqual([expect.objectContaining({ purpose: 'pension review 12' })]);
    // Without the identifier disclosed, or with a replayed nonce: refused.
    expect((await askAccesses(['/given_name'])).statusCode).toBe(400);
    const { c_nonce: used } = (await t.app.inject({ method: 'POST', url: '/nonce' })).json();
    await t.stores.credentialOffers.consumeNonce(used, t.clock.now());
    const replay = await t.app.inject({
      method: 'POST',
      url: '/registry/me/accesses',
      payload: { presentation: run.credentials[0]!, nonce: used },
    });
    expect(replay.statusCode).toBe(401);
    const listId = payload.status.status_list.uri.split('/').pop()!;
    expect(await t.stores.statusLists.getStatus(listId, payload.status.status_list.idx)).toBe(0);

    const death = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${id}/death`,
      headers: bearer(t.keys.registrar),
      payload: { reason: 'death certificate 77/2026', date_of_death: { value: '2026-11-02' } },
    });
    expect(death.statusCode, death.body).toBe(200);
    expect(death.json()).toMatchObject({
      person: { state: 'deceased' },
      effects: { credentials_changed: 1 },
    });
    // Revoked (0x01) in the list the credential names, published in the same transaction.
    expect(await t.stores.statusLists.getStatus(listId, payload.status.status_list.idx)).toBe(1);
  });

  it('prints a paper ID whose Claim 169 QR reads back from the PNG and verifies offline', async () => {
    const { id, uin } = (await enrol(AMINA)).json().person;
    const png = await t.app.inject({
      method: 'GET',
      url: `/registry/persons/${id}/paper-id?format=png&purpose=${encodeURIComponent('paper ID for the holder')}`,
      headers: bearer(t.keys.registrar),
    });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    const text = readQrFromImage(new Uint8Array(png.rawPayload));
    const active = (await t.stores.keys.list()).find((k) => k.state === 'active')!;
    const result = await verifyQrText(
      text,
      {
        keys: [
          { jwk: active.publicJwk as never, kid: active.kid, iss: t.issuance.issuer, types: ['claim169'] },
        ],
      },
      { now: t.clock.now() },
    );
    expect(result.valid, JSON.stringify(result.steps)).toBe(true);
    expect(result.kind).toBe('claim169');
    expect(JSON.stringify(result.claims)).toContain(uin);
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/registry/persons/${id}/paper-id?purpose=${encodeURIComponent('paper ID for the holder')}`,
      headers: bearer(t.keys.registrar),
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a malformed record with a code and creates nothing', async () => {
    const bad = await enrol({ names: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('VALIDATION_FAILED');
    const noAuth = await t.app.inject({ method: 'POST', url: '/registry/persons', payload: {} });
    expect(noAuth.statusCode).toBe(401);
    expect(await t.stores.registry.listCases()).toEqual([]);
  });

  it('hostile bodies and paths: always a coded 4xx, never a 500, nothing created', async () => {
    const name = fc.record(
      {
        script: fc.string({ maxLength: 6 }),
        given: fc.string({ maxLength: 30 }),
        family: fc.string({ maxLength: 30 }),
      },
      { requiredKeys: [] },
    );
    const person = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          names: fc.oneof(fc.array(name, { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })),
          dateOfBirth: fc.oneof(
            fc.record({ value: fc.string({ maxLength: 12 }), estimated: fc.boolean() }),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          sex: fc.string({ maxLength: 12 }),
          nationality: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
          guardians: fc.array(
            fc.record({ personId: fc.string({ maxLength: 70 }), relationship: fc.string() }),
          ),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(person, fc.string({ maxLength: 80 }), async (body, segment) => {
        const enrolled = await t.app.inject({
          method: 'POST',
          url: '/registry/persons',
          headers: bearer(t.keys.registrar),
          payload: { person: body, office: 'desk' },
        });
        expect(enrolled.statusCode, enrolled.body).toBeLessThan(500);
        if (enrolled.statusCode >= 400) expect(enrolled.json()).toHaveProperty('error');
        const read = await t.app.inject({
          method: 'GET',
          url: `/registry/persons/${encodeURIComponent(segment)}?purpose=check`,
          headers: bearer(t.keys.registrar),
        });
        expect(read.statusCode, read.body).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });
});
