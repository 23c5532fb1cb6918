import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../http/send-error.js';
import { loopbackRedirect, WEB_CSP, webRoutes } from './web-routes.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc.js"></script></head></html>';

async function appOver(root: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(helmet, { global: true });
  app.post('/verifier/requests', async () => ({ api: true }));
  app.get('/verifier/requests/:id', async () => ({ api: true }));
  await webRoutes(app, { root });
  return app;
}

let dir: string;
let app: FastifyInstance;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trieste-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), INDEX);
  writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(dir, 'wallet-sw.js'), 'self.addEventListener("fetch", () => {})');
  app = await appOver(dir);
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the web app', () => {
  it.each([
    '/wallet',
    '/wallet/',
    '/wallet?offer=x',
    '/wallet/history',
    '/registrar',
    '/registrar/enrol',
    '/verifier',
  ])('serve index.html for %s, revalidated, under the pages CSP', async (url) => {
    const response = await app.inject({ url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toBe(INDEX);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toBe(WEB_CSP);
    expect(WEB_CSP).toContain("default-src 'self'");
    expect(WEB_CSP).not.toContain('unsafe-inline');
  });

  it('cache hashed assets for a year, and the service worker never', async () => {
    const asset = await app.inject({ url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await app.inject({ url: '/wallet-sw.js' });
    expect(sw.statusCode).toBe(200);
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['content-type']).toMatch(/javascript/);
  });

  it('serve a rebuilt bundle without a restart (hashed names change with every build)', async () => {
    writeFileSync(join(dir, 'assets', 'index-new.js'), 'console.log(2)');
    const response = await app.inject({ url: '/assets/index-new.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('console.log(2)');
  });

  it('leave the relying-party API under /verifier/ alone', async () => {
    expect((await app.inject({ method: 'POST', url: '/verifier/requests' })).json()).toEqual({ api: true });
    expect((await app.inject({ url: '/verifier/requests/abc' })).json()).toEqual({ api: true });
    expect((await app.inject({ url: '/verifier/other' })).statusCode).toBe(404);
  });

  it('answer unknown files 404 and send / to the wallet', async () => {
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/../package.json' })).statusCode).toBe(404);
    const home = await app.inject({ url: '/' });
    expect(home.statusCode).toBe(302);
    expect(home.headers.location).toBe('/wallet');
  });

  it('say NOT_FOUND with the reason when the app is not built', async () => {
    const bare = await appOver(join(dir, 'nothing-here'));
    const response = await bare.inject({ url: '/wallet' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: 'NOT_FOUND' });
    await bare.close();
  });

  it('send a page opened on another loopback name to the issuer origin (the CSP allows one origin)', async () => {
    const local = Fastify({ logger: false });
    registerErrorHandling(local);
    await webRoutes(local, { root: dir, issuer: 'http://localhost:8080' });
    const moved = await local.inject({ url: '/wallet?offer=x', headers: { host: '127.0.0.1:8080' } });
    expect(moved.statusCode).toBe(302);
    expect(moved.headers.location).toBe('http://localhost:8080/wallet?offer=x');
    expect((await local.inject({ url: '/wallet', headers: { host: 'localhost:8080' } })).statusCode).toBe(
      200,
    );
    await local.close();
  });

  it.each([
    ['http://localhost:8080', '127.0.0.1:8080', 'http://localhost:8080'],
    ['http://127.0.0.1:8080', 'localhost:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:8080', 'localhost:8080', undefined],
    ['http://localhost:8080', '127.0.0.1:9090', undefined],
    ['https://id.example.gov', 'localhost', undefined],
    ['http://localhost:8080', 'evil.example:8080', undefined],
    ['http://localhost:8080', undefined, undefined],
  ])('loopbackRedirect(%s, %s) is %s', (issuer, host, expected) => {
    expect(loopbackRedirect(issuer, host)).toBe(expected);
  });
});
