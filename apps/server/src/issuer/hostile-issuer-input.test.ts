// Hostile requests to the issuer's endpoints: whatever a client sends, the answer is a coded 4xx
// (OAuth codes on protocol endpoints) or a success, never a 500, and the server keeps answering.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from '../app.test-util.js';
import { HTTP_STATUS } from '../http/error-statuses.js';

let t: TestApp;
let access: string;
let code: string;
beforeAll(async () => {
  t = await testApp({ rateLimit: { max: 1_000_000, timeWindowMs: 60_000 } });
  const offer = (
    await t.app.inject({
      method: 'POST',
      url: '/admin/offers',
      headers: bearer(t.keys.registrar),
      payload: {
        credential_configuration_id: 'national_identity_xa',
        claims: { given_name: 'A', family_name: 'B', birthdate: '2000-01-01', personal_identifier: 'P' },
      },
    })
  ).json();
  code =
    offer.credential_offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code'][
      'pre-authorized_code'
    ];
  const token = await t.app.inject({
    method: 'POST',
    url: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code': code,
      tx_code: offer.tx_code,
    }).toString(),
  });
  access = token.json().access_token;
});
afterAll(() => t.app.close());

function expectCoded(response: { statusCode: number; body: string }, what: string) {
  expect(response.statusCode, what).toBeLessThan(500);
  if (response.statusCode >= 400) {
    const body = JSON.parse(response.body);
    expect(Object.keys(HTTP_STATUS), what).toContain(body.error);
    expect(HTTP_STATUS[body.error as keyof typeof HTTP_STATUS], what).toBe(response.statusCode);
  }
}

const contentTypes = fc.constantFrom(
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/json; charset=latin1',
  'multipart/form-data; boundary=x',
);
const jwtLike = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc
    .tuple(fc.jsonValue(), fc.jsonValue(), fc.string({ maxLength: 20 }))
    .map(
      ([h, p, s]) =>
        [JSON.stringify(h), JSON.stringify(p ?? null)]
          .map((x) => Buffer.from(String(x)).toString('base64url'))
          .join('.') + `.${s}`,
    ),
  fc
    .record({
      alg: fc.constantFrom('ES256', 'EdDSA', 'none', 'HS256'),
      typ: fc.string(),
      jwk: fc.jsonValue(),
    })
    .map(
      (h) =>
        `${Buffer.from(JSON.stringify(h)).toString('base64url')}.${Buffer.from('{"aud":1}').toString('base64url')}.AAAA`,
    ),
);

describe('hostile input to the issuer', () => {
  it('token requests: any form or body is a token or an OAuth error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .dictionary(
              fc.constantFrom(
                'grant_type',
                'pre-authorized_code',
                'tx_code',
                'code',
                fc.string({ maxLength: 10 }) as never,
              ),
              fc.oneof(
                fc.string({ maxLength: 60 }),
                fc.constant('urn:ietf:params:oauth:grant-type:pre-authorized_code'),
              ),
            )
            .map((form) => new URLSearchParams(form as Record<string, string>).toString()),
          fc.string({ maxLength: 300 }),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        contentTypes,
        async (payload, contentType) => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/token',
            headers: { 'content-type': contentType },
            payload,
          });
          expectCoded(response, `${contentType} ${payload}`);
          if (response.statusCode >= 400)
            expect(response.json().error).toMatch(/^[a-z_]+$|^RATE_LIMITED|PAYLOAD_TOO_LARGE$/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('credential requests: any body, token or proof is refused with a code', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 300 }),
          fc
            .record({
              credential_configuration_id: fc.oneof(
                fc.constant('national_identity_xa'),
                fc.string(),
                fc.integer() as never,
              ),
              proofs: fc.oneof(
                fc.record({ jwt: fc.array(jwtLike, { maxLength: 12 }) }),
                fc.jsonValue() as never,
              ),
            })
            .map((v) => JSON.stringify(v)),
        ),
        fc.oneof(fc.constant(`Bearer ${access}`), fc.string({ maxLength: 80 }), fc.constant('DPoP x')),
        contentTypes,
        async (payload, authorization, contentType) => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/credential',
            headers: { authorization, 'content-type': contentType },
            payload,
          });
          expectCoded(response, `${authorization} ${contentType} ${payload}`);
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('admin offers and offer ids: any body or id is refused with a code, nothing half-written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc
            .record({
              credential_configuration_id: fc.constantFrom(
                'national_identity_xa',
                '__proto__',
                'constructor',
              ),
              claims: fc.dictionary(
                fc.constantFrom('given_name', 'address', '_sd', '__proto__', 'cnf', 'x'),
                fc.jsonValue({ maxDepth: 12 }),
              ),
              tx_code: fc.oneof(fc.constant(undefined), fc.record({ length: fc.integer() })),
              expires_in: fc.oneof(fc.constant(undefined), fc.integer(), fc.double()),
            })
            .map((v) => JSON.stringify(v)),
        ),
        async (payload) => {
          const response = await t.app.inject({
            method: 'POST',
            url: '/admin/offers',
            headers: { ...bearer(t.keys.registrar), 'content-type': 'application/json' },
            payload,
          });
          expectCoded(response, payload);
        },
      ),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (id) => {
        const url = `/credential-offer/${encodeURIComponent(id)}`;
        expectCoded(await t.app.inject({ method: 'GET', url }), url);
      }),
      { numRuns: 100 },
    );
    expect((await t.app.inject({ method: 'POST', url: '/nonce' })).statusCode).toBe(200);
  });
});
