import { createHash } from 'node:crypto';
import { generatePrivateJwk, nodeCrypto, nodeSigner } from '@trieste/adapters';
import { readUnverifiedTrustList, TRUST_LIST_JWT_TYP, utf8Decode } from '@trieste/core';
import * as jose from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { bearer, ISSUER, type TestApp, testApp } from '../app.test-util.js';

let t: TestApp | undefined;
let extra: TestApp['app'] | undefined;
afterEach(async () => {
  await t?.app.close();
  await extra?.close();
  extra = undefined;
});

const crypto = nodeCrypto();

async function withJurisdiction(): Promise<TestApp> {
  t = await testApp();
  await t.stores.settings.set('jurisdiction', 'XA');
  await t.stores.settings.set('jurisdiction.name', 'Demo Republic of XA');
  return t;
}

const getList = (app: TestApp['app'], headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: '/trust/list', headers });

const admin = (
  app: TestApp['app'],
  key: string | undefined,
  method: 'POST' | 'DELETE',
  url: string,
  payload?: unknown,
) =>
  app.inject({
    method,
    url,
    headers: key === undefined ? {} : bearer(key),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function trustLogEntries(t: TestApp): Promise<Array<Record<string, unknown>>> {
  await t.stores.log.sequence(crypto);
  const { size } = await t.stores.log.state();
  return (await t.stores.log.entries(0, size))
    .map((bytes) => JSON.parse(utf8Decode(bytes)) as Record<string, unknown>)
    .filter((entry) => entry['type'] === 'trust-list/version');
}

const publicKey = (kid: string) => ({ ...nodeSigner(generatePrivateJwk('ES256')).publicJwk, kid });

describe('GET /trust/list', () => {
  it('answers 404 NOT_FOUND on an installation without a jurisdiction', async () => {
    t = await testApp();
    const response = await getList(t.app);
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toBe('NOT_FOUND');
  });

  it('publishes the list on first use, with the own issuer, signed by the operator key jose verifies', async () => {
    const { app, stores } = await withJurisdiction();
    const response = await getList(app);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/trieste-trust-list+jwt');
    const keys = (await app.inject({ method: 'GET', url: '/trust/operator-keys' })).json();
    expect(keys.jurisdiction).toBe('XA');
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ alg: 'ES256', state: 'active' });
    const operatorKey = await jose.importJWK(keys.keys[0].public_jwk, 'ES256');
    const { payload, protectedHeader } = await jose.jwtVerify(response.body, operatorKey, {
      typ: TRUST_LIST_JWT_TYP,
    });
    expect(protectedHeader.kid).toBe(keys.keys[0].kid);
    expect(payload).toMatchObject({
      sequence_number: 1,
      operator: { jurisdiction: 'XA', name: 'Trust list operator of Demo Republic of XA', uri: ISSUER },
      list_uri: `${ISSUER}/trust/list`,
    });
    const issuerKeys = await stores.keys.list();
    expect(payload['issuers']).toEqual([
      expect.objectContaining({
        id: ISSUER,
        name: 'Demo Republic of XA — Civil Registry',
        // Every credential type the issuer's configurations declare, and its paper ID QR.
        credential_types: [
          'urn:trieste:xa:national-identity:1',
          'urn:trieste:xa:age:1',
          'urn:trieste:xa:guardian:1',
          'claim169',
        ],
        status: 'granted',
        keys: [expect.objectContaining({ kid: issuerKeys[0]!.kid })],
      }),
    ]);
    // Asking again publishes nothing new.
    const again = await getList(app);
    expect(again.body).toBe(response.body);
    expect(await trustLogEntries(t!)).toHaveLength(1);
  });

  it('serves caching headers and answers 304 to If-None-Match and If-Modified-Since', async () => {
    const { app, clock } = await withJurisdiction();
    const first = await getList(app);
    const etag = `"${createHash('sha256').update(first.body).digest('base64url')}"`;
    expect(first.headers.etag).toBe(etag);
    const { list } = readUnverifiedTrustList(first.body);
    expect(first.headers['last-modified']).toBe(new Date(list.issuedAt * 1000).toUTCString());
    expect(first.headers['cache-control']).toBe('public, max-age=300');
    for (const tag of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const cached = await getList(app, { 'if-none-match': tag });
      expect(cached.statusCode, tag).toBe(304);
      expect(cached.body).toBe('');
    }
    expect((await getList(app, { 'if-none-match': '"other"' })).statusCode).toBe(200);
    const since = (seconds: number) => ({ 'if-modified-since': new Date(seconds * 1000).toUTCString() });
    expect((await getList(app, since(list.issuedAt))).statusCode).toBe(304);
    expect((await getList(app, since(list.issuedAt - 1))).statusCode).toBe(200);
    // Close to its next update the list is re-issued: a new version, a new ETag.
    clock.set(list.nextUpdate - 3600);
    const renewed = await getList(app, { 'if-none-match': etag });
    expect(renewed.statusCode).toBe(200);
    expect(readUnverifiedTrustList(renewed.body).list.sequenceNumber).toBe(2);
  });

  it('never lets a cache keep the list past its next update', async () => {
    const { issuance, log, clock } = await withJurisdiction();
    extra = await buildApp({
      issuance,
      log,
      clock,
      ready: async () => {},
      rateLimit: { max: 1000, timeWindowMs: 60_000 },
      trust: { maxAgeSeconds: 3600, refreshBeforeSeconds: 60 },
    });
    const first = await getList(extra);
    const { list } = readUnverifiedTrustList(first.body);
    expect(first.headers['cache-control']).toBe('public, max-age=3600');
    clock.set(list.nextUpdate - 100);
    expect((await getList(extra)).headers['cache-control']).toBe('public, max-age=100');
    // This app lists no own issuer: its options name none.
    expect(list.issuers).toEqual([]);
  });
});

describe('GET /trust/list/:sequence and /trust/operator-keys', () => {
  it('serves every past version, immutable, and 404 / 400 for unknown or malformed numbers', async () => {
    const { app, keys } = await withJurisdiction();
    const v1 = (await getList(app)).body;
    await admin(app, keys.admin, 'POST', '/admin/trust/issuers/withdraw', { id: ISSUER });
    const past = await app.inject({ method: 'GET', url: '/trust/list/1' });
    expect(past.statusCode).toBe(200);
    expect(past.body).toBe(v1);
    expect(past.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/trust/list/1',
          headers: { 'if-none-match': past.headers.etag as string },
        })
      ).statusCode,
    ).toBe(304);
    const unknown = await app.inject({ method: 'GET', url: '/trust/list/3' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('NOT_FOUND');
    for (const bad of ['0', '-1', 'latest', '1e3']) {
      expect((await app.inject({ method: 'GET', url: `/trust/list/${bad}` })).statusCode, bad).toBe(400);
    }
  });
});

describe('admin API for the trust list', () => {
  it('answers 401 without a valid key and 403 to a key without the admin role; changes nothing', async () => {
    const { app, keys } = await withJurisdiction();
    await getList(app);
    const body = { id: 'https://univ.example', name: 'U', keys: [publicKey('k')], credential_types: ['t'] };
    const anonymous = await admin(app, undefined, 'POST', '/admin/trust/issuers', body);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toBe('UNAUTHORIZED');
    const registrar = await admin(app, keys.registrar, 'POST', '/admin/trust/issuers', body);
    expect(registrar.statusCode).toBe(403);
    expect(registrar.json().error).toBe('FORBIDDEN');
    expect((await admin(app, keys.other, 'DELETE', '/admin/trust/recognitions/XB')).statusCode).toBe(403);
    expect((await admin(app, keys.other, 'POST', '/admin/trust/operator-keys/rotate')).statusCode).toBe(403);
    expect(readUnverifiedTrustList((await getList(app)).body).list.sequenceNumber).toBe(1);
  });

  it('publishes version + 1 with a log entry for every change, in order', async () => {
    const { app, keys, clock } = await withJurisdiction();
    await getList(app);
    const sequence = async () => readUnverifiedTrustList((await getList(app)).body).list;
    const steps: Array<[string, 'POST' | 'DELETE', string, unknown]> = [
      [
        'add issuer',
        'POST',
        '/admin/trust/issuers',
        {
          id: 'https://univ.xa.example',
          name: 'University of XA',
          keys: [publicKey('u-1')],
          credential_types: ['urn:trieste:diploma:1'],
          valid_until: '2099-01-01T00:00:00Z',
        },
      ],
      ['withdraw issuer', 'POST', '/admin/trust/issuers/withdraw', { id: 'https://univ.xa.example' }],
      [
        'recognise',
        'POST',
        '/admin/trust/recognitions',
        {
          jurisdiction: 'XB',
          operator_name: 'Trust list operator of XB',
          list_uri: 'https://xb.example/trust/list',
          operator_keys: [publicKey('xb')],
          credential_types: ['urn:trieste:xb:national-identity:1'],
          purposes: ['travel'],
        },
      ],
      ['unrecognise', 'DELETE', '/admin/trust/recognitions/XB', undefined],
      ['prepare key', 'POST', '/admin/trust/operator-keys', { alg: 'EdDSA' }],
      ['rotate key', 'POST', '/admin/trust/operator-keys/rotate', undefined],
    ];
    let expected = 1;
    for (const [name, method, url, payload] of steps) {
      clock.set(clock.now() + 10);
      const response = await admin(app, keys.admin, method, url, payload);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      expected += 1;
      expect(response.json().version.sequence_number, name).toBe(expected);
      expect((await sequence()).sequenceNumber, name).toBe(expected);
    }
    const list = await sequence();
    expect(list.issuers.find((issuer) => issuer.id === 'https://univ.xa.example')).toMatchObject({
      status: 'withdrawn',
      history: [{ status: 'granted' }],
    });
    expect(list.recognitions).toEqual([]);
    // The rotation's version is signed by the key announced one version before.
    const operatorKeys = (await app.inject({ method: 'GET', url: '/trust/operator-keys' })).json().keys;
    expect(operatorKeys.map((key: { state: string; alg: string }) => [key.state, key.alg])).toEqual([
      ['retired', 'ES256'],
      ['active', 'EdDSA'],
    ]);
    expect(readUnverifiedTrustList((await getList(app)).body).kid).toBe(operatorKeys[1].kid);
    const logged = await trustLogEntries(t!);
    expect(logged.map((entry) => entry['sequenceNumber'])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const latest = (await getList(app)).body;
    expect(logged.at(-1)).toMatchObject({
      jurisdiction: 'XA',
      sha256: createHash('sha256').update(latest).digest('base64url'),
    });
  });

  it('answers refusals with their codes and publishes nothing', async () => {
    const { app, keys, clock } = await withJurisdiction();
    await getList(app);
    clock.set(clock.now() + 10);
    const call = (method: 'POST' | 'DELETE', url: string, payload?: unknown) =>
      admin(app, keys.admin, method, url, payload);
    const issuer = { id: 'https://u.example', name: 'U', keys: [publicKey('k')], credential_types: ['t'] };
    const cases: Array<[string, Promise<{ statusCode: number; json(): { error: string } }>, number, string]> =
      [
        [
          'unknown issuer',
          call('POST', '/admin/trust/issuers/withdraw', { id: 'https://nobody.example' }),
          404,
          'NOT_FOUND',
        ],
        ['unknown recognition', call('DELETE', '/admin/trust/recognitions/XZ'), 404, 'NOT_FOUND'],
        [
          'private key',
          call('POST', '/admin/trust/issuers', { ...issuer, keys: [generatePrivateJwk('ES256')] }),
          400,
          'KEY_INVALID',
        ],
        [
          'RSA key',
          call('POST', '/admin/trust/issuers', { ...issuer, keys: [{ kid: 'r', kty: 'RSA' }] }),
          400,
          'KEY_INVALID',
        ],
        [
          'bad time',
          call('POST', '/admin/trust/issuers', { ...issuer, valid_from: 'yesterday' }),
          400,
          'MALFORMED',
        ],
        [
          'unknown member',
          call('POST', '/admin/trust/issuers', { ...issuer, level: 'high' }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'no types',
          call('POST', '/admin/trust/issuers', { ...issuer, credential_types: [] }),
          400,
          'VALIDATION_FAILED',
        ],
        [
          'own jurisdiction',
          call('POST', '/admin/trust/recognitions', {
            jurisdiction: 'XA',
            operator_name: 'me',
            list_uri: 'https://xa.example/trust/list',
            operator_keys: [publicKey('x')],
            credential_types: ['t'],
            purposes: ['p'],
          }),
          400,
          'MALFORMED',
        ],
        [
          'bad alg',
          call('POST', '/admin/trust/operator-keys/rotate', { alg: 'RS256' }),
          400,
          'VALIDATION_FAILED',
        ],
      ];
    for (const [name, promise, status, code] of cases) {
      const response = await promise;
      expect(response.statusCode, name).toBe(status);
      expect(response.json().error, name).toBe(code);
    }
    expect(readUnverifiedTrustList((await getList(app)).body).list.sequenceNumber).toBe(1);
    // Withdrawing twice is a conflict; a second pending key a duplicate.
    expect((await call('POST', '/admin/trust/issuers/withdraw', { id: ISSUER })).statusCode).toBe(200);
    const twice = await call('POST', '/admin/trust/issuers/withdraw', { id: ISSUER });
    expect([twice.statusCode, twice.json().error]).toEqual([409, 'STATUS_TRANSITION_NOT_ALLOWED']);
    expect((await call('POST', '/admin/trust/operator-keys')).statusCode).toBe(200);
    const duplicate = await call('POST', '/admin/trust/operator-keys');
    expect([duplicate.statusCode, duplicate.json().error]).toEqual([409, 'DUPLICATE']);
  });
});
