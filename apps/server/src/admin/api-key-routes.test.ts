import { afterEach, describe, expect, it } from 'vitest';
import { bearer, type TestApp, testApp } from '../app.test-util.js';

let t: TestApp | undefined;
afterEach(() => t?.app.close());

const create = (app: TestApp['app'], key: string, payload: unknown) =>
  app.inject({ method: 'POST', url: '/admin/api-keys', headers: bearer(key), payload: payload as object });

describe('API key management (admin)', () => {
  it('creates a key shown once, usable at once with its role, and stored only hashed', async () => {
    t = await testApp();
    const response = await create(t.app, t.keys.admin, { role: 'registrar', label: 'desk 3' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['createdAt', 'id', 'key', 'label', 'roles']);
    expect(body).toMatchObject({ roles: ['registrar'], label: 'desk 3', createdAt: t.clock.now() });
    expect(body.key).toMatch(new RegExp(`^trieste\\.${body.id}\\.[A-Za-z0-9_-]{43}$`));
    const stored = await t.stores.apiKeys.find(body.id);
    expect(JSON.stringify(stored)).not.toContain(body.key.split('.')[2]);
    // The new registrar key may create offers' neighbours: status changes need registrar, keys need admin.
    const asRegistrar = await t.app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(body.key) });
    expect(asRegistrar.statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/admin/api-keys', headers: bearer(t.keys.admin) });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(body.key.split('.')[2]);
    expect(list.body).not.toMatch(/hash/i);
    const listed = list.json().apiKeys.find((k: { id: string }) => k.id === body.id);
    expect(listed).toEqual({ id: body.id, roles: ['registrar'], label: 'desk 3', createdAt: t.clock.now() });
  });

  it('revokes a key with effect on the very next request, and lists it as revoked', async () => {
    t = await testApp();
    const { key, id } = (await create(t.app, t.keys.admin, { role: 'admin' })).json();
    expect((await t.app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(key) })).statusCode).toBe(
      200,
    );
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/admin/api-keys/${id}`,
      headers: bearer(t.keys.admin),
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({
      id,
      roles: ['admin'],
      label: 'admin key',
      revokedAt: t.clock.now(),
    });
    const after = await t.app.inject({ method: 'GET', url: '/admin/keys', headers: bearer(key) });
    expect(after.statusCode).toBe(401);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/admin/api-keys/${id}`,
      headers: bearer(t.keys.admin),
    });
    expect(again.statusCode).toBe(200);
    const unknown = await t.app.inject({
      method: 'DELETE',
      url: '/admin/api-keys/AAAAAAAAAAAAAAAA',
      headers: bearer(t.keys.admin),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('NOT_FOUND');
  });

  it('is for admins only, and refuses unknown roles and fields', async () => {
    t = await testApp();
    expect((await create(t.app, t.keys.registrar, { role: 'admin' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/admin/api-keys' })).statusCode).toBe(401);
    const deleteAsRegistrar = await t.app.inject({
      method: 'DELETE',
      url: `/admin/api-keys/${t.keys.admin.split('.')[1]}`,
      headers: bearer(t.keys.registrar),
    });
    expect(deleteAsRegistrar.statusCode).toBe(403);
    for (const payload of [
      { role: 'root' },
      {},
      { role: 'admin', roles: ['admin'] },
      { role: 'admin', label: '' },
    ]) {
      const response = await create(t.app, t.keys.admin, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error).toBe('VALIDATION_FAILED');
    }
  });

  it('logs the key id, never the key', async () => {
    const lines: string[] = [];
    const { createLogger } = await import('../http/logger.js');
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    t = await testApp({ logger });
    const { key } = (await create(t.app, t.keys.admin, { role: 'verifier', label: 'rp' })).json();
    expect(lines.join('')).toContain('API key created');
    expect(lines.join('')).not.toContain(key.split('.')[2]);
  });
});
