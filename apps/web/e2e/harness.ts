// The consoles' browser tests: the real server (buildApp over in-memory stores, the routes of
// `npm start`, the built pages from apps/web/dist) on a loopback port, Debian's Chromium driven by
// playwright-core, axe-core audits and screenshots kept as artefacts (apps/web/e2e/artifacts/).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { createApiKey, createMemoryStores, nodeCrypto } from '@trieste/adapters';
import { type IssuanceContext, type LogContext, publishCheckpoint, type Stores } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { buildApp } from '../../server/src/app.js';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));
export const ARTIFACTS = join(WEB, 'e2e', 'artifacts');

/** The newest modification time under `path` (files only), for a staleness check of the build. */
function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), 0);
}

/**
 * Builds apps/web/dist when it is missing or older than its sources (`npm test` builds it first, so
 * this only matters for `npx vitest run apps/web/e2e/…` after an edit). Test files run in parallel
 * workers: a lock directory makes one of them build while the others wait.
 */
export async function ensureWebBuilt(): Promise<void> {
  const index = join(WEB, 'dist', 'index.html');
  const stale = () =>
    !existsSync(index) ||
    Math.max(
      newest(join(WEB, 'src')),
      newest(join(WEB, 'index.html')),
      newest(join(WEB, 'vite.config.ts')),
      newest(join(WEB, 'public')),
      newest(join(REPO, 'packages', 'core', 'dist')),
    ) > statSync(index).mtimeMs;
  const lock = join(WEB, '.build-lock');
  for (let waited = 0; waited < 240; waited++) {
    try {
      mkdirSync(lock);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (stale()) {
        execFileSync(
          process.execPath,
          [join(REPO, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
          {
            cwd: WEB,
            stdio: 'inherit',
            // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
            env: { ...process.env, NODE_ENV: 'production' },
          },
        );
      }
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  throw new Error('apps/web/.build-lock is held for two minutes: remove it if no build runs');
}

export interface TestServer {
  url: string;
  app: FastifyInstance;
  stores: Stores;
  keys: { registrar: string; supervisor: string; verifier: string; admin: string };
  close(): Promise<void>;
}

/** The relying party's API key name: the wallet shows it as the verifier's `client_name`. */
export const VERIFIER_NAME = 'Harbour Bank (demo)';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The server on 127.0.0.1 with real time (the wallet's proofs and key-binding JWTs carry the
 * browser's clock). The issuer identifier is the loopback URL itself, so offers, metadata and `iss`
 * all name the server the browser reaches.
 */
export async function startServer(): Promise<TestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const clock = { now: () => Date.now() / 1000 };
  const crypto = nodeCrypto();
  const stores = createMemoryStores({ clock });
  await stores.keys.create('ES256', { activate: true });
  await stores.settings.set('jurisdiction', 'XA');
  await stores.settings.set('jurisdiction.name', 'Demo Republic of XA');
  const issuance: IssuanceContext = { stores, crypto, clock, issuer: url, statusBaseUri: `${url}/status` };
  const log: LogContext = { stores, crypto, clock, origin: `127.0.0.1:${port}/log` };
  await publishCheckpoint(log);
  const key = async (name: string, roles: Array<'admin' | 'registrar' | 'supervisor' | 'verifier'>) =>
    (await createApiKey(stores.apiKeys, clock, { name, roles })).key;
  const keys = {
    registrar: await key('Port Demo civil registry, desk 2', ['registrar']),
    supervisor: await key('Port Demo civil registry, supervisor', ['supervisor']),
    verifier: await key(VERIFIER_NAME, ['verifier']),
    admin: await key('admin', ['admin']),
  };
  const app = await buildApp({
    issuance,
    log,
    clock,
    ready: async () => {},
    rateLimit: { max: 100_000, timeWindowMs: 60_000 },
    verifier: { allowHttp: true },
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { url, app, stores, keys, close: () => app.close() };
}

/** Debian's Chromium, headless, with a fresh profile (playwright-core creates a temporary one). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A browser context (one person's device); AxeBuilder needs pages from a context. */
export async function newPage(
  browser: Browser,
  baseURL: string,
  options: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1200, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** axe-core's WCAG 2.2 A/AA rules on the page as it is: each violation as one readable line. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return results.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join(', ')}`,
  );
}

/** Screenshots of one test file, numbered in the order taken. */
export function screenshots(suite: string): (page: Page, name: string) => Promise<void> {
  const dir = join(ARTIFACTS, suite);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (page, name) => {
    n++;
    await page.screenshot({ path: join(dir, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/**
 * A journey's step: a numbered full-page screenshot under `artifacts/<suite>/`, then axe on the
 * page as it is, which must find no violation.
 */
export function checkedSteps(suite: string): (page: Page, name: string) => Promise<void> {
  const snap = screenshots(suite);
  return async (page, name) => {
    await snap(page, name);
    const violations = await axeViolations(page);
    if (violations.length > 0) {
      throw new Error(`axe on ${name}: ${JSON.stringify(violations, null, 2)}`);
    }
  };
}

/** Signs in to a console (/registrar or /verifier) with an API key, as a person would. */
export async function signIn(page: Page, path: string, key: string): Promise<void> {
  await page.goto(path);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/^Signed in with key trieste\./).waitFor();
}

/**
 * Waits for the verifier console's offline QR verdict; reading a QR picture is CPU-bound (jsQR), so
 * a loaded machine gets longer. A problem (no QR code found) fails at once with its own words.
 */
export async function offlineVerdict(page: Page, verdict: Locator): Promise<void> {
  const problem = page.getByRole('region', { name: 'Check an offline QR code' }).getByRole('alert');
  await verdict.or(problem).first().waitFor({ timeout: 40_000 });
  if (!(await verdict.isVisible()))
    throw new Error(`offline QR check: ${await problem.first().textContent()}`);
}

/** Presses Tab until `target` has the focus: how a keyboard user reaches a control. */
export async function tabTo(page: Page, target: Locator, limit = 80): Promise<number> {
  for (let presses = 0; presses < limit; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return presses;
    await page.keyboard.press('Tab');
  }
  throw new Error(`the target was not reached with ${limit} presses of Tab`);
}

export function dataUrlBytes(dataUrl: string): Buffer {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}
