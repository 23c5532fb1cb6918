// The relying-party templates (age_over, parental_consent) and OpenID4VP transaction data (§5.1,
// §8.4), end to end: the verifier's API, the signed request object, an independent wallet
// (@openid4vc/openid4vp + @sd-jwt/sd-jwt-vc, wallet.test-util.ts) and the result presenter. On
// embedded PGlite, the PostgreSQL test server and the in-memory stores.
import { issueCredential, type JsonObject } from '@trieste/core';
import fc from 'fast-check';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrustedIssuers } from './read-trusted-issuers.js';
import {
  bearer,
  ISSUER,
  postResponse,
  type TestDatabase,
  type VerifierTestApp,
  verifierTestApp,
} from './verifier.test-util.js';
import {
  answerRequest,
  createHolder,
  type Holder,
  injectFetch,
  type WalletAnswer,
} from './wallet.test-util.js';

const NATIONAL_IDENTITY_VCT = 'urn:trieste:xa:national-identity:1';
const AGE_VCT = 'urn:trieste:xa:age:1';
const GUARDIAN_VCT = 'urn:trieste:xa:guardian:1';
const OTHER_ISSUER = 'https://other.test';

const ages = (over: number) => Object.fromEntries([13, 16, 18, 21].map((n) => [String(n), over >= n]));

const CHILD = { given_name: 'Amina', family_name: 'Okafor-Secretname', birthdate: '2014-05-02' };
const CONSENT = 'Open a learning account for Amina';

const decode = (entry: string) => JSON.parse(Buffer.from(entry, 'base64url').toString('utf8'));

describe.each<TestDatabase>(['pglite', 'postgres', 'memory'])(
  'templates and transaction data (%s)',
  (database) => {
    let t: VerifierTestApp;
    let adult: Holder;
    let teen: Holder;
    let guardian: Holder;
    const credentials: Record<string, string> = {};

    beforeAll(async () => {
      t = await verifierTestApp({
        database,
        verifier: {
          // A second issuer the verifier knows, so a request can trust it and not ours.
          trustedIssuers: parseTrustedIssuers({
            issuers: [
              { issuer: OTHER_ISSUER, keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'A'.repeat(43), kid: 'k1' }] },
            ],
          }),
        },
      });
      [adult, teen, guardian] = await Promise.all([createHolder(), createHolder(), createHolder()]);
      const issue = async (holder: Holder, vct: string, claims: JsonObject, extra: object = {}) =>
        (
          await issueCredential(
            {
              vct,
              claims,
              holderKey: holder.publicJwk as never,
              disclosable: 'all',
              expiresInSeconds: 3600,
              ...extra,
            },
            t.issuance,
          )
        ).credential;
      const identity = (given: string, over: number) => ({
        given_name: given,
        family_name: 'Okafor-Secretname',
        birthdate: '1990-04-01',
        age_equal_or_over: ages(over),
        personal_identifier: '4521879630',
      });
      credentials['adult'] = await issue(adult, NATIONAL_IDENTITY_VCT, identity('Zanele', 30));
      credentials['teen'] = await issue(teen, NATIONAL_IDENTITY_VCT, identity('Yusuf', 15));
      // The proof of age as the issuer's age_xa configuration issues it: age_equal_or_over only, no
      // status claim, issuance time rounded down to the UTC day, 30 days of validity.
      credentials['age'] = await issue(
        adult,
        AGE_VCT,
        { age_equal_or_over: ages(30) },
        { status: false, issuedAtRoundingSeconds: 86_400, expiresInSeconds: 2_592_000 },
      );
      credentials['guardian'] = await issue(guardian, GUARDIAN_VCT, {
        child: CHILD,
        relationship: 'guardian',
      });
      credentials['guardianOfAnother'] = await issue(guardian, GUARDIAN_VCT, {
        child: { ...CHILD, given_name: 'Yusuf' },
        relationship: 'guardian',
      });
    });
    afterAll(() => t.close());

    const create = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/verifier/requests', headers: bearer(t.keys.verifier), payload });
    const poll = async (id: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/verifier/requests/${id}`,
          headers: bearer(t.keys.verifier),
        })
      ).json();
    const requestObject = async (id: string) => {
      const jar = (await t.app.inject({ method: 'GET', url: `/openid4vp/request/${id}` })).body;
      const did = String(decodeProtectedHeader(jar).kid).split('#')[0]!;
      const jwk = JSON.parse(Buffer.from(did.slice('did:jwk:'.length), 'base64url').toString());
      const { payload } = await compactVerify(jar, await importJWK(jwk, 'ES256'));
      return JSON.parse(new TextDecoder().decode(payload));
    };
    const answer = (
      created: { authorization_request: string },
      credential: string,
      holder: Holder,
      a: WalletAnswer,
    ) =>
      answerRequest(created.authorization_request, credential, holder, a, {
        fetch: injectFetch(t.app),
        now: t.clock.now(),
      });
    const ageRequest = async (age: number, overrides: object = {}) => {
      const response = await create({
        template: { type: 'age_over', age },
        trusted_issuers: [ISSUER],
        ...overrides,
      });
      expect(response.statusCode).toBe(201);
      return response.json();
    };
    const consentRequest = async (overrides: object = {}, consent = CONSENT) => {
      const response = await create({
        template: {
          type: 'parental_consent',
          child: { given_name: 'Amina' },
          consent,
          service: 'Kids Learning',
        },
        trusted_issuers: [ISSUER],
        ...overrides,
      });
      expect(response.statusCode).toBe(201);
      return response.json();
    };
    const guardianFrame = { child: { given_name: true, birthdate: true } };

    describe('age_over', () => {
      it('asks for age_equal_or_over/N only, from the age credential or the national identity credential', async () => {
        const created = await ageRequest(16);
        const claims = await requestObject(created.id);
        const asked = [{ path: ['age_equal_or_over', '16'] }];
        expect(claims.dcql_query).toMatchObject({
          credentials: [
            { id: 'age', format: 'dc+sd-jwt', meta: { vct_values: [AGE_VCT] }, claims: asked },
            {
              id: 'national_identity',
              format: 'dc+sd-jwt',
              meta: { vct_values: [NATIONAL_IDENTITY_VCT] },
              claims: asked,
            },
          ],
          credential_sets: [
            {
              options: [['age'], ['national_identity']],
              required: true,
              purpose: 'Check that you are over 16',
            },
          ],
        });
        expect(claims).not.toHaveProperty('transaction_data');
        expect(await poll(created.id)).toMatchObject({
          status: 'pending',
          purpose: 'Check that you are over 16',
          purpose_code: 'age_verification',
          template: { type: 'age_over', age: 16 },
        });
      });

      it('an adult national identity credential over 18: verified, age_check { 18, true }', async () => {
        const created = await ageRequest(18);
        const run = await answer(created, credentials['adult']!, adult, {
          queryId: 'national_identity',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(run.status).toBe(200);
        const polled = await poll(created.id);
        expect(polled).toMatchObject({ status: 'verified', age_check: { age: 18, over: true } });
        expect(polled.result.credentials.national_identity[0].claims).toEqual({
          age_equal_or_over: { '18': true },
        });
        expect(polled).not.toHaveProperty('consent');
      });

      it('a credential that says no: verified, over false (a verified "no", not a failure)', async () => {
        const created = await ageRequest(18);
        const run = await answer(created, credentials['teen']!, teen, {
          queryId: 'national_identity',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(run.status).toBe(200);
        expect(await poll(created.id)).toMatchObject({
          status: 'verified',
          age_check: { age: 18, over: false },
        });
      });

      it('nothing disclosed for that age: failed (QUERY_UNSATISFIED), no age_check', async () => {
        const created = await ageRequest(18);
        // Discloses another age, not the one asked.
        const run = await answer(created, credentials['adult']!, adult, {
          queryId: 'national_identity',
          frame: { age_equal_or_over: { '21': true } },
        });
        expect(run.status).toBe(400);
        const polled = await poll(created.id);
        expect(polled).toMatchObject({ status: 'failed', reason: 'QUERY_UNSATISFIED' });
        expect(polled).not.toHaveProperty('age_check');
      });

      it('a proof of age without a status claim verifies; its status is "not checked"', async () => {
        expect(credentials['age']!.split('~')[0]).toBeDefined();
        const payload = JSON.parse(Buffer.from(credentials['age']!.split('.')[1]!, 'base64url').toString());
        expect(payload).not.toHaveProperty('status');
        expect(payload.iat % 86_400).toBe(0);
        const created = await ageRequest(21);
        const run = await answer(created, credentials['age']!, adult, {
          queryId: 'age',
          frame: { age_equal_or_over: { '21': true } },
        });
        expect(run.status).toBe(200);
        const polled = await poll(created.id);
        expect(polled).toMatchObject({ status: 'verified', age_check: { age: 21, over: true } });
        const [presented] = polled.result.credentials.age;
        expect(presented).toMatchObject({ vct: AGE_VCT, claims: { age_equal_or_over: { '21': true } } });
        expect(presented).not.toHaveProperty('status');
        expect(presented.trust.status).toEqual({ checked: false });
      });

      it('an external verifier with plain DCQL (no template) asks the proof of age for age_equal_or_over/18', async () => {
        const response = await create({
          dcql_query: {
            credentials: [
              {
                id: 'over18',
                format: 'dc+sd-jwt',
                meta: { vct_values: [AGE_VCT] },
                claims: [{ path: ['age_equal_or_over', '18'], values: [true] }],
              },
            ],
          },
          purpose: 'Adults only',
          trusted_issuers: [ISSUER],
        });
        expect(response.statusCode, response.body).toBe(201);
        const created = response.json();
        const run = await answer(created, credentials['age']!, adult, {
          queryId: 'over18',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(run.status, JSON.stringify(run.body)).toBe(200);
        const polled = await poll(created.id);
        expect(polled.status).toBe('verified');
        // Exactly the one claim, verified; no template, so no age_check summary.
        expect(polled.result.credentials.over18[0]).toMatchObject({
          vct: AGE_VCT,
          claims: { age_equal_or_over: { '18': true } },
        });
        expect(polled.result.credentials.over18[0].claims).toEqual({ age_equal_or_over: { '18': true } });
        expect(polled).not.toHaveProperty('age_check');
        // A teen's "false" does not match `values: [true]`: the query is not satisfied.
        const teenAge = await issueCredential(
          {
            vct: AGE_VCT,
            claims: { age_equal_or_over: ages(15) },
            holderKey: teen.publicJwk as never,
            disclosable: 'all',
            expiresInSeconds: 3600,
            status: false,
          },
          t.issuance,
        );
        const again = (
          await create({
            dcql_query: {
              credentials: [
                {
                  id: 'over18',
                  format: 'dc+sd-jwt',
                  meta: { vct_values: [AGE_VCT] },
                  claims: [{ path: ['age_equal_or_over', '18'], values: [true] }],
                },
              ],
            },
            purpose: 'Adults only',
            trusted_issuers: [ISSUER],
          })
        ).json();
        const refused = await answer(again, teenAge.credential, teen, {
          queryId: 'over18',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(refused.status).toBe(400);
        expect(await poll(again.id)).toMatchObject({ status: 'failed', reason: 'QUERY_UNSATISFIED' });
      });

      it('trusted_issuers still gates a proof of age: another issuer only → ISSUER_UNKNOWN', async () => {
        const created = await ageRequest(18, { trusted_issuers: [OTHER_ISSUER] });
        const run = await answer(created, credentials['age']!, adult, {
          queryId: 'age',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(run.status).toBe(400);
        expect(await poll(created.id)).toMatchObject({ status: 'failed', reason: 'ISSUER_UNKNOWN' });
      });

      it('an age no credential attests, or a purpose_code of another use: VALIDATION_FAILED', async () => {
        for (const payload of [
          { template: { type: 'age_over', age: 17 }, trusted_issuers: [ISSUER] },
          { template: { type: 'age_over', age: '18' }, trusted_issuers: [ISSUER] },
          { template: { type: 'age_over', age: 18 }, purpose_code: 'marketing', trusted_issuers: [ISSUER] },
        ]) {
          const response = await create(payload);
          expect(response.statusCode).toBe(400);
          expect(response.json().error).toBe('VALIDATION_FAILED');
        }
      });
    });

    describe('parental_consent', () => {
      it('asks for the child given name and birth date only, with one transaction data entry', async () => {
        const created = await consentRequest();
        const claims = await requestObject(created.id);
        expect(claims.dcql_query.credentials).toMatchObject([
          {
            id: 'guardian',
            format: 'dc+sd-jwt',
            meta: { vct_values: [GUARDIAN_VCT] },
            claims: [{ path: ['child', 'given_name'], values: ['Amina'] }, { path: ['child', 'birthdate'] }],
          },
        ]);
        expect(claims.transaction_data).toHaveLength(1);
        expect(claims.transaction_data[0]).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decode(claims.transaction_data[0])).toEqual({
          type: 'trieste_parental_consent',
          credential_ids: ['guardian'],
          child: { given_name: 'Amina' },
          consent: CONSENT,
          service: 'Kids Learning',
        });
        expect(await poll(created.id)).toMatchObject({ purpose_code: 'parental_consent' });
      });

      it("a guardian's consent with the right hashes: given, the child's disclosed claims, nothing about the guardian; a replay is refused", async () => {
        const created = await consentRequest();
        // The wallet over-discloses the relationship and the child's family name: dropped by path.
        const run = await answer(created, credentials['guardian']!, guardian, {
          queryId: 'guardian',
          frame: { child: { given_name: true, birthdate: true, family_name: true }, relationship: true },
        });
        expect(run.status).toBe(200);
        expect(run.request.transactionData).toHaveLength(1);
        const polled = await poll(created.id);
        expect(polled.status).toBe('verified');
        expect(polled.consent).toEqual({
          type: 'trieste_parental_consent',
          given: true,
          child: { given_name: 'Amina', birthdate: '2014-05-02' },
          transaction_data: [
            {
              type: 'trieste_parental_consent',
              credential_ids: ['guardian'],
              child: { given_name: 'Amina' },
              consent: CONSENT,
              service: 'Kids Learning',
            },
          ],
        });
        expect(polled.result.credentials.guardian[0].claims).toEqual({
          child: { given_name: 'Amina', birthdate: '2014-05-02' },
        });
        expect(polled.result.dropped_claims).toEqual(
          expect.arrayContaining([
            { credential: 'guardian', path: ['relationship'] },
            { credential: 'guardian', path: ['child', 'family_name'] },
          ]),
        );
        const text = JSON.stringify(polled);
        expect(text).not.toContain('Okafor-Secretname');
        expect(text).not.toContain(String(guardian.publicJwk.x));
        expect(polled).not.toHaveProperty('age_check');

        const replay = await postResponse(t.app, created.id, run.posted);
        expect(replay.statusCode).toBe(409);
        expect(replay.json().error_description).toContain('REQUEST_ANSWERED');
      });

      it.each<[string, WalletAnswer['transactionData']]>([
        ['no transaction_data_hashes in the KB-JWT', null],
        ['a wrong hash', { hashes: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] }],
        ['two hashes where one is asked', { hashes: ['a', 'b'] }],
      ])('%s: failed, TRANSACTION_DATA_MISMATCH', async (_what, transactionData) => {
        const created = await consentRequest();
        const run = await answer(created, credentials['guardian']!, guardian, {
          queryId: 'guardian',
          frame: guardianFrame,
          transactionData,
        });
        expect(run.status).toBe(400);
        const polled = await poll(created.id);
        expect(polled).toMatchObject({ status: 'failed', reason: 'TRANSACTION_DATA_MISMATCH' });
        expect(polled).not.toHaveProperty('consent');
      });

      it('hashes over the transaction data of another request (another consent): TRANSACTION_DATA_MISMATCH', async () => {
        const other = await consentRequest({}, 'Let Amina chat with strangers');
        const otherData: string[] = (await requestObject(other.id)).transaction_data;
        const created = await consentRequest();
        const run = await answer(created, credentials['guardian']!, guardian, {
          queryId: 'guardian',
          frame: guardianFrame,
          transactionData: otherData,
        });
        expect(run.status).toBe(400);
        expect(await poll(created.id)).toMatchObject({
          status: 'failed',
          reason: 'TRANSACTION_DATA_MISMATCH',
        });
      });

      it('a guardian credential for another child, correctly hashed: failed, CONSENT_CHILD_MISMATCH', async () => {
        const created = await consentRequest();
        const run = await answer(created, credentials['guardianOfAnother']!, guardian, {
          queryId: 'guardian',
          frame: guardianFrame,
        });
        expect(run.status).toBe(400);
        const polled = await poll(created.id);
        expect(polled).toMatchObject({ status: 'failed', reason: 'CONSENT_CHILD_MISMATCH' });
        expect(polled).not.toHaveProperty('consent');
      });
    });

    describe('generic transaction_data with a DCQL query', () => {
      const query = {
        credentials: [
          {
            id: 'pid',
            format: 'dc+sd-jwt',
            meta: { vct_values: [NATIONAL_IDENTITY_VCT] },
            claims: [{ path: ['given_name'] }],
          },
        ],
      };
      const payment = { type: 'rp_terms', credential_ids: ['pid'], terms: 'Terms of service v3' };

      it('goes into the request object as base64url JSON and must be hashed by the credential it names', async () => {
        const make = async () =>
          (
            await create({
              dcql_query: query,
              purpose: 'Sign up',
              trusted_issuers: [ISSUER],
              transaction_data: [payment],
            })
          ).json();
        const created = await make();
        const claims = await requestObject(created.id);
        expect(claims.transaction_data.map(decode)).toEqual([payment]);
        const ok = await answer(created, credentials['adult']!, adult, { frame: { given_name: true } });
        expect(ok.status).toBe(200);
        const polled = await poll(created.id);
        expect(polled.status).toBe('verified');
        // Transaction data of the relying party's own type: verified, but no consent result.
        expect(polled).not.toHaveProperty('consent');

        const unsigned = await make();
        const refused = await answer(unsigned, credentials['adult']!, adult, {
          frame: { given_name: true },
          transactionData: null,
        });
        expect(refused.status).toBe(400);
        expect(await poll(unsigned.id)).toMatchObject({
          status: 'failed',
          reason: 'TRANSACTION_DATA_MISMATCH',
        });
      });
    });

    describe('hostile relying party input: 400 VALIDATION_FAILED, nothing stored', () => {
      const entry = { type: 'rp_terms', credential_ids: ['guardian'] };
      const consent = { type: 'parental_consent', child: { given_name: 'Amina' }, consent: CONSENT };
      it.each<[string, object]>([
        ['too many transaction_data entries', { template: consent, transaction_data: Array(5).fill(entry) }],
        ['more than five given', { template: consent, transaction_data: Array(6).fill(entry) }],
        [
          'a too large entry',
          { template: consent, transaction_data: [{ ...entry, text: 'x'.repeat(3000) }] },
        ],
        ['an entry that is not an object', { template: consent, transaction_data: ['eyJ0eXBlIjoieCJ9'] }],
        ['an array entry', { template: consent, transaction_data: [[entry]] }],
        ['an empty array', { template: consent, transaction_data: [] }],
        [
          'an entry without type',
          { template: consent, transaction_data: [{ credential_ids: ['guardian'] }] },
        ],
        [
          'unknown credential_ids',
          { template: consent, transaction_data: [{ ...entry, credential_ids: ['pid'] }] },
        ],
        [
          'our consent type outside the template',
          { template: consent, transaction_data: [{ ...entry, type: 'trieste_parental_consent' }] },
        ],
        ['a consent text over 300 characters', { template: { ...consent, consent: 'x'.repeat(301) } }],
        [
          'a consent text with a control character',
          { template: { ...consent, consent: 'Agree\nto everything' } },
        ],
        ['an unknown template', { template: { type: 'over_the_rainbow' } }],
        ['a template and a DCQL query', { template: consent, dcql_query: { credentials: [] }, purpose: 'x' }],
        ['neither a template nor a DCQL query', { purpose: 'x' }],
        [
          'a DCQL query without purpose',
          { dcql_query: { credentials: [{ id: 'p', format: 'dc+sd-jwt', claims: [{ path: ['a'] }] }] } },
        ],
      ])('%s', async (_what, overrides) => {
        // Every request so far is dropped, so the count afterwards is what this input stored.
        await t.stores.presentationRequests.deleteExpired(1e12);
        const response = await create({ trusted_issuers: [ISSUER], ...overrides });
        expect(response.statusCode).toBe(400);
        expect(response.json().error).toBe('VALIDATION_FAILED');
        expect(await t.stores.presentationRequests.deleteExpired(1e12)).toBe(0);
      });

      it('arbitrary JSON as template or transaction_data: 201 or a coded 400, never a 500', async () => {
        const json = fc.jsonValue({ maxDepth: 3 });
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              json,
              fc.record({ type: fc.constantFrom('age_over', 'parental_consent') }, { requiredKeys: [] }),
            ),
            fc.oneof(json, fc.array(fc.record({ type: fc.string(), credential_ids: fc.array(fc.string()) }))),
            async (template, transactionData) => {
              const response = await t.app.inject({
                method: 'POST',
                url: '/verifier/requests',
                headers: { ...bearer(t.keys.verifier), 'content-type': 'application/json' },
                payload: JSON.stringify({
                  template,
                  transaction_data: transactionData,
                  trusted_issuers: [ISSUER],
                }),
              });
              expect([201, 400]).toContain(response.statusCode);
              if (response.statusCode === 400) expect(response.json().error).toBe('VALIDATION_FAILED');
            },
          ),
          { numRuns: 60 },
        );
      });

      it('a wallet-side transaction data entry not answered by any credential named: TRANSACTION_DATA_MISMATCH', async () => {
        // age_over offers two credentials; an entry bound to "age" while the wallet answers with the
        // national identity credential leaves it unsigned.
        const created = (
          await create({
            template: { type: 'age_over', age: 18 },
            trusted_issuers: [ISSUER],
            transaction_data: [{ type: 'rp_terms', credential_ids: ['age'] }],
          })
        ).json();
        const run = await answer(created, credentials['adult']!, adult, {
          queryId: 'national_identity',
          frame: { age_equal_or_over: { '18': true } },
        });
        expect(run.status).toBe(400);
        expect(await poll(created.id)).toMatchObject({
          status: 'failed',
          reason: 'TRANSACTION_DATA_MISMATCH',
        });
      });
    });

    it('the OpenAPI document shows template, transaction_data, age_check and consent', async () => {
      const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
      const text = JSON.stringify(doc.paths['/verifier/requests']);
      const result = JSON.stringify(doc.paths['/verifier/requests/{id}']);
      for (const name of ['template', 'transaction_data', 'age_over', 'parental_consent'])
        expect(text).toContain(name);
      for (const name of ['age_check', 'consent', 'trieste_parental_consent']) expect(result).toContain(name);
    });
  },
);
