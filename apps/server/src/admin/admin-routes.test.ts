import { decodeStatusList, issueCredential, STATUS } from '@trieste/core';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from '../app.test-util.js';

let t: TestApp | undefined;
afterEach(() => t?.app.close());

async function withCredential(options: Parameters<typeof testApp>[0] = {}) {
  t = await testApp(options);
  const { record } = await issueCredential({ vct: 'urn:x', claims: { a: 1 } }, t.issuance);
  return { ...t, list: record.statusListId, index: record.statusIndex };
}

const setStatus = (app: TestApp['app'], key: string | undefined, payload: unknown) =>
  app.inject({
    method: 'POST',
    url: '/admin/credentials/status',
    headers: key === undefined ? {} : bearer(key),
    payload: payload as object,
  });

/** The status of `index` as a verifier reads it from GET /status/:list. */
async function servedStatus(app: TestApp['app'], list: string, index: number): Promise<number> {
  const token = (await app.inject({ method: 'GET', url: `/status/${list}` })).body;
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
  return decodeStatusList(payload.status_list).list.get(index);
}

describe('admin authentication', () => {
  it('answers 401 UNAUTHORIZED without a key, with a malformed, unknown or tampered key', async () => {
    const { app, keys, list, index } = await withCredential();
    const body = { list, index, status: 'suspended' };
    const tampered = keys.registrar.slice(0, -1) + (keys.registrar.endsWith('A') ? 'B' : 'A');
    const unknownId = `trieste.${'A'.repeat(16)}.${keys.registrar.split('.')[2]}`;
    for (const key of [undefined, '', 'nonsense', tampered, unknownId, `${keys.registrar}x`]) {
      const response = await setStatus(app, key, body);
      expect(response.statusCode, String(key)).toBe(401);
      expect(response.json().error).toBe('UNAUTHORIZED');
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    const basic = await app.inject({
      method: 'GET',
      url: '/admin/keys',
      headers: { authorization: 'Basic YTpi' },
    });
    expect(basic.statusCode).toBe(401);
    expect(await servedStatus(app, list, index)).toBe(STATUS.VALID);
  });

  it('answers 401 to a revoked key', async () => {
    const { app, stores, keys } = await withCredential();
    await stores.apiKeys.revoke(keys.admin.split('.')[1]!);
    const response = await app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(keys.admin) });
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 FORBIDDEN to a valid key without the role; admin stands in for registrar', async () => {
    const { app, keys, list, index } = await withCredential();
    const forbidden = await setStatus(app, keys.other, { list, index, status: 'suspended' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json()).toEqual({
      error: 'FORBIDDEN',
      error_description: 'this route needs the registrar role',
    });
    const registrarOnKeys = await app.inject({
      method: 'GET',
      url: '/admin/keys',
      headers: bearer(keys.registrar),
    });
    expect(registrarOnKeys.statusCode).toBe(403);
    expect((await setStatus(app, keys.admin, { list, index, status: 'suspended' })).statusCode).toBe(200);
  });

  it('authenticates before reading the body: no key and bad JSON is 401, not 400', async () => {
    const { app } = await withCredential();
    const response = await app.inject({
      method: 'POST',
      url: '/admin/credentials/status',
      headers: { 'content-type': 'application/json' },
      payload: '{"list": ',
    });
    expect(response.statusCode).toBe(401);
  });

  it('rate limits each client with 429 RATE_LIMITED, before authentication', async () => {
    const { app, keys } = await withCredential({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const key = i % 2 === 0 ? keys.admin : 'wrong';
      codes.push((await app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(key) })).statusCode);
    }
    expect(codes).toEqual([200, 401, 200, 429, 429]);
    const limited = await app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(keys.admin) });
    expect(limited.json().error).toBe('RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    // Other routes are not limited.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });
});

describe('POST /admin/credentials/status', () => {
  it('suspends, reinstates and revokes; each change is served at /status at once', async () => {
    const { app, keys, list, index } = await withCredential();
    const suspended = await setStatus(app, keys.registrar, { list, index, status: 'suspended' });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({
      list,
      index,
      previous: 'valid',
      status: 'suspended',
      version: 2,
    });
    expect(await servedStatus(app, list, index)).toBe(STATUS.SUSPENDED);

    const reinstated = await setStatus(app, keys.registrar, { list, index, status: 'valid' });
    expect(reinstated.json()).toMatchObject({ previous: 'suspended', status: 'valid', version: 3 });
    expect(await servedStatus(app, list, index)).toBe(STATUS.VALID);

    expect((await setStatus(app, keys.registrar, { list, index, status: 'invalid' })).statusCode).toBe(200);
    expect(await servedStatus(app, list, index)).toBe(STATUS.INVALID);
  });

  it('refuses to undo a revocation (409 STATUS_TRANSITION_NOT_ALLOWED) and changes nothing', async () => {
    const { app, keys, list, index, stores } = await withCredential();
    await setStatus(app, keys.registrar, { list, index, status: 'invalid' });
    const version = (await stores.statusLists.latestVersion(list))!.version;
    const response = await setStatus(app, keys.registrar, { list, index, status: 'valid' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toBe('STATUS_TRANSITION_NOT_ALLOWED');
    expect((await stores.statusLists.latestVersion(list))!.version).toBe(version);
  });

  it('answers 404 for an index never allocated or a list that does not exist', async () => {
    const { app, keys, list, index } = await withCredential();
    const free = index === 0 ? 1 : index - 1;
    const notAllocated = await setStatus(app, keys.registrar, { list, index: free, status: 'suspended' });
    expect(notAllocated.statusCode).toBe(404);
    expect(notAllocated.json().error).toBe('STATUS_INDEX_OUT_OF_RANGE');
    const noList = await setStatus(app, keys.registrar, {
      list: 'AAAAAAAAAAAAAAAAAAAAAA',
      index,
      status: 'valid',
    });
    expect(noList.statusCode).toBe(404);
    expect(noList.json().error).toBe('STATUS_INDEX_OUT_OF_RANGE');
  });

  it('answers 400 VALIDATION_FAILED to bodies outside the schema, without echoing them', async () => {
    const { app, keys, list } = await withCredential();
    for (const payload of [
      { list, index: -1, status: 'valid' },
      { list, index: 2 ** 31, status: 'valid' },
      { list, index: 1.5, status: 'valid' },
      { list, index: '1', status: 'valid' },
      { list, index: 1, status: 'revoked' },
      { list, index: 1, status: 'valid', extra: 'secret-claim-value' },
      { list: 'bad list id!', index: 1, status: 'valid' },
      [],
    ]) {
      const response = await setStatus(app, keys.registrar, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
      expect(response.body).not.toContain('secret-claim-value');
    }
  });
});

describe('admin keys', () => {
  it('lists issuer keys with their public parts only', async () => {
    const { app, keys } = await withCredential();
    const response = await app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(keys.admin) });
    expect(response.statusCode).toBe(200);
    const [key] = response.json().keys;
    expect(Object.keys(key).sort()).toEqual(['alg', 'createdAt', 'kid', 'publicJwk', 'state']);
    expect(Object.keys(key.publicJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(response.body).not.toMatch(/"d"/);
  });

  it('rotates: a new active key, the old one retired, both logged', async () => {
    const { app, keys, stores } = await withCredential();
    const before = (await stores.keys.list())[0]!;
    const pending = await stores.log.pending();
    const response = await app.inject({
      method: 'POST',
      url: '/admin/keys/rotate',
      headers: bearer(keys.admin),
      payload: { alg: 'EdDSA' },
    });
    expect(response.statusCode).toBe(200);
    const { created, retired } = response.json();
    expect(created).toMatchObject({ alg: 'EdDSA', state: 'active' });
    expect(retired.map((k: { kid: string }) => k.kid)).toEqual([before.kid]);
    expect((await stores.keys.signer()).kid).toBe(created.kid);
    expect(await stores.log.pending()).toBeGreaterThan(pending);
    const again = await app.inject({
      method: 'POST',
      url: '/admin/keys/rotate',
      headers: bearer(keys.admin),
    });
    expect(again.json(), again.body).toHaveProperty('created.alg', 'EdDSA');
    const bad = await app.inject({
      method: 'POST',
      url: '/admin/keys/rotate',
      headers: bearer(keys.admin),
      payload: { alg: 'RS256' },
    });
    expect(bad.statusCode).toBe(400);
  });
});
