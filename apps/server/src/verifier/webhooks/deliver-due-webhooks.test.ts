// The verifier's webhook outbox, end to end against real HTTP receivers on loopback: the delivery
// is queued with the answer (same transaction), retried with exponential backoff and jitter until
// delivered, given up after the last attempt or when the result is gone, sent once per claim by
// concurrent deliverers on PostgreSQL, signed, idempotent on its delivery id, and free of claims.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createMemoryStores,
  generateMasterKey,
  migrateDatabase,
  nodeCrypto,
  openPostgresDatabase,
  openStores,
} from '@trieste/adapters';
import type { PresentationOutcome, PresentationRequestRecord, Stores } from '@trieste/core';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerTestDatabase } from '../../../../../packages/adapters/src/db/test-databases.test-util.js';
import { sendWebhook } from '../send-webhook.js';
import { WEBHOOK_TYP } from './attempt-webhook-delivery.js';
import { completePresentationRequest } from './complete-presentation-request.js';
import { deliverDueWebhooks } from './deliver-due-webhooks.js';
import type { HostResolver } from './screen-webhook-address.js';
import type { WebhookContext } from './webhook-context.js';

const T0 = 1_750_000_000;
const crypto = nodeCrypto();
const CLAIM_VALUES = ['Amina', 'Okafor-Secretname', '1990-04-01'];

interface Hit {
  id: string | undefined;
  host: string | undefined;
  type: string | undefined;
  body: string;
}

/** A receiver on loopback answering each POST with `answer(n)` (n = 1, 2, …); it records every hit. */
async function receiver(
  answer: (n: number, req: IncomingMessage) => number | 'hang' = () => 204,
  delayMs = 0,
): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      hits.push({
        id: req.headers['webhook-id'] as string | undefined,
        host: req.headers.host,
        type: req.headers['content-type'],
        body,
      });
      const status = answer(hits.length, req);
      if (status === 'hang') return;
      setTimeout(() => {
        if (status >= 300 && status < 400) res.setHeader('location', `${url}/elsewhere`);
        res.writeHead(status).end('receiver text that must not be kept');
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  servers.push(server);
  return { url, hits, server };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

let now = T0;
const clock = { now: () => now };

function context(stores: Stores, webhooks: Partial<WebhookContext['webhooks']> = {}): WebhookContext {
  return {
    stores,
    clock,
    crypto,
    webhooks: { allowHttp: true, allowPrivateWebhookAddresses: true, timeoutMs: 2000, ...webhooks },
  };
}

let counter = 0;
/** A pending request naming `webhookUrl`, answered (verified, with claims) through the outbox. */
async function answeredRequest(
  stores: Stores,
  webhookUrl: string,
  options: { retentionSeconds?: number } = {},
): Promise<PresentationRequestRecord> {
  const id = `request-${String(++counter).padStart(8, '0')}-${Math.random().toString(36).slice(2, 8)}`;
  await stores.presentationRequests.create({
    id,
    nonce: `nonce-${id}`,
    state: `state-${id}`,
    apiKeyId: 'rp-key',
    query: { credentials: [] },
    purpose: 'Age check',
    responseMode: 'direct_post',
    trustedIssuers: ['https://id.example.test'],
    webhookUrl,
    status: 'pending',
    createdAt: now,
    expiresAt: now + 300,
    deleteAt: now + 900,
  });
  const outcome: PresentationOutcome = {
    status: 'verified',
    result: { credentials: { pid: [{ claims: { given_name: 'Amina', family_name: 'Okafor-Secretname' } }] } },
    answeredAt: now,
    deleteAt: now + (options.retentionSeconds ?? 7200),
  };
  const done = await completePresentationRequest(stores, id, outcome);
  if (!done) throw new Error('not completed');
  return done;
}

/** Runs rounds, moving the clock to each next due time, until nothing is pending; returns the gaps. */
async function runToEnd(ctx: WebhookContext, requestId: string, maxRounds = 20): Promise<number[]> {
  const gaps: number[] = [];
  for (let i = 0; i < maxRounds; i++) {
    await deliverDueWebhooks(ctx);
    const delivery = await ctx.stores.webhookDeliveries.get(requestId);
    if (delivery?.state !== 'pending') return gaps;
    gaps.push(delivery.nextAttemptAt - now);
    now = delivery.nextAttemptAt;
  }
  throw new Error('still pending');
}

describe('the outbox', () => {
  let stores: Stores;
  beforeEach(() => {
    now = T0;
    stores = createMemoryStores({ clock });
  });

  it('queues the webhook in the answer’s transaction, once, due at once', async () => {
    const record = await answeredRequest(stores, 'https://rp.example/hook');
    const delivery = await stores.webhookDeliveries.get(record.id);
    expect(delivery).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: T0,
      url: 'https://rp.example/hook',
    });
    expect(delivery!.deadline).toBe(record.deleteAt);
    // A replayed answer completes nothing and queues nothing.
    expect(
      await completePresentationRequest(stores, record.id, {
        status: 'failed',
        reason: 'x',
        answeredAt: now,
        deleteAt: now + 60,
      }),
    ).toBeUndefined();
    expect((await stores.webhookDeliveries.get(record.id))!.deliveryId).toBe(delivery!.deliveryId);
  });

  it('an answer whose delivery cannot be queued is not recorded either (one transaction)', async () => {
    const id = 'request-rollback-0001';
    await stores.presentationRequests.create({
      id,
      nonce: `nonce-${id}`,
      state: `state-${id}`,
      apiKeyId: 'rp-key',
      query: {},
      purpose: 'p',
      responseMode: 'direct_post',
      trustedIssuers: [],
      webhookUrl: 'https://rp.example/hook',
      status: 'pending',
      createdAt: now,
      expiresAt: now + 300,
      deleteAt: now + 900,
    });
    const failing: Stores = {
      ...stores,
      transaction: (work) =>
        stores.transaction((tx) =>
          work({
            ...tx,
            webhookDeliveries: {
              ...tx.webhookDeliveries,
              enqueue: async () => {
                throw new Error('outbox unavailable');
              },
            },
          }),
        ),
    };
    await expect(
      completePresentationRequest(failing, id, {
        status: 'verified',
        result: {},
        answeredAt: now,
        deleteAt: now + 60,
      }),
    ).rejects.toThrow('outbox unavailable');
    expect((await stores.presentationRequests.get(id))!.status).toBe('pending');
  });

  it('no webhook named, nothing queued', async () => {
    await stores.presentationRequests.create({
      id: 'request-no-hook-0001',
      nonce: 'nonce-request-no-hook',
      state: 'state-request-no-hook',
      apiKeyId: 'rp-key',
      query: {},
      purpose: 'p',
      responseMode: 'direct_post',
      trustedIssuers: [],
      status: 'pending',
      createdAt: now,
      expiresAt: now + 300,
      deleteAt: now + 900,
    });
    await completePresentationRequest(stores, 'request-no-hook-0001', {
      status: 'failed',
      reason: 'WALLET_ERROR',
      answeredAt: now,
      deleteAt: now + 60,
    });
    expect(await stores.webhookDeliveries.get('request-no-hook-0001')).toBeUndefined();
  });
});

describe('delivery', () => {
  let stores: Stores;
  beforeEach(() => {
    now = T0;
    stores = createMemoryStores({ clock });
  });

  it('posts a signed "result ready" with the delivery id and no claim value', async () => {
    const rp = await receiver();
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ attempted: 1, delivered: 1 });
    expect(rp.hits).toHaveLength(1);
    const [hit] = rp.hits;
    const delivery = await stores.webhookDeliveries.get(record.id);
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 1, finishedAt: T0 });
    expect(hit!.type).toBe('application/jwt');
    expect(hit!.id).toBe(delivery!.deliveryId);
    const header = decodeProtectedHeader(hit!.body);
    expect(header.typ).toBe(WEBHOOK_TYP);
    const signer = await stores.presentationRequests.signer();
    const { payload } = await compactVerify(hit!.body, await importJWK({ ...signer.publicJwk }, 'ES256'));
    const signed = JSON.parse(new TextDecoder().decode(payload));
    expect(signed).toEqual({
      iss: expect.stringMatching(/^decentralized_identifier:did:jwk:/),
      aud: `${rp.url}/hook`,
      iat: T0,
      exp: T0 + 300,
      jti: delivery!.deliveryId,
      event: 'presentation_result_ready',
      request_id: record.id,
      status: 'verified',
    });
    for (const value of CLAIM_VALUES) expect(hit!.body + JSON.stringify(signed)).not.toContain(value);
    // Nothing more to do.
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ attempted: 0 });
  });

  it('retries a failing receiver with exponential backoff and jitter, then delivers', async () => {
    const rp = await receiver((n) => (n <= 3 ? 503 : 204));
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    const gaps = await runToEnd(context(stores), record.id);
    expect(rp.hits).toHaveLength(4);
    // The same delivery id on every attempt: the receiver can deduplicate.
    expect(new Set(rp.hits.map((h) => h.id)).size).toBe(1);
    expect(gaps).toHaveLength(3);
    // 30 s, 60 s, 120 s, each ±25 %.
    [30, 60, 120].forEach((base, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(base * 0.75);
      expect(gaps[i]).toBeLessThan(base * 1.25);
    });
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({ state: 'delivered', attempts: 4 });
  });

  it('waits between attempts: a round before the next attempt is due sends nothing', async () => {
    const rp = await receiver(() => 500);
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    await deliverDueWebhooks(context(stores));
    const { nextAttemptAt, lastError } = (await stores.webhookDeliveries.get(record.id))!;
    expect(lastError).toBe('WEBHOOK_REJECTED');
    now = nextAttemptAt - 1;
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ attempted: 0 });
    expect(rp.hits).toHaveLength(1);
    now = nextAttemptAt;
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ attempted: 1, retried: 1 });
    expect(rp.hits).toHaveLength(2);
  });

  it('gives up after the last of 8 attempts, about an hour on, and records the failure', async () => {
    const rp = await receiver(() => 503);
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    const gaps = await runToEnd(context(stores), record.id);
    expect(rp.hits).toHaveLength(8);
    expect(gaps).toHaveLength(7);
    const total = gaps.reduce((a, b) => a + b, 0);
    // 30 + 60 + … + 1920 = 3810 s, ±25 % jitter.
    expect(total).toBeGreaterThan(3810 * 0.75);
    expect(total).toBeLessThan(3810 * 1.25);
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({
      state: 'failed',
      attempts: 8,
      lastError: 'WEBHOOK_REJECTED',
      finishedAt: now,
    });
    // Given up is final.
    now += 100_000;
    expect(await deliverDueWebhooks(context(stores, { keepFinishedSeconds: 1_000_000 }))).toMatchObject({
      attempted: 0,
    });
    expect(rp.hits).toHaveLength(8);
  });

  it('gives up when the next attempt would come after the result is deleted', async () => {
    const rp = await receiver(() => 500);
    const record = await answeredRequest(stores, `${rp.url}/hook`, { retentionSeconds: 100 });
    const gaps = await runToEnd(context(stores), record.id);
    // 30 s and 60 s fit in 100 s (with jitter, one or two retries); the next would not.
    expect(gaps.length).toBeGreaterThanOrEqual(1);
    expect(gaps.length).toBeLessThanOrEqual(2);
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({ state: 'failed' });
    expect(now).toBeLessThan(record.deleteAt);
  });

  it('gives up without an attempt when the relying party deleted the request', async () => {
    const rp = await receiver();
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    await stores.presentationRequests.delete(record.id);
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ attempted: 1, failed: 1 });
    expect(rp.hits).toHaveLength(0);
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({
      state: 'failed',
      lastError: 'WEBHOOK_EXPIRED',
    });
  });

  it('follows no redirect: a 3xx is a failed attempt and the other location gets nothing', async () => {
    const elsewhere = await receiver();
    const rp = await receiver(() => 302);
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    await deliverDueWebhooks(context(stores));
    expect(rp.hits).toHaveLength(1);
    expect(elsewhere.hits).toHaveLength(0);
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({
      state: 'pending',
      lastError: 'WEBHOOK_REJECTED',
    });
  });

  it('a receiver that does not answer in time is unreachable for this attempt', async () => {
    const rp = await receiver(() => 'hang');
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    await deliverDueWebhooks(context(stores, { timeoutMs: 200 }));
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({
      state: 'pending',
      lastError: 'WEBHOOK_UNREACHABLE',
    });
  });

  it('connects to the screened address: the host name is resolved once, by the screening', async () => {
    const rp = await receiver();
    const port = new URL(rp.url).port;
    const lookups: string[] = [];
    const resolve: HostResolver = async (hostname) => {
      lookups.push(hostname);
      return ['127.0.0.1'];
    };
    // rp.invalid exists in no DNS: only the stub's answer can reach the receiver.
    const record = await answeredRequest(stores, `http://rp.invalid:${port}/hook`);
    await deliverDueWebhooks(context(stores, { resolve }));
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({ state: 'delivered' });
    expect(lookups).toEqual(['rp.invalid']);
    expect(rp.hits[0]!.host).toBe(`rp.invalid:${port}`);
  });

  it('refuses at delivery a host that now resolves to an internal address (DNS rebinding), for good', async () => {
    const rp = await receiver();
    const port = new URL(rp.url).port;
    const resolve: HostResolver = async () => ['127.0.0.1'];
    const record = await answeredRequest(stores, `http://rp.invalid:${port}/hook`);
    const ctx = context(stores, { resolve, allowPrivateWebhookAddresses: false });
    expect(await deliverDueWebhooks(ctx)).toMatchObject({ attempted: 1, failed: 1 });
    expect(rp.hits).toHaveLength(0);
    expect(await stores.webhookDeliveries.get(record.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: 'WEBHOOK_ADDRESS_FORBIDDEN',
    });
  });

  it('sendWebhook delivers at once, and queues the delivery if the answer did not', async () => {
    const rp = await receiver();
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    expect(
      await sendWebhook(`${rp.url}/hook`, { id: record.id, delete_at: record.deleteAt }, context(stores)),
    ).toBe(true);
    expect(rp.hits).toHaveLength(1);
    // Called again (a second kick), nothing is sent twice.
    expect(
      await sendWebhook(`${rp.url}/hook`, { id: record.id, delete_at: record.deleteAt }, context(stores)),
    ).toBe(true);
    expect(rp.hits).toHaveLength(1);
  });

  it('purges finished deliveries after their keeping time', async () => {
    const rp = await receiver();
    const record = await answeredRequest(stores, `${rp.url}/hook`);
    await deliverDueWebhooks(context(stores));
    now += 86_400 + 1;
    expect(await deliverDueWebhooks(context(stores))).toMatchObject({ purged: 1 });
    expect(await stores.webhookDeliveries.get(record.id)).toBeUndefined();
  });
});

describe('two deliverers on one PostgreSQL database', () => {
  const opened: Array<{ close(): Promise<void> }> = [];
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    for (const handle of opened) await handle.close();
    await drop?.();
  });

  it('send each delivery once, though they run at the same time', async () => {
    now = T0;
    const server = await createServerTestDatabase();
    drop = server.drop;
    const masterKey = generateMasterKey();
    const open = async () => {
      const database = await openPostgresDatabase({ databaseUrl: server.url });
      const stores = await openStores({ database, masterKey, clock });
      opened.push(stores);
      return stores;
    };
    const setup = await openPostgresDatabase({ databaseUrl: server.url });
    await migrateDatabase(setup);
    await setup.close();
    const a = await open();
    const b = await open();
    // A slow receiver, so both deliverers' rounds overlap.
    const rp = await receiver(() => 204, 30);
    const records = [];
    for (let i = 0; i < 24; i++) records.push(await answeredRequest(i % 2 ? a : b, `${rp.url}/hook/${i}`));
    const settings = { batchSize: 5 };
    for (let round = 0; round < 4; round++) {
      await Promise.all([
        deliverDueWebhooks(context(a, settings)),
        deliverDueWebhooks(context(b, settings)),
        deliverDueWebhooks(context(a, settings)),
        deliverDueWebhooks(context(b, settings)),
      ]);
    }
    const ids = rp.hits.map((h) => h.id);
    expect(ids).toHaveLength(24);
    expect(new Set(ids).size).toBe(24);
    for (const record of records) {
      expect(await a.webhookDeliveries.get(record.id)).toMatchObject({ state: 'delivered', attempts: 1 });
    }
  }, 30_000);
});
