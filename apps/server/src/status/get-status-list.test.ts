import { createHash } from 'node:crypto';
import { decodeCompactJws, issueCredential } from '@trieste/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../app.test-util.js';

let t: TestApp | undefined;
afterEach(() => t?.app.close());

async function withList() {
  t = await testApp();
  const issued = await issueCredential({ vct: 'urn:x', claims: { a: 1 } }, t.issuance);
  const listId = issued.record.statusListId;
  const version = (await t.stores.statusLists.latestVersion(listId))!;
  return { ...t, listId, index: issued.record.statusIndex, version };
}

describe('GET /status/:listId', () => {
  it('serves the latest token with its media type, ETag, Last-Modified and a ttl-bounded max-age', async () => {
    const { app, listId, version } = await withList();
    const response = await app.inject({ method: 'GET', url: `/status/${listId}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/statuslist+jwt');
    expect(response.body).toBe(version.token);
    const etag = `"${createHash('sha256').update(version.token).digest('base64url')}"`;
    expect(response.headers.etag).toBe(etag);
    expect(response.headers['last-modified']).toBe(new Date(version.issuedAt * 1000).toUTCString());
    const ttl = decodeCompactJws(version.token).payload['ttl'];
    expect(response.headers['cache-control']).toBe(`public, max-age=${ttl}`);
  });

  it('bounds max-age by the remaining validity, and stops caching an expired token', async () => {
    const { app, clock, listId, version } = await withList();
    clock.set(version.expiresAt - 100);
    let response = await app.inject({ method: 'GET', url: `/status/${listId}` });
    expect(response.headers['cache-control']).toBe('public, max-age=100');
    clock.set(version.expiresAt + 1);
    response = await app.inject({ method: 'GET', url: `/status/${listId}` });
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('answers 304 to a matching If-None-Match (also weak, listed or *), 200 to another tag', async () => {
    const { app, listId } = await withList();
    const first = await app.inject({ method: 'GET', url: `/status/${listId}` });
    const etag = first.headers.etag as string;
    for (const tag of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await app.inject({
        method: 'GET',
        url: `/status/${listId}`,
        headers: { 'if-none-match': tag },
      });
      expect(response.statusCode, tag).toBe(304);
      expect(response.body).toBe('');
      expect(response.headers.etag).toBe(etag);
      expect(response.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    }
    const other = await app.inject({
      method: 'GET',
      url: `/status/${listId}`,
      headers: { 'if-none-match': '"x"' },
    });
    expect(other.statusCode).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after issuance, 200 before; If-None-Match wins', async () => {
    const { app, listId, version } = await withList();
    const at = (seconds: number) => new Date(seconds * 1000).toUTCString();
    const get = (headers: Record<string, string>) =>
      app.inject({ method: 'GET', url: `/status/${listId}`, headers });
    expect((await get({ 'if-modified-since': at(version.issuedAt) })).statusCode).toBe(304);
    expect((await get({ 'if-modified-since': at(version.issuedAt + 60) })).statusCode).toBe(304);
    expect((await get({ 'if-modified-since': at(version.issuedAt - 1) })).statusCode).toBe(200);
    expect((await get({ 'if-modified-since': 'not a date' })).statusCode).toBe(200);
    expect(
      (await get({ 'if-modified-since': at(version.issuedAt + 60), 'if-none-match': '"stale"' })).statusCode,
    ).toBe(200);
  });

  it('answers 404 NOT_FOUND for an unknown list and 400 VALIDATION_FAILED for a malformed id', async () => {
    t = await testApp();
    const unknown = await t.app.inject({ method: 'GET', url: '/status/AAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'NOT_FOUND', error_description: 'no such status list' });
    const malformed = await t.app.inject({ method: 'GET', url: `/status/${'%27'.repeat(3)}` });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toBe('VALIDATION_FAILED');
  });

  it('answers a store failure with 500 INTERNAL and hides its message', async () => {
    t = await testApp();
    t.stores.statusLists.latestVersion = async () => {
      throw new Error('relation "status_list_versions": row (secret) is broken');
    };
    const response = await t.app.inject({ method: 'GET', url: '/status/AAAAAAAAAAAAAAAAAAAAAA' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'INTERNAL',
      error_description: 'the server cannot answer this request now',
    });
  });
});
