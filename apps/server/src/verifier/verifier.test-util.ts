import {
  createMemoryStores,
  generateMasterKey,
  migrateDatabase,
  nodeCrypto,
  openPgliteDatabase,
  openPostgresDatabase,
  openStores,
} from '@trieste/adapters';
import {
  changeCredentialStatus,
  type IssuanceContext,
  issueCredential,
  type LogContext,
  type Stores,
} from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createServerTestDatabase } from '../../../../packages/adapters/src/db/test-databases.test-util.js';
import { buildApp } from '../app.js';
import { createApiKey } from '../http/api-keys.js';
import type { VerifierOptions } from './verifier-routes.js';
import type { Holder } from './wallet.test-util.js';

export const ISSUER = 'https://id.example.test';
export const VCT = 'urn:eudi:pid:xa:1';

export interface VerifierTestApp {
  app: FastifyInstance;
  stores: Stores;
  issuance: IssuanceContext;
  clock: { now(): number; set(seconds: number): void };
  keys: { verifier: string; otherVerifier: string; registrar: string };
  close(): Promise<void>;
}

/** Where the stores keep their data: in memory (default), embedded PGlite, or the PostgreSQL test server. */
export type TestDatabase = 'memory' | 'pglite' | 'postgres';

async function openTestStores(
  database: TestDatabase,
  clock: { now(): number },
): Promise<{ stores: Stores; dispose(): Promise<void> }> {
  if (database === 'memory') return { stores: createMemoryStores({ clock }), dispose: async () => {} };
  const server = database === 'postgres' ? await createServerTestDatabase() : undefined;
  const db = server
    ? await openPostgresDatabase({ databaseUrl: server.url })
    : await openPgliteDatabase({ dataDir: 'memory://' });
  await migrateDatabase(db);
  const stores = await openStores({ database: db, masterKey: generateMasterKey(), clock });
  return {
    stores,
    async dispose() {
      await stores.close();
      await server?.drop();
    },
  };
}

/** An app with an issuer key and API keys (in-memory stores unless told); the clock starts at real time. */
export async function verifierTestApp(
  options: { verifier?: VerifierOptions; logger?: Logger; issuer?: string; database?: TestDatabase } = {},
): Promise<VerifierTestApp> {
  const issuer = options.issuer ?? ISSUER;
  // Real time, frozen: the wallet library checks the request object's iat/exp against its own clock.
  let now = Math.floor(Date.now() / 1000);
  const clock = {
    now: () => now,
    set: (seconds: number) => {
      now = seconds;
    },
  };
  const crypto = nodeCrypto();
  const { stores, dispose } = await openTestStores(options.database ?? 'memory', clock);
  await stores.keys.create('ES256', { activate: true });
  const issuance: IssuanceContext = {
    stores,
    crypto,
    clock,
    issuer,
    statusBaseUri: `${issuer}/status`,
  };
  const log: LogContext = { stores, crypto, clock, origin: 'id.example.test/log' };
  const keys = {
    verifier: (await createApiKey(stores.apiKeys, clock, { name: 'rp', roles: ['verifier'] })).key,
    otherVerifier: (await createApiKey(stores.apiKeys, clock, { name: 'rp2', roles: ['verifier'] })).key,
    registrar: (await createApiKey(stores.apiKeys, clock, { name: 'desk', roles: ['registrar'] })).key,
  };
  const app = await buildApp({
    issuance,
    log,
    clock,
    ready: async () => {},
    rateLimit: { max: 1_000_000, timeWindowMs: 60_000 },
    verifier: { allowHttp: true, allowPrivateWebhookAddresses: true, ...options.verifier },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return {
    app,
    stores,
    issuance,
    clock,
    keys,
    async close() {
      await app.close();
      await dispose();
    },
  };
}

export const PID_CLAIMS = {
  given_name: 'Amina',
  family_name: 'Okafor-Secretname',
  birthdate: '1990-04-01',
  nationality: 'XA',
  age_equal_or_over: { '18': true, '21': true },
};

/**
 * A national identity credential issued by our core with the installation's key, bound to
 * `holder`; with `status`, revoked (`invalid`) or suspended right after.
 */
export async function issuePid(t: VerifierTestApp, holder: Holder, status?: 'invalid' | 'suspended') {
  const issued = await issueCredential(
    {
      vct: VCT,
      claims: PID_CLAIMS,
      holderKey: holder.publicJwk as never,
      disclosable: 'all',
      expiresInSeconds: 3600,
    },
    t.issuance,
  );
  if (status) {
    await changeCredentialStatus(issued.record.statusListId, issued.record.statusIndex, status, t.issuance);
  }
  return issued;
}

export const AGE_QUERY = {
  credentials: [
    {
      id: 'pid',
      format: 'dc+sd-jwt',
      meta: { vct_values: [VCT] },
      claims: [{ path: ['given_name'] }, { path: ['age_equal_or_over', '18'] }],
    },
  ],
};

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** A form POSTed to a request's response endpoint (direct_post), as a wallet or an attacker sends it. */
export function postResponse(app: FastifyInstance, requestId: string, payload: string) {
  return app.inject({
    method: 'POST',
    url: `/openid4vp/response/${requestId}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload,
  });
}
