import { issueCredential } from '@trieste/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from '../app.test-util.js';
import { refreshStatusLists } from './refresh-status-lists.js';

let t: TestApp | undefined;
afterEach(() => t?.app.close());

describe('refreshStatusLists', () => {
  it('re-signs only lists whose latest version is about to expire, and logs each version', async () => {
    t = await testApp();
    const { record } = await issueCredential({ vct: 'urn:x', claims: { a: 1 } }, t.issuance);
    const list = record.statusListId;
    const first = (await t.stores.statusLists.latestVersion(list))!;
    expect(await refreshStatusLists(t.issuance, { refreshBeforeSeconds: 3600 })).toEqual([]);

    t.clock.set(first.expiresAt - 600);
    const pending = await t.stores.log.pending();
    expect(await refreshStatusLists(t.issuance, { refreshBeforeSeconds: 3600 })).toEqual([list]);
    const second = (await t.stores.statusLists.latestVersion(list))!;
    expect(second.version).toBe(first.version + 1);
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(await t.stores.log.pending()).toBe(pending + 1);
    const served = await t.app.inject({ method: 'GET', url: `/status/${list}` });
    expect(served.body).toBe(second.token);
  });
});
