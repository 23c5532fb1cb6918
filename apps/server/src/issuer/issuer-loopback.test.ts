// The independent wallet against the issuer over real HTTP on loopback (plain http, so the client
// libraries are told to allow it: tests and local demo only).
import { createServer } from 'node:net';
import { setGlobalConfig } from '@openid4vc/oauth2';
import { createMemoryStores, nodeCrypto } from '@trieste/adapters';
import type { IssuanceContext } from '@trieste/core';
import { publishCheckpoint } from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createApiKey } from '../http/api-keys.js';
import { receiveCredentials, verifyWithSdJwtLibrary, walletKey } from './wallet.test-util.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

let app: FastifyInstance;
let issuer: string;
let registrarKey: string;
beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true });
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  const clock = { now: () => Date.now() / 1000 };
  const stores = createMemoryStores({ clock });
  await stores.keys.create('EdDSA', { activate: true });
  const crypto = nodeCrypto();
  const issuance: IssuanceContext = { stores, crypto, clock, issuer, statusBaseUri: `${issuer}/status` };
  const log = { stores, crypto, clock, origin: '127.0.0.1/log' };
  await publishCheckpoint(log);
  registrarKey = (await createApiKey(stores.apiKeys, clock, { name: 'desk', roles: ['registrar'] })).key;
  app = await buildApp({
    issuance,
    log,
    clock,
    ready: async () => {},
    rateLimit: { max: 1000, timeWindowMs: 60_000 },
  });
  await app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await app.close();
  setGlobalConfig({ allowInsecureUrls: false });
});

describe('over HTTP on loopback', () => {
  it('a wallet receives two credentials for an offer created with the admin API, and verifies them', async () => {
    const created = await fetch(`${issuer}/admin/offers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${registrarKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        credential_configuration_id: 'national_identity_xa',
        claims: {
          given_name: 'Loop',
          family_name: 'Back',
          birthdate: '1980-01-01',
          age_equal_or_over: { '18': true },
          personal_identifier: 'XA-LOOP-1',
        },
      }),
    });
    expect(created.status).toBe(200);
    const offer = (await created.json()) as { links: { by_reference: string }; tx_code: string };
    const now = Date.now() / 1000;
    const keys = [await walletKey('EdDSA'), await walletKey('ES256')];
    const run = await receiveCredentials({
      fetch,
      offerLink: offer.links.by_reference,
      txCode: offer.tx_code,
      keys,
      now,
    });
    expect(run.credentials).toHaveLength(2);
    for (const credential of run.credentials) {
      // Verified at the time of verification: the credential's iat may be a second after `now`.
      const verified = await verifyWithSdJwtLibrary(credential, { fetch, issuer, now: Date.now() / 1000 });
      expect(verified.payload).toMatchObject({
        iss: issuer,
        given_name: 'Loop',
        age_equal_or_over: { '18': true },
      });
    }
    // The wrong tx_code, through the client library: an OAuth error the wallet can read.
    const again = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&pre-authorized_code=x&tx_code=1',
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
