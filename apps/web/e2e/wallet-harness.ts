// The wallet's browser tests' server: the real Trieste app (buildApp over in-memory stores, the
// same routes as `npm start`) listening on a loopback port, so the wallet in Chromium talks to it
// over HTTP exactly as it would in use. The issuer identifier is that loopback URL, so the offer,
// the metadata and the credential's `iss` all name the server the browser reaches.
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createApiKey, createMemoryStores, nodeCrypto } from '@trieste/adapters';
import { type IssuanceContext, type LogContext, publishCheckpoint, type Stores } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { VERIFIER_NAME } from './harness.js';

export interface WalletServer {
  url: string;
  app: FastifyInstance;
  stores: Stores;
  keys: { registrar: string; verifier: string; admin: string };
  close(): Promise<void>;
}

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
 * Starts the server. `extend` may register more routes before it listens (e.g. the built pages,
 * while the server does not serve them itself).
 */
export async function startWalletServer(
  options: { extend?: (app: FastifyInstance) => Promise<void> } = {},
): Promise<WalletServer> {
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
  const key = async (name: string, roles: string[]) =>
    (await createApiKey(stores.apiKeys, clock, { name, roles: roles as never })).key;
  const keys = {
    registrar: await key('Port Demo civil registry', ['registrar']),
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
  if (options.extend) await options.extend(app);
  await app.listen({ port, host: '127.0.0.1' });
  return { url, app, stores, keys, close: () => app.close() };
}

export const AMINA = {
  names: [
    { script: 'Latn', given: 'Amina', family: 'Haddad' },
    { script: 'Arab', given: 'أمينة', family: 'حداد' },
  ],
  dateOfBirth: { value: '1990-04-01' },
  sex: 'female',
  placeOfBirth: { locality: 'Port Demo', country: 'XA' },
  address: { lines: ['1 Harbour Road'], locality: 'Port Demo', country: 'XA' },
  nationality: ['XA'],
  legalStatus: 'citizen',
};

/** One API call with a key; throws with the status and body when it is not 2xx. */
export async function call(
  server: Pick<WalletServer, 'url'>,
  key: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A registrar enrols a person (unique per call) and prepares the credential offer with its tx_code. */
export async function enrolAndOffer(
  server: WalletServer,
  person: Record<string, unknown> = AMINA,
): Promise<{ personId: string; link: string; txCode: string; qrPng: string }> {
  const enrolled = await call(server, server.keys.registrar, 'POST', '/registry/persons', {
    person,
    office: 'Port Demo civil registry, desk 2',
  });
  const personId = (enrolled['person'] as { id: string }).id;
  const offer = await call(
    server,
    server.keys.registrar,
    'POST',
    `/registry/persons/${personId}/credential-offer`,
  );
  return {
    personId,
    link: (offer['links'] as { by_reference: string }).by_reference,
    txCode: offer['tx_code'] as string,
    qrPng: (offer['qr'] as { png: string }).png,
  };
}

export const OVER_18_QUERY = {
  credentials: [
    {
      id: 'age',
      format: 'dc+sd-jwt',
      meta: { vct_values: ['urn:trieste:xa:national-identity:1'] },
      claims: [{ path: ['age_equal_or_over', '18'] }],
    },
  ],
};

/** A relying party asks for claims; returns the openid4vp:// link and the request id. */
export async function createRequest(
  server: WalletServer,
  options: { query?: object; mode?: 'direct_post' | 'direct_post.jwt'; purpose?: string } = {},
): Promise<{ id: string; link: string }> {
  const created = await call(server, server.keys.verifier, 'POST', '/verifier/requests', {
    dcql_query: options.query ?? OVER_18_QUERY,
    purpose: options.purpose ?? 'To check that you are over 18 before opening an account',
    trusted_issuers: [server.url],
    response_mode: options.mode ?? 'direct_post',
  });
  return { id: created['id'] as string, link: created['authorization_request'] as string };
}

/** The relying party's view of the answer. */
export function requestResult(server: WalletServer, id: string) {
  return call(server, server.keys.verifier, 'GET', `/verifier/requests/${id}`);
}

/** Where the wallet tests keep their screenshots (a test artefact, not committed). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../.test-results/web/wallet/', import.meta.url));

/** The built web app the server serves (npm run build writes it). */
export const WEB_DIST_INDEX = fileURLToPath(new URL('../dist/index.html', import.meta.url));

// The browser, axe, keyboard and data-URL helpers are the consoles' (harness.ts): one copy.
export { axeViolations, dataUrlBytes, launchChromium, tabTo, VERIFIER_NAME } from './harness.js';
