// Proofs of age end to end, over in-memory stores and the independent test wallet: the
// registrar's offer of a batch, the holder's top-up with their national identity credential, and
// the guardian credential derived from the registry's guardian links (docs/age-assurance.md).
import { decodeCompactJws, presentSdJwtVc, webCryptoSigner } from '@trieste/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from '../app.test-util.js';
import { createApiKey } from '../http/api-keys.js';
import {
  injectFetch,
  receiveCredentials,
  verifyWithSdJwtLibrary,
  type WalletKey,
  walletKey,
} from '../issuer/wallet.test-util.js';
import { adult, decodeSdJwt, enrol, offerAndReceive } from './age.test-util.js';

const DAY = 86_400;
const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await t.stores.settings.set('jurisdiction', 'XA');
});
afterEach(() => t.app.close());

/** Checks a batch of proofs of age as the contract states it (age_xa). */
function expectAgeBatch(credentials: string[], keys: WalletKey[], expected: Record<string, boolean>) {
  expect(credentials).toHaveLength(keys.length);
  const decoded = credentials.map(decodeSdJwt);
  const iat = decoded[0]!.payload['iat'] as number;
  expect(iat % DAY).toBe(0);
  expect(iat).toBe(t.clock.now() - (t.clock.now() % DAY));
  const salts = new Set<string>();
  const digests = new Set<string>();
  const signatures = new Set<string>();
  const thumbprints = new Set<string>();
  for (const [i, credential] of decoded.entries()) {
    const { payload } = credential;
    expect(payload['status']).toBeUndefined();
    expect(payload['vct']).toBe('urn:trieste:xa:age:1');
    expect(payload['iat']).toBe(iat);
    expect(payload['exp']).toBe(iat + 30 * DAY);
    expect(Object.keys(payload).sort()).toEqual(['_sd', '_sd_alg', 'cnf', 'exp', 'iat', 'iss', 'vct']);
    expect((payload['cnf'] as { jwk: { x: string } }).jwk.x).toBe(keys[i]!.publicJwk.x);
    thumbprints.add(JSON.stringify((payload['cnf'] as { jwk: unknown }).jwk));
    signatures.add(credential.signature);
    // Only age claims: the top-level object and its leaves, each its own disclosure.
    const names = credential.disclosures.map((d) => d.name).sort();
    expect(names).toEqual(['13', '16', '18', '21', 'age_equal_or_over']);
    const leaves = Object.fromEntries(
      credential.disclosures.filter((d) => d.name !== 'age_equal_or_over').map((d) => [d.name, d.value]),
    );
    expect(leaves).toEqual(expected);
    for (const d of credential.disclosures) {
      expect(salts.has(d.salt)).toBe(false);
      salts.add(d.salt);
    }
    for (const digest of credential.digests) {
      expect(digests.has(digest)).toBe(false);
      digests.add(digest);
    }
  }
  expect(signatures.size).toBe(keys.length);
  expect(thumbprints.size).toBe(keys.length);
}

async function nationalIdentity(personId: string) {
  const { credentials, keys } = await offerAndReceive(t, personId, undefined, 1);
  return { credential: credentials[0]!, key: keys[0]! };
}

async function askTopUp(
  held: { credential: string; key: WalletKey },
  options: { aud?: string; disclose?: string[]; nonce?: string } = {},
) {
  const nonce = options.nonce ?? (await t.app.inject({ method: 'POST', url: '/nonce' })).json().c_nonce;
  const holder = await webCryptoSigner(held.key.privateKey, held.key.publicJwk as never, t.issuance.crypto);
  const presentation = await presentSdJwtVc(
    held.credential,
    {
      disclose: options.disclose ?? ['/personal_identifier'],
      nonce,
      aud: options.aud ?? `${t.issuance.issuer}/registry/me/age-credentials`,
    },
    { holder, crypto: t.issuance.crypto, clock: t.clock },
  );
  return {
    nonce,
    response: await t.app.inject({
      method: 'POST',
      url: '/registry/me/age-credentials',
      payload: { presentation, nonce },
    }),
  };
}

describe('proof of age (age_xa)', () => {
  it('a registrar offer yields a batch of 10: no status, one rounded iat and exp, nothing else shared', async () => {
    const { id } = await enrol(t, adult('Amina', '2006-02-10'));
    const { credentials, keys, offer } = await offerAndReceive(t, id, { credential: 'age' }, 10);
    expect(offer['credential_configuration_id']).toBe('age_xa');
    // 2026-05-28: 20 years old, so the "no" for 21 is issued and signed as well.
    expectAgeBatch(credentials, keys, { '13': true, '16': true, '18': true, '21': false });
    // Not linked to the record: there is no status to change when the record changes.
    expect(await t.stores.registry.credentialsOf(id)).toEqual([]);
    const records = await t.stores.credentials.list();
    expect(records).toHaveLength(10);
    for (const record of records) expect(record.statusListId).toBeUndefined();
    // An independent SD-JWT VC implementation accepts them.
    const verified = await verifyWithSdJwtLibrary(credentials[3]!, {
      fetch: injectFetch(t.app),
      issuer: t.issuance.issuer,
      now: t.clock.now(),
    });
    expect(verified.payload['age_equal_or_over']).toEqual({
      '13': true,
      '16': true,
      '18': true,
      '21': false,
    });
  });

  it('refuses a batch larger than the issuer’s batch_size, issuing nothing', async () => {
    const { id } = await enrol(t, adult('Amina'));
    const offer = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${id}/credential-offer`,
      headers: bearer(t.keys.registrar),
      payload: { credential: 'age' },
    });
    const keys = await Promise.all(Array.from({ length: 11 }, () => walletKey()));
    await expect(
      receiveCredentials({
        fetch: injectFetch(t.app),
        offerLink: offer.json().links.by_reference,
        txCode: offer.json().tx_code,
        keys,
        now: t.clock.now(),
      }),
    ).rejects.toThrow();
    expect(await t.stores.credentials.list()).toEqual([]);
  });

  it('tops up with the national identity credential: a fresh batch without tx_code, 10 minutes', async () => {
    const { id } = await enrol(t, adult('Amina', '1990-04-01'));
    const held = await nationalIdentity(id);
    t.clock.set(t.clock.now() + 3 * DAY + 777);
    const { response } = await askTopUp(held);
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ credential_configuration_id: 'age_xa', expires_at: t.clock.now() + 600 });
    expect(body.tx_code).toBeUndefined();
    const offer = await t.app.inject({ method: 'GET', url: new URL(body.credential_offer_uri).pathname });
    expect(
      offer.json().grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'].tx_code,
    ).toBeUndefined();
    const keys = await Promise.all(Array.from({ length: 10 }, () => walletKey()));
    const run = await receiveCredentials({
      fetch: injectFetch(t.app),
      offerLink: body.links.by_reference,
      keys,
      now: t.clock.now(),
    });
    expectAgeBatch(run.credentials, keys, { '13': true, '16': true, '18': true, '21': true });
  });

  it('refuses a top-up with a wrong audience, a reused nonce, or another claim disclosed', async () => {
    const { id } = await enrol(t, adult('Amina'));
    const held = await nationalIdentity(id);
    const wrongAud = await askTopUp(held, { aud: `${t.issuance.issuer}/registry/me/accesses` });
    expect(wrongAud.response.statusCode).toBe(401);
    expect(wrongAud.response.json().error).toBe('UNAUTHORIZED');
    const good = await askTopUp(held);
    expect(good.response.statusCode).toBe(201);
    const replay = await askTopUp(held, { nonce: good.nonce });
    expect(replay.response.statusCode).toBe(401);
    const noUin = await askTopUp(held, { disclose: ['/given_name'] });
    expect(noUin.response.statusCode).toBe(400);
    // Exactly one offer was made.
    expect(
      (await t.stores.credentialOffers.get(good.response.json().offer_id))?.credentialConfigurationId,
    ).toBe('age_xa');
  });

  it('refuses a top-up for a dead person: the revoked credential, and the record’s state itself', async () => {
    const { id, uin } = await enrol(t, adult('Amina'));
    const held = await nationalIdentity(id);
    // A second national identity credential for the same UIN, not linked to the record (a direct
    // issuer offer): the death cannot revoke it, the record's state still refuses.
    const direct = await t.app.inject({
      method: 'POST',
      url: '/admin/offers',
      headers: bearer(t.keys.registrar),
      payload: {
        credential_configuration_id: 'national_identity_xa',
        claims: {
          given_name: 'Amina',
          family_name: 'Haddad',
          birthdate: '1990-04-01',
          personal_identifier: uin,
        },
      },
    });
    expect(direct.statusCode, direct.body).toBe(200);
    const unlinkedKey = await walletKey();
    const unlinked = await receiveCredentials({
      fetch: injectFetch(t.app),
      offerLink: direct.json().links.by_reference,
      txCode: direct.json().tx_code,
      keys: [unlinkedKey],
      now: t.clock.now(),
    });
    const death = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${id}/death`,
      headers: bearer(t.keys.registrar),
      payload: { reason: 'death certificate 77/2026', date_of_death: { value: '2026-05-20' } },
    });
    expect(death.statusCode, death.body).toBe(200);
    const revoked = await askTopUp(held);
    expect(revoked.response.statusCode).toBe(401);
    expect(revoked.response.json().error_description).toContain('STATUS_REVOKED');
    const dead = await askTopUp({ credential: unlinked.credentials[0]!, key: unlinkedKey });
    expect(dead.response.statusCode).toBe(409);
    expect(dead.response.json().error).toBe('PERSON_STATE_CONFLICT');
    // And the registrar cannot offer proofs of age for the record any more.
    const offer = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${id}/credential-offer`,
      headers: bearer(t.keys.registrar),
      payload: { credential: 'age' },
    });
    expect(offer.statusCode).toBe(400);
  });
});

describe('hostile input on the new endpoints: a coded 4xx, nothing created', () => {
  it('POST /registry/me/age-credentials: garbage, a foreign nonce, extra fields, wrong types', async () => {
    const { id } = await enrol(t, adult('Amina'));
    const held = await nationalIdentity(id);
    const nonce = (await t.app.inject({ method: 'POST', url: '/nonce' })).json().c_nonce as string;
    const bodies: unknown[] = [
      {},
      [],
      'presentation',
      { presentation: 'x'.repeat(20), nonce },
      { presentation: `${held.credential.split('~')[0]}~~~`, nonce },
      { presentation: held.credential, nonce },
      { presentation: held.credential, nonce: 'n'.repeat(32) },
      { presentation: held.credential, nonce, child_id: id },
      { presentation: 12345678901, nonce },
      { presentation: 'a.b.c~'.repeat(3000), nonce },
    ];
    const before = (await t.stores.credentials.list()).length;
    for (const payload of bodies) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/registry/me/age-credentials',
        payload: payload as object,
      });
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.json().error).toMatch(/^[A-Za-z_]+$/);
      expect(response.body).not.toContain(held.credential.slice(0, 40));
    }
    expect((await t.stores.credentials.list()).length).toBe(before);
  });

  it('the OpenAPI document shows the offer body (credential, child_id), its response and the top-up route', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const offer = JSON.stringify(doc.paths['/registry/persons/{id}/credential-offer']);
    for (const name of [
      'credential',
      'national_identity',
      'age',
      'guardian',
      'child_id',
      'credential_configuration_id',
    ])
      expect(offer).toContain(`"${name}"`);
    const topUp = JSON.stringify(doc.paths['/registry/me/age-credentials']);
    for (const name of [
      'presentation',
      'nonce',
      'offer_id',
      'credential_offer_uri',
      'credential_configuration_id',
    ])
      expect(topUp).toContain(`"${name}"`);
    expect(topUp).not.toContain('"tx_code"');
  });

  it('POST /registry/persons/:id/credential-offer: unknown kinds, a malformed child id, extra fields', async () => {
    const { id } = await enrol(t, adult('Amina'));
    for (const payload of [
      { credential: 'passport' },
      { credential: 'guardian', child_id: '../../etc/passwd' },
      { credential: 'guardian', child_id: 42 },
      { credential: 'age', exp: 4_000_000_000 },
      { credential: 'age', claims: { age_equal_or_over: { '18': true } } },
      ['age'],
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/registry/persons/${id}/credential-offer`,
        headers: bearer(t.keys.registrar),
        payload: payload as object,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
    }
  });
});

describe('guardian credential (guardian_xa)', () => {
  /** The status of an issued credential's entry, read from the store. */
  const statusOf = async (credential: string) => {
    const { status_list } = decodeSdJwt(credential).payload['status'] as {
      status_list: { uri: string; idx: number };
    };
    return t.stores.statusLists.getStatus(status_list.uri.split('/').pop()!, status_list.idx);
  };
  const child = (guardianId: string, dob = '2015-04-12') => ({
    names: [{ script: 'Latn', given: 'Lina', family: 'Haddad' }],
    dateOfBirth: { value: dob },
    sex: 'female',
    placeOfBirth: { locality: 'Port Demo', country: 'XA' },
    nationality: ['XA'],
    legalStatus: 'citizen',
    guardians: [{ personId: guardianId, relationship: 'mother' }],
  });

  it('only for a real guardian of an active minor; ends at majority; the child’s death revokes it', async () => {
    const mother = await enrol(t, adult('Amina', '1985-03-02'));
    const stranger = await enrol(t, adult('Zanele', '1970-08-08'));
    const lina = await enrol(t, child(mother.id));
    const offer = (personId: string, body: object) =>
      t.app.inject({
        method: 'POST',
        url: `/registry/persons/${personId}/credential-offer`,
        headers: bearer(t.keys.registrar),
        payload: body,
      });
    expect((await offer(stranger.id, { credential: 'guardian', child_id: lina.id })).statusCode).toBe(400);
    expect((await offer(mother.id, { credential: 'guardian' })).statusCode).toBe(400);
    expect((await offer(mother.id, { credential: 'age', child_id: lina.id })).statusCode).toBe(400);
    expect((await offer(mother.id, { credential: 'guardian', child_id: 'A'.repeat(22) })).statusCode).toBe(
      404,
    );

    const { credentials, offer: made } = await offerAndReceive(
      t,
      mother.id,
      { credential: 'guardian', child_id: lina.id },
      1,
    );
    expect(made['credential_configuration_id']).toBe('guardian_xa');
    const { payload, disclosures } = decodeSdJwt(credentials[0]!);
    expect(payload).toMatchObject({ vct: 'urn:trieste:xa:guardian:1', exp: at('2033-04-12') });
    const status = (payload['status'] as { status_list: { uri: string; idx: number } }).status_list;
    expect(status.idx).toBeTypeOf('number');
    const disclosed = Object.fromEntries(disclosures.map((d) => [d.name, d.value]));
    expect(disclosed).toMatchObject({
      given_name: 'Lina',
      family_name: 'Haddad',
      birthdate: '2015-04-12',
      relationship: 'guardian',
    });
    expect(JSON.stringify(disclosures.map((d) => d.value))).not.toContain('Amina');
    // Linked to both records.
    const [credentialId] = await t.stores.registry.credentialsOf(mother.id);
    expect(await t.stores.registry.credentialsOf(lina.id)).toEqual([credentialId]);
    const listId = status.uri.split('/').pop()!;
    expect(await t.stores.statusLists.getStatus(listId, status.idx)).toBe(0);

    const death = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${lina.id}/death`,
      headers: bearer(t.keys.registrar),
      payload: { reason: 'death certificate 78/2026', date_of_death: { value: '2026-05-21' } },
    });
    expect(death.statusCode, death.body).toBe(200);
    expect(await t.stores.statusLists.getStatus(listId, status.idx)).toBe(1);
    expect((await offer(mother.id, { credential: 'guardian', child_id: lina.id })).statusCode).toBe(400);
  });

  it('never outlives a child with a partial date of birth, nor is offered for an adult child', async () => {
    const mother = await enrol(t, adult('Amina', '1975-03-02'));
    const partial = await enrol(t, child(mother.id, '2012'));
    const { credentials } = await offerAndReceive(
      t,
      mother.id,
      { credential: 'guardian', child_id: partial.id },
      1,
    );
    expect(decodeCompactJws(credentials[0]!.split('~')[0]!).payload).toMatchObject({ exp: at('2030-12-31') });
    const grown = await enrol(t, {
      ...child(mother.id, '2007-01-05'),
      names: [{ script: 'Latn', given: 'Sami', family: 'Haddad' }],
    });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${mother.id}/credential-offer`,
      headers: bearer(t.keys.registrar),
      payload: { credential: 'guardian', child_id: grown.id },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toBe('VALIDATION_FAILED');
  });

  it('removing a guardian link revokes that guardian’s credential (only theirs); a pending offer is then denied', async () => {
    const mother = await enrol(t, adult('Amina', '1985-03-02'));
    const father = await enrol(t, { ...adult('Karim', '1983-07-19'), sex: 'male' });
    const linaData = {
      ...child(mother.id),
      guardians: [
        { personId: mother.id, relationship: 'mother' },
        { personId: father.id, relationship: 'father' },
      ],
    };
    const lina = (await enrol(t, linaData)) as { id: string; uin: string; version: number };
    const guardianOf = async (guardianId: string) =>
      (await offerAndReceive(t, guardianId, { credential: 'guardian', child_id: lina.id }, 1))
        .credentials[0]!;
    const mothers = await guardianOf(mother.id);
    const fathers = await guardianOf(father.id);
    // The father's own national identity credential is not about the link: it stays valid.
    const fathersId = (await offerAndReceive(t, father.id, undefined, 1)).credentials[0]!;
    // An offer made to the father before the change, redeemed after it.
    const pending = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${father.id}/credential-offer`,
      headers: bearer(t.keys.registrar),
      payload: { credential: 'guardian', child_id: lina.id },
    });
    expect(pending.statusCode, pending.body).toBe(201);
    const issuedBefore = (await t.stores.credentials.list()).length;

    const update = await t.app.inject({
      method: 'PUT',
      url: `/registry/persons/${lina.id}`,
      headers: bearer(t.keys.registrar),
      payload: {
        person: { ...linaData, guardians: [{ personId: mother.id, relationship: 'mother' }] },
        expected_version: lina.version,
        reason: 'court order 12/2026: custody to the mother',
      },
    });
    expect(update.statusCode, update.body).toBe(200);
    expect(update.json().effects).toEqual({ credentials_changed: 1, reissue: false });
    expect(await statusOf(fathers)).toBe(1);
    expect(await statusOf(mothers)).toBe(0);
    expect(await statusOf(fathersId)).toBe(0);

    await expect(
      receiveCredentials({
        fetch: injectFetch(t.app),
        offerLink: pending.json().links.by_reference,
        txCode: pending.json().tx_code,
        keys: [await walletKey()],
        now: t.clock.now(),
      }),
    ).rejects.toThrow('credential_request_denied');
    expect(await t.stores.credentials.list()).toHaveLength(issuedBefore);
    // And no new offer for the father.
    const refused = await t.app.inject({
      method: 'POST',
      url: `/registry/persons/${father.id}/credential-offer`,
      headers: bearer(t.keys.registrar),
      payload: { credential: 'guardian', child_id: lina.id },
    });
    expect(refused.statusCode).toBe(400);
  });

  it('a change to the guardian’s own record leaves it valid; a change to the child’s data it carries revokes it', async () => {
    const motherData = adult('Amina', '1985-03-02');
    const mother = (await enrol(t, motherData)) as { id: string; version: number };
    const linaData = child(mother.id);
    const lina = (await enrol(t, linaData)) as { id: string; version: number };
    const guardians = (await offerAndReceive(t, mother.id, { credential: 'guardian', child_id: lina.id }, 1))
      .credentials[0]!;
    const mothersId = (await offerAndReceive(t, mother.id, undefined, 1)).credentials[0]!;
    const update = async (id: string, person: object, version: number) => {
      const response = await t.app.inject({
        method: 'PUT',
        url: `/registry/persons/${id}`,
        headers: bearer(t.keys.registrar),
        payload: { person, expected_version: version, reason: 'new address, form 7/2026' },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { effects: { credentials_changed: number; reissue: boolean } };
    };
    const moved = await update(
      mother.id,
      { ...motherData, address: { lines: ['9 Quay Street'], locality: 'Port Demo', country: 'XA' } },
      mother.version,
    );
    expect(moved.effects).toEqual({ credentials_changed: 1, reissue: true });
    expect(await statusOf(mothersId)).toBe(1);
    expect(await statusOf(guardians)).toBe(0);
    const renamed = await update(
      lina.id,
      { ...linaData, names: [{ script: 'Latn', given: 'Lina-Maria', family: 'Haddad' }] },
      lina.version,
    );
    expect(renamed.effects.credentials_changed).toBe(1);
    expect(await statusOf(guardians)).toBe(1);
  });

  it('deactivating the guardian or the child suspends it; it comes back only when both are active again', async () => {
    const supervisor = (await createApiKey(t.stores.apiKeys, t.clock, { name: 'sup', roles: ['supervisor'] }))
      .key;
    const mother = await enrol(t, adult('Amina', '1985-03-02'));
    const lina = await enrol(t, child(mother.id));
    const { credentials } = await offerAndReceive(
      t,
      mother.id,
      { credential: 'guardian', child_id: lina.id },
      1,
    );
    const { status_list } = decodeSdJwt(credentials[0]!).payload['status'] as {
      status_list: { uri: string; idx: number };
    };
    const status = () => t.stores.statusLists.getStatus(status_list.uri.split('/').pop()!, status_list.idx);
    const change = async (id: string, path: string, key: string) => {
      const response = await t.app.inject({
        method: 'POST',
        url: `/registry/persons/${id}/${path}`,
        headers: bearer(key),
        payload: { reason: 'identity fraud inquiry 4/2026' },
      });
      expect(response.statusCode, response.body).toBe(200);
    };
    await change(mother.id, 'deactivate', t.keys.registrar);
    expect(await status()).toBe(2);
    await change(lina.id, 'deactivate', t.keys.registrar);
    await change(mother.id, 'reactivate', supervisor);
    expect(await status()).toBe(2);
    await change(lina.id, 'reactivate', supervisor);
    expect(await status()).toBe(0);
  });

  it('is offered only through the registry: /admin/offers refuses age_xa and guardian_xa, OFFER_REGISTRY_ONLY', async () => {
    const direct = (credential_configuration_id: string, claims: object) =>
      t.app.inject({
        method: 'POST',
        url: '/admin/offers',
        headers: bearer(t.keys.registrar),
        payload: { credential_configuration_id, claims },
      });
    // Made-up claims that the configuration would otherwise accept: a child who is not in the
    // registry (valid 18 years through validity_seconds), an age the registry never said.
    const guardian = await direct('guardian_xa', {
      child: { given_name: 'Lina', family_name: 'Haddad', birthdate: '2015-04-12' },
      relationship: 'guardian',
    });
    const age = await direct('age_xa', {
      age_equal_or_over: { '13': true, '16': true, '18': true, '21': true },
    });
    for (const refused of [guardian, age]) {
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json().error).toBe('OFFER_REGISTRY_ONLY');
      expect(refused.body).not.toContain('Lina');
    }
    // Even with an `exp` of the caller's choosing, the refusal is the same.
    const withExp = await direct('guardian_xa', {
      child: { given_name: 'Lina', family_name: 'Haddad', birthdate: '2015-04-12' },
      relationship: 'guardian',
      exp: 4_000_000_000,
    });
    expect(withExp.json().error).toBe('OFFER_REGISTRY_ONLY');
    // The national identity configuration (no offered_by) is still offered directly.
    const national = await direct('national_identity_xa', {
      given_name: 'Amina',
      family_name: 'Haddad',
      birthdate: '1990-04-01',
      personal_identifier: '1234567890',
    });
    expect(national.statusCode, national.body).toBe(200);
    // The policy field is ours: it is not published in the issuer metadata.
    const metadata = await t.app.inject({ method: 'GET', url: '/.well-known/openid-credential-issuer' });
    expect(metadata.body).not.toContain('offered_by');
    expect(metadata.json().credential_configurations_supported.age_xa).toBeDefined();
  });

  it('keeps the default national identity offer unchanged for today’s callers', async () => {
    const { id } = await enrol(t, adult('Amina'));
    const { credentials, offer } = await offerAndReceive(t, id, undefined, 1);
    expect(offer['credential_configuration_id']).toBe('national_identity_xa');
    expect(decodeSdJwt(credentials[0]!).payload['status']).toBeDefined();
    expect(await t.stores.registry.credentialsOf(id)).toHaveLength(1);
  });
});
